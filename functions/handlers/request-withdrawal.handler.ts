import { withdrawalBodySchema } from '../../schemas/api/site-exit.schema.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { requestWithdrawal } from '../use-cases/site-operations/withdrawal.ts';

/** `POST /v1/sites/{siteId}/withdrawal` (Art.22; Idempotency-Key supported). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, withdrawalBodySchema);
  const result = await requestWithdrawal(caller, pathParam(event, 'siteId'), body, caller.requestId);
  return json(result.alreadyPending ? 200 : 202, result);
}).use(idempotentRequests());

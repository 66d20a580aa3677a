import { openRevocationBodySchema } from '../../schemas/api/site-exit.schema.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { openRevocation } from '../use-cases/site-operations/site-cases.ts';

/** `POST /v1/admin/sites/{siteId}/revocations` (admin; Art.23(2), Art.23(3); Idempotency-Key supported). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, openRevocationBodySchema);
  const result = await openRevocation(caller, pathParam(event, 'siteId'), body);
  return json(result.alreadyOpen ? 200 : 202, result);
}).use(idempotentRequests());

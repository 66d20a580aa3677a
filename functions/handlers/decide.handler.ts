import { decisionBodySchema } from '../../schemas/api/accreditation.schema.ts';
import { decide } from '../use-cases/decisions/decide.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';

/**
 * `POST /v1/decisions/{decisionId}`: the assigned reviewer decides; the
 * waiting workflow resumes. With an `Idempotency-Key`, a client retrying
 * after a lost answer gets the first answer again instead of 409.
 */
export const handler = httpHandler(
  async (event) => {
    const caller = callerOf(event);
    const body = parseBody(event, decisionBodySchema);
    return json(200, await decide(caller, pathParam(event, 'decisionId'), body, caller.requestId));
  },
).use(idempotentRequests());

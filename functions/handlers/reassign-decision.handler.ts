import { reassignBodySchema } from '../../schemas/api/accreditation.schema.ts';
import { reassignDecision } from '../use-cases/decisions/reassign-decision.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';

/** `POST /v1/decisions/{decisionId}/reassign` (admin). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, reassignBodySchema);
  return json(200, await reassignDecision(caller, pathParam(event, 'decisionId'), body, caller.requestId));
});

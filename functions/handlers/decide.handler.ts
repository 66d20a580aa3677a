import { decisionBodySchema } from '../../schemas/api/accreditation.schema.ts';
import { decide } from '../use-cases/decisions/decide.ts';
import { callerOf, pathParam } from '../use-cases/registry/caller.ts';
import { httpHandler, json, parseBody } from '../shared/http.ts';

/** `POST /v1/decisions/{decisionId}`: the assigned reviewer decides; the waiting workflow resumes. */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, decisionBodySchema);
  return json(200, await decide(caller, pathParam(event, 'decisionId'), body, caller.requestId));
});

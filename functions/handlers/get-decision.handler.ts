import { getDecisionView } from '../use-cases/decisions/decision-view.ts';
import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';

/** `GET /v1/decisions/{decisionId}`: what is to be decided; reads only (mail scanners open links). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  return json(200, await getDecisionView(caller, pathParam(event, 'decisionId')));
});

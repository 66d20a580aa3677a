import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { getSessionDetail } from '../use-cases/site-operations/sessions.ts';

/** `GET /v1/sites/{siteId}/sessions/{sessionId}`: ID numbers masked. */
export const handler = httpHandler(async (event) => json(200, await getSessionDetail(callerOf(event), pathParam(event, 'siteId'), pathParam(event, 'sessionId'))));

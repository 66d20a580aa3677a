import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { getSiteView } from '../use-cases/sites/read-sites.ts';

/** `GET /v1/sites/{siteId}`. */
export const handler = httpHandler(async (event) => json(200, await getSiteView(callerOf(event), pathParam(event, 'siteId'))));

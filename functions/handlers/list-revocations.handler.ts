import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { listSiteCases } from '../use-cases/site-operations/site-cases.ts';

/** `GET /v1/sites/{siteId}/cases`: withdrawal requests and revocation cases of a site. */
export const handler = httpHandler(async (event) => json(200, await listSiteCases(callerOf(event), pathParam(event, 'siteId'))));

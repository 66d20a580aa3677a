import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { listSiteEvaluations } from '../use-cases/supervision/campaigns.ts';

/** `GET /v1/sites/{siteId}/evaluations` (the site's members and staff). */
export const handler = httpHandler(async (event) => json(200, await listSiteEvaluations(callerOf(event), pathParam(event, 'siteId'))));

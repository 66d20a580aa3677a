import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { getReportPrefill } from '../use-cases/supervision/campaigns.ts';

/** `GET /v1/sites/{siteId}/evaluations/{campaignId}/report` (the site's members, staff): the report prefilled from the site's records. */
export const handler = httpHandler(async (event) => json(200, await getReportPrefill(callerOf(event), pathParam(event, 'siteId'), pathParam(event, 'campaignId'))));

import { callerOf, httpHandler, json, pageOf, pathParam, queryOf } from '../shared/http.ts';
import { getCampaignDetail } from '../use-cases/supervision/campaigns.ts';

/** `GET /v1/admin/campaigns/{campaignId}` (staff): progress and a page of evaluations. */
export const handler = httpHandler(async (event) => json(200, await getCampaignDetail(callerOf(event), pathParam(event, 'campaignId'), pageOf(queryOf(event)))));

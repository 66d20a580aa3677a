import { callerOf, httpHandler, json, pageOf, queryOf } from '../shared/http.ts';
import { listCampaignViews } from '../use-cases/supervision/campaigns.ts';

/** `GET /v1/admin/campaigns` (staff). */
export const handler = httpHandler(async (event) => json(200, await listCampaignViews(callerOf(event), pageOf(queryOf(event)))));

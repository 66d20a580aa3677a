import { openCampaignBodySchema } from '../../schemas/api/supervision.schema.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, parseBody } from '../shared/http.ts';
import { openCampaign } from '../use-cases/supervision/campaigns.ts';

/** `POST /v1/admin/campaigns` (admin; Idempotency-Key supported). */
export const handler = httpHandler(async (event) => {
  const campaign = await openCampaign(callerOf(event), parseBody(event, openCampaignBodySchema));
  return json(202, campaign, { location: `/v1/admin/campaigns/${campaign.campaignId}` });
}).use(idempotentRequests());

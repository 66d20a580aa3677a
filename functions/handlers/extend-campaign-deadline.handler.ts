import { extendCampaignDeadlineBodySchema } from '../../schemas/api/supervision.schema.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { extendDeadline } from '../use-cases/supervision/campaigns.ts';

/** `POST /v1/admin/campaigns/{campaignId}/deadline` (admin; Idempotency-Key supported). */
export const handler = httpHandler(async (event) =>
  json(200, await extendDeadline(callerOf(event), pathParam(event, 'campaignId'), parseBody(event, extendCampaignDeadlineBodySchema))),
).use(idempotentRequests());

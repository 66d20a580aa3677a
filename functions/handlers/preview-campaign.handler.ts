import { campaignPreviewBodySchema } from '../../schemas/api/supervision.schema.ts';
import { callerOf, httpHandler, json, parseBody } from '../shared/http.ts';
import { previewCampaign } from '../use-cases/supervision/campaigns.ts';

/** `POST /v1/admin/campaign-previews` (admin): the live count of a selection (changes nothing). */
export const handler = httpHandler(async (event) => json(200, await previewCampaign(callerOf(event), parseBody(event, campaignPreviewBodySchema))));

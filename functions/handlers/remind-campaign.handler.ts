import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { startReminderRound } from '../use-cases/supervision/campaigns.ts';

/** `POST /v1/admin/campaigns/{campaignId}/reminders` (admin; Idempotency-Key supported): starts a reminder round. */
export const handler = httpHandler(async (event) => json(202, await startReminderRound(callerOf(event), pathParam(event, 'campaignId')))).use(idempotentRequests());

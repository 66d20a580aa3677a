import { submitWorkSummarySchema } from '../../schemas/api/duties.schema.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { submitWorkSummary } from '../use-cases/sites/duties.ts';

/** `POST /v1/sites/{siteId}/work-summaries` (Art.16; Idempotency-Key supported). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const siteId = pathParam(event, 'siteId');
  const summary = await submitWorkSummary(caller, siteId, parseBody(event, submitWorkSummarySchema));
  return json(201, summary, { location: `/v1/sites/${encodeURIComponent(siteId)}/work-summaries` });
}).use(idempotentRequests());

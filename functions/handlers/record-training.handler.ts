import { recordTrainingSchema } from '../../schemas/api/duties.schema.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { recordTraining } from '../use-cases/sites/duties.ts';

/** `POST /v1/sites/{siteId}/trainings` (Art.15; Idempotency-Key supported). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const siteId = pathParam(event, 'siteId');
  const record = await recordTraining(caller, siteId, parseBody(event, recordTrainingSchema));
  return json(201, record, { location: `/v1/sites/${encodeURIComponent(siteId)}/trainings` });
}).use(idempotentRequests());

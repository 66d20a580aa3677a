import { scheduleSessionSchema } from '../../schemas/api/sessions.schema.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { scheduleSession } from '../use-cases/site-operations/sessions.ts';

/** `POST /v1/sites/{siteId}/sessions` (Idempotency-Key supported). */
export const handler = httpHandler(async (event) => {
  const siteId = pathParam(event, 'siteId');
  const session = await scheduleSession(callerOf(event), siteId, parseBody(event, scheduleSessionSchema));
  return json(201, session, { location: `/v1/sites/${siteId}/sessions/${session.sessionId}` });
}).use(idempotentRequests());

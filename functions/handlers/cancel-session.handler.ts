import { cancelSessionSchema } from '../../schemas/api/sessions.schema.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { cancelSession } from '../use-cases/site-operations/sessions.ts';

/** `POST /v1/sites/{siteId}/sessions/{sessionId}/cancel`. */
export const handler = httpHandler(async (event) =>
  json(200, await cancelSession(callerOf(event), pathParam(event, 'siteId'), pathParam(event, 'sessionId'), parseBody(event, cancelSessionSchema))),
);

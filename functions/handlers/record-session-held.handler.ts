import { recordHeldSchema } from '../../schemas/api/sessions.schema.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { recordSessionHeld } from '../use-cases/site-operations/sessions.ts';

/** `POST /v1/sites/{siteId}/sessions/{sessionId}/held`. */
export const handler = httpHandler(async (event) =>
  json(200, await recordSessionHeld(callerOf(event), pathParam(event, 'siteId'), pathParam(event, 'sessionId'), parseBody(event, recordHeldSchema))),
);

import { pageQuerySchema } from '../../schemas/api/page-query.schema.ts';
import { callerOf, httpHandler, json, pageOf, pathParam, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { listSiteSessions } from '../use-cases/site-operations/sessions.ts';

/** `GET /v1/sites/{siteId}/sessions`. */
export const handler = httpHandler(async (event) =>
  json(200, await listSiteSessions(callerOf(event), pathParam(event, 'siteId'), pageOf(parseWith(pageQuerySchema, queryOf(event))))),
);

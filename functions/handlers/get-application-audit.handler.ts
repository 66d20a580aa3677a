import { pageQuerySchema } from '../../schemas/api/page-query.schema.ts';
import { callerOf, httpHandler, json, pageOf, pathParam, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { getApplicationAudit } from '../use-cases/applications/get-application.ts';

/** `GET /v1/applications/{applicationId}/audit`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(pageQuerySchema, queryOf(event));
  return json(200, await getApplicationAudit(callerOf(event), pathParam(event, 'applicationId'), pageOf(query)));
});

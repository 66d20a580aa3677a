import { pageQuerySchema } from '../../schemas/api/registry.schema.ts';
import { httpHandler, json, parseWith } from '../shared/http.ts';
import { getApplicationAudit } from '../use-cases/applications/get-application.ts';
import { callerOf, pageOf, pathParam, queryOf } from '../use-cases/registry/caller.ts';

/** `GET /v1/applications/{applicationId}/audit`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(pageQuerySchema, queryOf(event));
  return json(200, await getApplicationAudit(callerOf(event), pathParam(event, 'applicationId'), pageOf(query)));
});

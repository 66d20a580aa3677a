import { pageQuerySchema } from '../../schemas/api/page-query.schema.ts';
import { callerOf, httpHandler, json, pageOf, pathParam, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { listTrainings } from '../use-cases/sites/duties.ts';

/** `GET /v1/sites/{siteId}/trainings?cursor=&limit=`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(pageQuerySchema, queryOf(event));
  return json(200, await listTrainings(callerOf(event), pathParam(event, 'siteId'), pageOf(query)));
});

import { pageQuerySchema } from '../../schemas/api/page-query.schema.ts';
import { callerOf, httpHandler, json, pageOf, pathParam, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { getSiteTimeline } from '../use-cases/sites/site-timeline.ts';

/** `GET /v1/sites/{siteId}/timeline?cursor=&limit=`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(pageQuerySchema, queryOf(event));
  return json(200, await getSiteTimeline(callerOf(event), pathParam(event, 'siteId'), pageOf(query)));
});

import { listSitesQuerySchema } from '../../schemas/api/sites.schema.ts';
import { callerOf, httpHandler, json, pageOf, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { listSites } from '../use-cases/sites/read-sites.ts';

/** `GET /v1/sites?status=&cursor=&limit=`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(listSitesQuerySchema, queryOf(event));
  return json(200, await listSites(callerOf(event), { status: query.status, ...pageOf(query) }));
});

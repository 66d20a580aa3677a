import { listSitesQuerySchema } from '../../schemas/api/sites.schema.ts';
import { callerOf, httpHandler, json, pageOf, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { listSites } from '../use-cases/sites/read-sites.ts';

/** `GET /v1/sites?province=&city=&status=&name=&milestoneBefore=&cursor=&limit=`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(listSitesQuerySchema, queryOf(event));
  return json(
    200,
    await listSites(callerOf(event), {
      status: query.status,
      provinceCode: query.province,
      cityCode: query.city,
      name: query.name,
      milestoneBefore: query.milestoneBefore,
      ...pageOf(query),
    }),
  );
});

import { pilotCollegeListQuerySchema } from '../../schemas/api/registry.schema.ts';
import { httpHandler, json, parseWith } from '../shared/http.ts';
import { callerOf, pageOf, queryOf } from '../use-cases/registry/caller.ts';
import { listRegister } from '../use-cases/registry/pilot-register.ts';

/** `GET /v1/admin/pilot-colleges?provinceCode=&cursor=&limit=`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(pilotCollegeListQuerySchema, queryOf(event));
  return json(200, await listRegister(callerOf(event), { provinceCode: query.provinceCode, ...pageOf(query) }));
});

import { pilotCollegeListQuerySchema } from '../../schemas/api/registry.schema.ts';
import { callerOf, httpHandler, json, pageOf, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { listRegister } from '../use-cases/registry/pilot-register.ts';

/** `GET /v1/admin/pilot-colleges?provinceCode=&cursor=&limit=`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(pilotCollegeListQuerySchema, queryOf(event));
  return json(200, await listRegister(callerOf(event), { provinceCode: query.provinceCode, ...pageOf(query) }));
});

import { pageQuerySchema } from '../../schemas/api/page-query.schema.ts';
import { callerOf, httpHandler, json, pageOf, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { listStaffMembers } from '../use-cases/registry/staff.ts';

/** `GET /v1/admin/staff`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(pageQuerySchema, queryOf(event));
  return json(200, await listStaffMembers(callerOf(event), pageOf(query)));
});

import { pageQuerySchema } from '../../schemas/api/registry.schema.ts';
import { httpHandler, json, parseWith } from '../shared/http.ts';
import { callerOf, pageOf, queryOf } from '../use-cases/registry/caller.ts';
import { listStaffMembers } from '../use-cases/registry/staff.ts';

/** `GET /v1/admin/staff`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(pageQuerySchema, queryOf(event));
  return json(200, await listStaffMembers(callerOf(event), pageOf(query)));
});

import { putStaffBodySchema } from '../../schemas/api/registry.schema.ts';
import { httpHandler, json, parseBody } from '../shared/http.ts';
import { callerOf, pathParam } from '../use-cases/registry/caller.ts';
import { putStaffMember } from '../use-cases/registry/staff.ts';

/** `PUT /v1/admin/staff/{sub}`. */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, putStaffBodySchema);
  return json(200, await putStaffMember(caller, pathParam(event, 'sub'), body));
});

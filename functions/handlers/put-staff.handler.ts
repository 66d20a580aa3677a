import { putStaffBodySchema } from '../../schemas/api/registry.schema.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { putStaffMember } from '../use-cases/registry/staff.ts';

/** `PUT /v1/admin/staff/{sub}`. */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, putStaffBodySchema);
  return json(200, await putStaffMember(caller, pathParam(event, 'sub'), body));
});

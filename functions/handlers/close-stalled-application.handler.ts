import { closeStalledBodySchema } from '../../schemas/api/accreditation.schema.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { closeStalled } from '../use-cases/accreditation/stalled.ts';

/** `POST /v1/admin/applications/{applicationId}/close` (admin). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, closeStalledBodySchema);
  return json(200, await closeStalled(caller, pathParam(event, 'applicationId'), body));
});

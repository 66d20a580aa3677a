import { resumeBodySchema } from '../../schemas/api/accreditation.schema.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { resumeStalled } from '../use-cases/accreditation/stalled.ts';

/** `POST /v1/admin/applications/{applicationId}/resume` (admin). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, resumeBodySchema);
  return json(200, await resumeStalled(caller, pathParam(event, 'applicationId'), body));
});

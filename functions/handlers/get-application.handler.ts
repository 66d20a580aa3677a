import { callerOf, httpHandler, json, pathParam } from '../shared/http.ts';
import { getApplicationDetail } from '../use-cases/applications/get-application.ts';

/** `GET /v1/applications/{applicationId}` (Art.4: the applicant reads the result here). */
export const handler = httpHandler(async (event) => {
  const detail = await getApplicationDetail(callerOf(event), pathParam(event, 'applicationId'));
  return json(200, detail, { etag: `"${detail.application.version}"` });
});

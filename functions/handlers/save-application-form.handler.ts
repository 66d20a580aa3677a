import { saveFormBodySchema } from '../../schemas/api/applications.schema.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { saveForm } from '../use-cases/applications/save-form.ts';

/** `PUT /v1/applications/{applicationId}/form` (version in the body or `If-Match`). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, saveFormBodySchema);
  const out = await saveForm(caller, pathParam(event, 'applicationId'), { ...body, ifMatch: event.headers?.['if-match'] });
  return json(200, out, { etag: `"${out.application.version}"` });
});

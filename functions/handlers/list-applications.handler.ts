import { listApplicationsQuerySchema } from '../../schemas/api/applications.schema.ts';
import { callerOf, httpHandler, json, pageOf, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { listApplications } from '../use-cases/applications/list-applications.ts';

/** `GET /v1/applications?status=&cursor=&limit=`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(listApplicationsQuerySchema, queryOf(event));
  return json(200, await listApplications(callerOf(event), { status: query.status, ...pageOf(query) }));
});

import { listApplicationsQuerySchema } from '../../schemas/api/applications.schema.ts';
import { httpHandler, json, parseWith } from '../shared/http.ts';
import { listApplications } from '../use-cases/applications/list-applications.ts';
import { callerOf, pageOf, queryOf } from '../use-cases/registry/caller.ts';

/** `GET /v1/applications?status=&cursor=&limit=`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(listApplicationsQuerySchema, queryOf(event));
  return json(200, await listApplications(callerOf(event), { status: query.status, ...pageOf(query) }));
});

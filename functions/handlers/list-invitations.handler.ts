import { pageQuerySchema } from '../../schemas/api/page-query.schema.ts';
import { callerOf, httpHandler, json, pageOf, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { listInvitations } from '../use-cases/registry/invitations.ts';

/** `GET /v1/admin/invitations`. */
export const handler = httpHandler(async (event) => {
  const query = parseWith(pageQuerySchema, queryOf(event));
  return json(200, await listInvitations(callerOf(event), pageOf(query)));
});

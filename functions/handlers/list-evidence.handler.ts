import { applicationIdSchema, evidenceListQuerySchema } from '../../schemas/evidence-api.schema.ts';
import { httpHandler, json, principalOf, queryOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { groupsClaim } from '../use-cases/evidence/access.ts';
import { listEvidence } from '../use-cases/evidence/list-evidence.ts';

/** `GET /v1/applications/{applicationId}/evidence`: every kind with its files and what is still needed (Art.3); `?kind=` narrows it to one kind (a site's documents). */
export const handler = httpHandler(async (event) => {
  const principal = principalOf(event, groupsClaim());
  const applicationId = parseWith(applicationIdSchema, event.pathParameters?.applicationId);
  const query = parseWith(evidenceListQuerySchema, queryOf(event));
  return json(200, await listEvidence(principal, applicationId, query.kind));
});

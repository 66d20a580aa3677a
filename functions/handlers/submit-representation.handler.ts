import { representationBodySchema } from '../../schemas/api/site-exit.schema.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, parseBody, pathParam } from '../shared/http.ts';
import { submitRepresentation } from '../use-cases/site-operations/site-cases.ts';

/** `POST /v1/sites/{siteId}/revocations/{revocationId}/representation` (the site's answer; Idempotency-Key supported). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const body = parseBody(event, representationBodySchema);
  return json(200, await submitRepresentation(caller, pathParam(event, 'siteId'), pathParam(event, 'revocationId'), body));
}).use(idempotentRequests());

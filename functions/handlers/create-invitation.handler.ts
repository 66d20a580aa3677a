import { createInvitationBodySchema } from '../../schemas/api/registry.schema.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { callerOf, httpHandler, json, parseBody } from '../shared/http.ts';
import { createInvitation } from '../use-cases/registry/invitations.ts';

/** `POST /v1/admin/invitations` (Idempotency-Key: a retried request sends no second e-mail). */
export const handler = httpHandler(
  async (event) => {
    const caller = callerOf(event);
    const body = parseBody(event, createInvitationBodySchema);
    return json(201, await createInvitation(caller, body));
  },
).use(idempotentRequests());

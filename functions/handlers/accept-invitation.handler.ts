import { acceptInvitationBodySchema } from '../../schemas/api/registry.schema.ts';
import { callerOf, httpHandler, json, parseBody, tokenEmailOf } from '../shared/http.ts';
import { acceptInvitation } from '../use-cases/registry/invitations.ts';

/** `POST /v1/invitations/accept` (the caller's verified e-mail must be the invited address). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const { code } = parseBody(event, acceptInvitationBodySchema);
  return json(201, await acceptInvitation(caller, code, tokenEmailOf(event)));
});

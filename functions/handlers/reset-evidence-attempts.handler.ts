import { applicationIdSchema, evidenceKindParamSchema, resetAttemptsBodySchema } from '../../schemas/evidence-api.schema.ts';
import { callerOf, httpHandler, json, parseBody } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { resetEvidenceAttempts } from '../use-cases/evidence/reset-attempts.ts';

/** `POST /v1/applications/{applicationId}/evidence-kinds/{kind}/reset-attempts` `{ reason }` (admin): a kind's upload attempts count from zero again. */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const result = await resetEvidenceAttempts({
    principal: caller,
    applicationId: parseWith(applicationIdSchema, event.pathParameters?.applicationId),
    kind: parseWith(evidenceKindParamSchema, event.pathParameters?.kind),
    reason: parseBody(event, resetAttemptsBodySchema).reason,
  });
  return json(200, result);
});

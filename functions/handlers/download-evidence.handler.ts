import { applicationIdSchema, itemIdSchema } from '../../schemas/evidence-api.schema.ts';
import { httpHandler, json, principalOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { groupsClaim } from '../use-cases/evidence/access.ts';
import { downloadEvidence } from '../use-cases/evidence/download-evidence.ts';

/** `GET /v1/applications/{applicationId}/evidence/{itemId}/download`: an audited, short-lived URL of the validated version. */
export const handler = httpHandler(async (event, context) => {
  const principal = principalOf(event, groupsClaim());
  const result = await downloadEvidence({
    principal,
    applicationId: parseWith(applicationIdSchema, event.pathParameters?.applicationId),
    itemId: parseWith(itemIdSchema, event.pathParameters?.itemId),
    requestId: event.requestContext?.requestId ?? context.awsRequestId,
  });
  return json(200, result);
});

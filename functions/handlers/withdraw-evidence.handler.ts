import { applicationIdSchema, itemIdSchema } from '../../schemas/evidence-api.schema.ts';
import { httpHandler, principalOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { groupsClaim } from '../use-cases/evidence/access.ts';
import { withdrawEvidence } from '../use-cases/evidence/withdraw-evidence.ts';

/** `DELETE /v1/applications/{applicationId}/evidence/{itemId}`: removes a file while the application may change (Art.4). */
export const handler = httpHandler(async (event, context) => {
  const principal = principalOf(event, groupsClaim());
  await withdrawEvidence({
    principal,
    applicationId: parseWith(applicationIdSchema, event.pathParameters?.applicationId),
    itemId: parseWith(itemIdSchema, event.pathParameters?.itemId),
    requestId: event.requestContext?.requestId ?? context.awsRequestId,
  });
  return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
});

import { applicationIdSchema, idempotencyKeySchema, requestUploadBodySchema } from '../../schemas/evidence-api.schema.ts';
import { httpHandler, json, parseBody, parseWith, principalOf } from '../shared/http.ts';
import { groupsClaim } from '../use-cases/evidence/access.ts';
import { requestEvidenceUpload } from '../use-cases/evidence/request-upload.ts';

/** `POST /v1/applications/{applicationId}/evidence/{kind}/uploads`: a presigned POST for one file (Art.3). */
export const handler = httpHandler(async (event) => {
  const principal = principalOf(event, groupsClaim());
  const applicationId = parseWith(applicationIdSchema, event.pathParameters?.applicationId);
  const idempotencyKey = event.headers?.['idempotency-key'];
  const result = await requestEvidenceUpload({
    principal,
    applicationId,
    kind: event.pathParameters?.kind ?? '',
    body: parseBody(event, requestUploadBodySchema),
    ...(idempotencyKey ? { idempotencyKey: parseWith(idempotencyKeySchema, idempotencyKey) } : {}),
  });
  return json(201, result);
});

import { applicationIdSchema, idempotencyKeySchema, requestUploadBodySchema } from '../../schemas/evidence-api.schema.ts';
import { httpHandler, json, parseBody, principalOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { groupsClaim } from '../use-cases/evidence/access.ts';
import { requestEvidenceUpload } from '../use-cases/evidence/request-upload.ts';

/** `POST /v1/applications/{applicationId}/evidence` `{ kind, fileName, contentType, size }`: a new evidence item and a presigned POST for its file (Art.3). */
export const handler = httpHandler(async (event) => {
  const principal = principalOf(event, groupsClaim());
  const applicationId = parseWith(applicationIdSchema, event.pathParameters?.applicationId);
  const idempotencyKey = event.headers?.['idempotency-key'];
  const body = parseBody(event, requestUploadBodySchema);
  const { kind } = body;
  const result = await requestEvidenceUpload({
    principal,
    applicationId,
    kind,
    body,
    ...(idempotencyKey ? { idempotencyKey: parseWith(idempotencyKeySchema, idempotencyKey) } : {}),
  });
  return json(201, result);
});

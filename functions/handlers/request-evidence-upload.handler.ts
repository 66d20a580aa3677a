import { applicationIdSchema, requestUploadBodySchema } from '../../schemas/evidence-api.schema.ts';
import { appConfig } from '../shared/env.ts';
import { idempotentRequests } from '../shared/idempotency.ts';
import { httpHandler, json, parseBody, principalOf } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { groupsClaim } from '../use-cases/evidence/access.ts';
import { requestEvidenceUpload } from '../use-cases/evidence/request-upload.ts';

/**
 * `POST /v1/applications/{applicationId}/evidence` `{ kind, fileName, contentType, size }`: a new evidence item and a presigned POST for its file (Art.3).
 * With an `Idempotency-Key`, a retry gets the first grant again (same item, same expiry) for as long as that grant lives, never longer.
 */
export const handler = httpHandler(
  async (event) => {
    const principal = principalOf(event, groupsClaim());
    const applicationId = parseWith(applicationIdSchema, event.pathParameters?.applicationId);
    const body = parseBody(event, requestUploadBodySchema);
    const result = await requestEvidenceUpload({ principal, applicationId, kind: body.kind, body });
    return json(201, result);
  },
).use(idempotentRequests({ expiresAfterSeconds: () => appConfig().deadlines.uploadExpirySeconds }));

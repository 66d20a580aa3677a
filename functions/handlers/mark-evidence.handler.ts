import { applicationIdSchema, evidenceMarksBodySchema, itemIdSchema } from '../../schemas/evidence-api.schema.ts';
import { callerOf, httpHandler, json, parseBody } from '../shared/http.ts';
import { parseWith } from '../shared/validation.ts';
import { markEvidence } from '../use-cases/evidence/mark-evidence.ts';

/** `PUT /v1/applications/{applicationId}/evidence/{itemId}/marks` `{ marks, note? }`: a reviewer marks a file not stamped, illegible, not matching or expired (Art.3). */
export const handler = httpHandler(async (event) => {
  const caller = callerOf(event);
  const result = await markEvidence({
    principal: caller,
    applicationId: parseWith(applicationIdSchema, event.pathParameters?.applicationId),
    itemId: parseWith(itemIdSchema, event.pathParameters?.itemId),
    body: parseBody(event, evidenceMarksBodySchema),
    requestId: caller.requestId,
  });
  return json(200, result);
});

import { objectCreatedEventSchema } from '../../schemas/evidence-api.schema.ts';
import { logger } from '../shared/logger.ts';
import { sqsBatchHandler } from '../shared/sqs.ts';
import { validateEvidenceObject } from '../use-cases/evidence/validate-object.ts';

/**
 * Validates uploaded evidence: an SQS batch of EventBridge "Object Created"
 * events. A malformed message is dropped with an error log (retrying cannot
 * fix it); a failure on one record reports only that record, so SQS retries
 * it alone (partial batch response) and, after the last receive, the DLQ
 * keeps it. Records are handled in order, so a newer version of a key in the
 * same batch is seen after an older one.
 */
export const handler = sqsBatchHandler(objectCreatedEventSchema, 'S3 Object Created event', async ({ detail, time }, messageId) => {
  const outcome = await validateEvidenceObject({
    bucket: detail.bucket.name,
    key: detail.object.key,
    size: detail.object.size,
    versionId: detail.object['version-id'],
    sequencer: detail.object.sequencer,
    time,
  });
  logger.info('evidence event handled', { messageId, outcome });
});

import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { objectCreatedEventSchema } from '../../schemas/evidence-api.schema.ts';
import { logger, setCorrelationId } from '../shared/logger.ts';
import { validateEvidenceObject } from '../use-cases/evidence/validate-object.ts';

/**
 * Validates uploaded evidence: an SQS batch of EventBridge "Object Created"
 * events. A malformed message is dropped with an error log (retrying cannot
 * fix it); a failure on one record reports only that record, so SQS retries
 * it alone (partial batch response) and, after the last receive, the DLQ
 * keeps it. Records are handled in order, so a newer version of a key in the
 * same batch is seen after an older one.
 */
export const handler = middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    setCorrelationId(record.messageId);
    let parsed;
    try {
      parsed = objectCreatedEventSchema.safeParse(JSON.parse(record.body));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      logger.error('dropping a message that is not an S3 Object Created event', { messageId: record.messageId });
      continue;
    }
    const { detail, time } = parsed.data;
    try {
      const outcome = await validateEvidenceObject({
        bucket: detail.bucket.name,
        key: detail.object.key,
        size: detail.object.size,
        versionId: detail.object['version-id'],
        sequencer: detail.object.sequencer,
        time,
      });
      logger.info('evidence event handled', { messageId: record.messageId, outcome });
    } catch (error) {
      logger.warn('evidence event failed; will retry', { messageId: record.messageId, error: error instanceof Error ? error.name : 'unknown' });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});

import middy from '@middy/core';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type * as z from 'zod/mini';
import { logger, loggerContext, setCorrelationId } from './logger.ts';

/**
 * Wraps a queue consumer: each record's body is parsed as JSON and validated
 * with `schema`; a malformed message is dropped with an error log (retrying
 * cannot fix it); a failure while handling one record reports only that
 * record (partial batch response), so SQS redelivers it alone and, after its
 * last receive, the DLQ keeps it. Records are handled in order.
 */
export function sqsBatchHandler<S extends z.ZodMiniType>(
  schema: S,
  what: string,
  handle: (message: z.infer<S>, messageId: string) => Promise<void>,
) {
  return middy<SQSEvent, SQSBatchResponse>().use(loggerContext()).handler(async (event) => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      setCorrelationId(record.messageId);
      let parsed;
      try {
        parsed = schema.safeParse(JSON.parse(record.body));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) {
        logger.error(`dropping a message that is not a valid ${what}`, { messageId: record.messageId });
        continue;
      }
      try {
        await handle(parsed.data as z.infer<S>, record.messageId);
      } catch (error) {
        logger.warn(`${what} failed; will retry`, { messageId: record.messageId, error: error instanceof Error ? error.name : 'unknown' });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  });
}

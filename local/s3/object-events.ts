import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { S3ObjectCreatedNotificationEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '../../functions/shared/logger.ts';

/** The S3 API that created an object, as S3 names it in the EventBridge event's `reason`. */
export type CreatedReason = 'PutObject' | 'POST Object' | 'CopyObject';

/** Facts about one write, gathered while the request is answered. */
export interface ObjectCreatedFact {
  bucket: string;
  key: string;
  size: number;
  /** MD5 hex without quotes (EventBridge events carry the ETag unquoted). */
  etag: string;
  versionId: string;
  sequencer: string;
  requestId: string;
  sourceIp: string;
  reason: CreatedReason;
  atMs: number;
}

/** Where the events go and how their ARNs read. */
export interface EventTarget {
  region: string;
  accountId: string;
  /** Name of the SQS queue the EventBridge rule feeds (only its ARN shows in the records). */
  queueName: string;
  onObjectCreated: (event: SQSEvent) => unknown;
}

/** Records delivered in one SQS batch at most (the Lambda event source default). */
export const MAX_BATCH = 10;

/** `aws`, or `aws-cn` for the China regions: ARNs never hard-code the partition. */
export function partitionOf(region: string): string {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/**
 * The EventBridge "Object Created" event S3 sends with `eventBridgeEnabled`.
 * Unlike S3 event notifications, its `detail.object.key` is the raw key (not
 * URL-encoded) and its `etag` has no quotes.
 */
export function objectCreatedEvent(fact: ObjectCreatedFact, target: Pick<EventTarget, 'region' | 'accountId'>): S3ObjectCreatedNotificationEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: target.accountId,
    time: new Date(fact.atMs).toISOString().replace(/\.\d+Z$/, 'Z'),
    region: target.region,
    resources: [`arn:${partitionOf(target.region)}:s3:::${fact.bucket}`],
    detail: {
      version: '0',
      bucket: { name: fact.bucket },
      object: { key: fact.key, size: fact.size, etag: fact.etag, 'version-id': fact.versionId, sequencer: fact.sequencer },
      'request-id': fact.requestId,
      requester: target.accountId,
      'source-ip-address': fact.sourceIp,
      reason: fact.reason,
    },
  };
}

/** Wraps EventBridge events as the SQS batch a queue-triggered Lambda receives. */
export function sqsBatch(events: S3ObjectCreatedNotificationEvent[], target: Pick<EventTarget, 'region' | 'accountId' | 'queueName'>, nowMs: number): SQSEvent {
  const arn = `arn:${partitionOf(target.region)}:sqs:${target.region}:${target.accountId}:${target.queueName}`;
  const Records = events.map((event): SQSRecord => {
    const body = JSON.stringify(event);
    return {
      messageId: randomUUID(),
      receiptHandle: randomBytes(96).toString('base64'),
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(nowMs),
        // EventBridge delivers to SQS as this AWS service principal.
        SenderId: 'AIDAIENQZJOLO23YVJ4VO',
        ApproximateFirstReceiveTimestamp: String(nowMs),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
      awsRegion: target.region,
    };
  });
  return { Records };
}

/**
 * Delivers "Object Created" events outside the request that caused them:
 * facts queued during one tick go out together, in batches of at most ten,
 * one batch at a time. A listener that throws or rejects is logged and does
 * not affect the upload (s3rver's own emitter would turn it into a 500).
 */
export class ObjectEventDispatcher {
  private queue: ObjectCreatedFact[] = [];
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly target: EventTarget | undefined,
    private readonly now: () => number,
  ) {}

  enqueue(fact: ObjectCreatedFact): void {
    if (!this.target) return;
    this.queue.push(fact);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.running.then(() => this.drain());
    });
  }

  /** Resolves once every queued event has been delivered (or its delivery failed). */
  async idle(): Promise<void> {
    for (;;) {
      const current = this.running;
      await current;
      if (!this.scheduled && this.queue.length === 0 && current === this.running) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  private async drain(): Promise<void> {
    const target = this.target;
    if (!target) return;
    while (this.queue.length > 0) {
      const facts = this.queue.splice(0, MAX_BATCH);
      const event = sqsBatch(
        facts.map((f) => objectCreatedEvent(f, target)),
        target,
        this.now(),
      );
      try {
        await target.onObjectCreated(event);
      } catch (error) {
        logger.error('local s3: the object-created listener failed', {
          error: error instanceof Error ? error.message : String(error),
          records: facts.length,
        });
      }
    }
  }
}

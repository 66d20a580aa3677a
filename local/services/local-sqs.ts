import type { Server } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import type { SQSEvent, SQSRecord, SQSBatchResponse } from 'aws-lambda';
import { nowMs } from '../../functions/shared/clock.ts';
import { AwsServiceError, closeServer, createAwsJsonServer, listenLocal } from './aws-json-server.ts';

/** A local queue: delivers to its consumer at most `ratePerSecond` messages a second, like an event source mapping with a rate-limited consumer. */
export interface LocalQueueOptions {
  readonly name: string;
  readonly consumer: (event: SQSEvent) => Promise<SQSBatchResponse | void>;
  readonly batchSize?: number;
  readonly ratePerSecond?: number;
  /** Consumers running at once (the event source mapping's maximum concurrency); together they keep `ratePerSecond`. Default 1. */
  readonly maxConcurrency?: number;
  /** Receives before a message goes to the dead-letter list. */
  readonly maxReceiveCount?: number;
}

interface QueuedMessage {
  id: string;
  body: string;
  attributes: Record<string, { DataType: string; StringValue?: string }>;
  receiveCount: number;
  sentAt: number;
}

class LocalQueue {
  readonly pending: QueuedMessage[] = [];
  readonly deadLetters: QueuedMessage[] = [];
  private draining = false;
  private idle: Array<() => void> = [];

  constructor(
    readonly options: LocalQueueOptions,
    readonly arn: string,
    readonly region: string,
  ) {}

  enqueue(message: QueuedMessage): void {
    this.pending.push(message);
    if (!this.draining) void this.drain();
  }

  /** Resolves when the queue has nothing left to deliver. */
  whenIdle(): Promise<void> {
    if (!this.draining && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private async drain(): Promise<void> {
    this.draining = true;
    const consumers = Math.max(1, this.options.maxConcurrency ?? 1);
    try {
      // Each consumer takes the next batch as soon as it is free; the shared clock of slots keeps the queue's rate.
      await Promise.all(Array.from({ length: consumers }, () => this.consume()));
    } finally {
      this.draining = false;
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** The next instant (real ms) a batch may start, shared by the consumers. */
  private nextSlotAt = 0;

  private async consume(): Promise<void> {
    const batchSize = this.options.batchSize ?? 1;
    const interval = 1000 / (this.options.ratePerSecond ?? 50);
    while (this.pending.length > 0) {
      // Pacing is in real time on purpose: it models the mail provider's send rate, not a business deadline.
      const now = Date.now();
      const at = Math.max(now, this.nextSlotAt);
      const batch = this.pending.splice(0, batchSize);
      this.nextSlotAt = at + interval * batch.length;
      if (at > now) await new Promise((r) => setTimeout(r, at - now));
      const failedIds = await this.deliver(batch);
      for (const m of batch) {
        if (!failedIds.has(m.id)) continue;
        if (m.receiveCount >= (this.options.maxReceiveCount ?? 5)) this.deadLetters.push(m);
        else this.pending.push(m);
      }
    }
  }

  private async deliver(batch: QueuedMessage[]): Promise<Set<string>> {
    const records: SQSRecord[] = batch.map((m) => {
      m.receiveCount++;
      return {
        messageId: m.id,
        receiptHandle: randomUUID(),
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: 'LOCAL',
          ApproximateFirstReceiveTimestamp: String(nowMs()),
        },
        messageAttributes: Object.fromEntries(
          Object.entries(m.attributes).map(([k, v]) => [k, { dataType: v.DataType, stringValue: v.StringValue, stringListValues: [], binaryListValues: [] }]),
        ),
        md5OfBody: createHash('md5').update(m.body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: this.arn,
        awsRegion: this.region,
      };
    });
    try {
      const response = await this.options.consumer({ Records: records });
      return new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (error) {
      console.error(`[sqs] consumer of ${this.options.name} failed; the batch will be retried`, error);
      return new Set(batch.map((m) => m.id));
    }
  }
}

/**
 * SQS `SendMessage` / `SendMessageBatch` (AWS JSON 1.0, `AmazonSQS.*`) for
 * the queues the handlers write to (the mail queue), each delivered to its
 * in-process consumer as an SQS event, with partial batch failures and a
 * dead-letter list after `maxReceiveCount` receives.
 */
export class LocalSqs {
  private server: Server | undefined;
  private readonly queues = new Map<string, LocalQueue>();
  port = 0;

  constructor(
    private readonly region = 'us-east-1',
    private readonly account = '000000000000',
  ) {}

  async start(port: number): Promise<this> {
    this.server = createAwsJsonServer(
      'AmazonSQS',
      {
        SendMessage: (input) => this.sendMessage(String(input.QueueUrl), input),
        SendMessageBatch: (input) => {
          const entries = (input.Entries as Array<Record<string, unknown>> | undefined) ?? [];
          return {
            Successful: entries.map((e) => ({ Id: e.Id, ...this.sendMessage(String(input.QueueUrl), e) })),
            Failed: [],
          };
        },
      },
      'application/x-amz-json-1.0',
    );
    this.port = await listenLocal(this.server, port);
    return this;
  }

  /** Creates a queue and returns its URL. */
  createQueue(options: LocalQueueOptions): string {
    const url = this.queueUrl(options.name);
    this.queues.set(url, new LocalQueue(options, `arn:aws:sqs:${this.region}:${this.account}:${options.name}`, this.region));
    return url;
  }

  queueUrl(name: string): string {
    return `http://127.0.0.1:${this.port}/${this.account}/${name}`;
  }

  /** Resolves when every queue has delivered everything it holds. */
  async whenIdle(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.whenIdle()));
  }

  deadLetters(name: string): readonly { id: string; body: string }[] {
    return this.queues.get(this.queueUrl(name))?.deadLetters ?? [];
  }

  private sendMessage(queueUrl: string, input: Record<string, unknown>): { MessageId: string; MD5OfMessageBody: string } {
    const queue = this.queues.get(queueUrl);
    if (!queue) throw new AwsServiceError('AWS.SimpleQueueService.NonExistentQueue', `no queue ${queueUrl}`);
    const body = input.MessageBody;
    if (typeof body !== 'string' || body.length === 0) throw new AwsServiceError('MissingParameter', 'MessageBody is required');
    if (Buffer.byteLength(body) > 256 * 1024) throw new AwsServiceError('InvalidParameterValue', 'message too long');
    const message: QueuedMessage = {
      id: randomUUID(),
      body,
      attributes: (input.MessageAttributes as QueuedMessage['attributes'] | undefined) ?? {},
      receiveCount: 0,
      sentAt: nowMs(),
    };
    queue.enqueue(message);
    return { MessageId: message.id, MD5OfMessageBody: createHash('md5').update(body).digest('hex') };
  }

  async stop(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }
}

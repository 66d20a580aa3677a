import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { nowIso } from '../../functions/shared/clock.ts';
import { AwsServiceError, closeServer, createAwsJsonServer, listenLocal } from './aws-json-server.ts';

/** An event as EventBridge delivers it to a target. */
export interface BusEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  /** Name of the bus it was put on (not part of the AWS envelope; for local inspection). */
  eventBusName: string;
}

/** A local rule: a minimal event pattern on source and detail-type, and a target. */
export interface LocalRule {
  readonly name: string;
  readonly eventBusName?: string;
  readonly source?: readonly string[];
  readonly detailType?: readonly string[];
  readonly target: (event: BusEvent) => Promise<void> | void;
}

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: string | number;
}

/**
 * EventBridge `PutEvents` (AWS JSON 1.1, `AWSEvents.PutEvents`): records every
 * domain event (readable from the local stack) and routes it, asynchronously,
 * to the local rules whose pattern matches.
 */
export class LocalEventBridge {
  private server: Server | undefined;
  private readonly recorded: BusEvent[] = [];
  private readonly rules: LocalRule[] = [];
  port = 0;

  constructor(
    private readonly region = 'us-east-1',
    private readonly account = '000000000000',
  ) {}

  async start(port: number): Promise<this> {
    this.server = createAwsJsonServer('AWSEvents', {
      PutEvents: (input) => this.putEvents((input.Entries as PutEventsEntry[] | undefined) ?? []),
    });
    this.port = await listenLocal(this.server, port);
    return this;
  }

  addRule(rule: LocalRule): void {
    this.rules.push(rule);
  }

  /** Every event put since start, oldest first. */
  events(): readonly BusEvent[] {
    return this.recorded;
  }

  putEvents(entries: PutEventsEntry[]): { FailedEntryCount: number; Entries: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }> } {
    if (entries.length === 0 || entries.length > 10) {
      throw new AwsServiceError('ValidationException', 'PutEvents takes 1 to 10 entries');
    }
    let failed = 0;
    const results = entries.map((entry) => {
      if (!entry.Source || !entry.DetailType || entry.Detail === undefined) {
        failed++;
        return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required' };
      }
      let detail: unknown;
      try {
        detail = JSON.parse(entry.Detail);
      } catch {
        failed++;
        return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
      }
      const event: BusEvent = {
        version: '0',
        id: randomUUID(),
        'detail-type': entry.DetailType,
        source: entry.Source,
        account: this.account,
        time: nowIso().replace(/\.\d{3}Z$/, 'Z'),
        region: this.region,
        resources: entry.Resources ?? [],
        detail,
        eventBusName: entry.EventBusName ?? 'default',
      };
      this.recorded.push(event);
      this.route(event);
      return { EventId: event.id };
    });
    return { FailedEntryCount: failed, Entries: results };
  }

  private route(event: BusEvent): void {
    for (const rule of this.rules) {
      if (rule.eventBusName && rule.eventBusName !== event.eventBusName) continue;
      if (rule.source && !rule.source.includes(event.source)) continue;
      if (rule.detailType && !rule.detailType.includes(event['detail-type'])) continue;
      // Delivery is asynchronous, as on AWS: a failing target never fails PutEvents.
      setImmediate(() => {
        Promise.resolve()
          .then(() => rule.target(event))
          .catch((error: unknown) => console.error(`[events] rule ${rule.name} target failed`, error));
      });
    }
  }

  async stop(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }
}

// First: the log level must be set before the handlers' logger is made.
import './log-level.ts';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import { defaultRoute, functions, routes, functionArnPlaceholder, MAIL_MAX_CONCURRENCY } from '../functions/catalog.ts';
import { VirtualClock, parseDuration } from './clock.ts';
import { localPorts, type LocalPorts } from './ports.ts';
import { localAppConfig, LOCAL_CLIENT_ID } from './local-config.ts';
import { startDynamoDbLocal, ensureTable, type DynamoDbLocal } from './dynamodb/dynamodb-local.ts';
import { LocalS3 } from './s3/local-s3.ts';
import { LocalStepFunctions, advanceInSteps, localFunctionArn, LOCAL_REGION, LOCAL_ACCOUNT_ID } from './stepfunctions/index.ts';
import { LocalScheduler } from './scheduler/index.ts';
import { LocalSes } from './services/local-ses.ts';
import { LocalEventBridge } from './services/local-eventbridge.ts';
import { LocalSqs } from './services/local-sqs.ts';
import { LocalLambdaRuntime } from './lambda-runtime.ts';
import { LocalIssuer, DEMO_USERS } from './oidc/local-issuer.ts';
import { LocalGateway, type ControlRoute } from './gateway/local-gateway.ts';
import { DynamoDbRequestLog } from './request-log.ts';

export const LOCAL_TABLE = 'exam-site-local';
export const LOCAL_BUCKET = 'exam-site-local-evidence';
export const LOCAL_EVENT_BUS = 'exam-site-local';
export const LOCAL_SCHEDULE_GROUP = 'exam-site-local';
const ACCESS_KEY = 'LOCALACCESSKEY';
const SECRET_KEY = 'local-secret-key-not-for-aws';

export interface LocalStackOptions {
  /** Base of the port plan (see ports.ts). */
  readonly portBase?: number;
  /** Where the outbox, S3 data and logs go (default `.local/`). */
  readonly dataDir?: string;
  /** Reports each component as it comes up. */
  readonly onProgress?: (component: string, detail: string) => void;
  /** Start of virtual time (default: now). */
  readonly startAt?: number;
  /**
   * Run the catalogue's `schedule` functions (the daily reconciliation) every
   * day at 03:00 Beijing time on the virtual clock, as the CDK app's daily
   * schedules do (default true).
   */
  readonly dailySchedules?: boolean;
  /** The mail provider's rate (default the config's `mail.ratePerSecond`): the local queue's pace and the senders'; the benches raise it. */
  readonly mailRatePerSecond?: number;
}

/** A running local stack: every emulator, the handlers, the portal, one virtual clock. */
export interface LocalStack {
  readonly ports: LocalPorts;
  readonly clock: VirtualClock;
  readonly baseUrl: string;
  readonly outboxDir: string;
  readonly issuer: LocalIssuer;
  readonly engine: LocalStepFunctions;
  /** Every DynamoDB operation the stack sent, by type (the proof of "no Scan"). */
  readonly dynamoRequests: DynamoDbRequestLog;
  readonly scheduler: LocalScheduler;
  readonly s3: LocalS3;
  readonly ses: LocalSes;
  readonly events: LocalEventBridge;
  readonly sqs: LocalSqs;
  readonly runtime: LocalLambdaRuntime;
  /** Waits until workflows, queues and object events have nothing left to do right now. */
  settle(): Promise<void>;
  /** Moves the virtual clock and waits for what that set off. */
  advance(duration: string | number): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Starts the whole local stack on 127.0.0.1: DynamoDB Local, S3 (s3rver
 * behind a policy-checking front), Step Functions running the ASL files,
 * Scheduler, SES outbox, EventBridge, SQS, the API gateway with the local
 * OIDC issuer, and the real handlers in-process. Only `AWS_ENDPOINT_URL_*`
 * and credentials differ from AWS.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const root = resolve(import.meta.dirname, '..');
  const ports = localPorts(options.portBase);
  const dataDir = resolve(options.dataDir ?? join(root, '.local'));
  const outboxDir = join(dataDir, 'outbox');
  rmSync(outboxDir, { recursive: true, force: true });
  mkdirSync(outboxDir, { recursive: true });
  const progress = options.onProgress ?? (() => undefined);
  const clock = new VirtualClock();
  if (options.startAt) clock.advanceTo(options.startAt);
  clock.install();
  const defaults = localAppConfig(ports);
  // One provider rate: the queue's pace and the senders' (send-mail paces itself to config.mail.ratePerSecond).
  const config = options.mailRatePerSecond ? { ...defaults, mail: { ...defaults.mail, ratePerSecond: options.mailRatePerSecond } } : defaults;
  const stopped: Array<() => Promise<void>> = [];

  try {
    progress('dynamodb', `starting DynamoDB Local (Java) on :${ports.dynamodb}`);
    const ddb: DynamoDbLocal = await startDynamoDbLocal({ port: ports.dynamodb });
    stopped.push(() => ddb.stop());
    const dynamoRequests = new DynamoDbRequestLog(ddb.endpoint);
    const dynamoEndpoint = await dynamoRequests.start();
    stopped.push(() => dynamoRequests.stop());

    const runtime = new LocalLambdaRuntime(root, LOCAL_REGION, LOCAL_ACCOUNT_ID);
    const invoke = (name: string, payload: unknown) => runtime.invoke(name, payload);

    progress('events', `EventBridge on :${ports.events}`);
    const events = await new LocalEventBridge(LOCAL_REGION, LOCAL_ACCOUNT_ID).start(ports.events);
    stopped.push(() => events.stop());

    progress('ses', `SES v2 outbox on :${ports.ses} → ${outboxDir}`);
    const ses = await new LocalSes(outboxDir).start(ports.ses);
    stopped.push(() => ses.stop());

    progress('sqs', 'mail queue');
    const sqs = await new LocalSqs(LOCAL_REGION, LOCAL_ACCOUNT_ID).start(0);
    stopped.push(() => sqs.stop());
    const mailQueueUrl = sqs.createQueue({
      name: 'exam-site-local-mail',
      batchSize: 1,
      ratePerSecond: config.mail.ratePerSecond,
      maxConcurrency: MAIL_MAX_CONCURRENCY,
      consumer: (event: SQSEvent) => invoke('send-mail', event) as Promise<void>,
    });

    progress('s3', `S3 (s3rver behind a POST-policy front) on :${ports.s3}`);
    const evidenceQueue: Array<Promise<unknown>> = [];
    const s3 = await LocalS3.start({
      port: ports.s3,
      clock,
      accessKeyId: ACCESS_KEY,
      secretAccessKey: SECRET_KEY,
      region: LOCAL_REGION,
      buckets: [LOCAL_BUCKET],
      corsOrigins: [config.portalOrigin],
      dataDir: join(dataDir, 's3'),
      accountId: LOCAL_ACCOUNT_ID,
      queueName: 'exam-site-local-evidence-events',
      onObjectCreated: (event: SQSEvent) => {
        if (!runtime.has('validate-evidence')) return undefined;
        const done = invoke('validate-evidence', event).catch((error: unknown) => console.error('[evidence] validator failed', error));
        evidenceQueue.push(done);
        return done;
      },
    });
    stopped.push(() => s3.close());

    progress('stepfunctions', `Step Functions (workflows/*.asl.json) on :${ports.stepfunctions}`);
    const substitutions: Record<string, string> = {
      EventBusName: LOCAL_EVENT_BUS,
      EventBusArn: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:event-bus/${LOCAL_EVENT_BUS}`,
    };
    for (const fn of functions) substitutions[functionArnPlaceholder(fn.name)] = localFunctionArn(fn.name);
    const engine = new LocalStepFunctions({
      clock,
      invokeFunction: invoke,
      substitutions,
      putEvents: async (entries) => {
        const out = events.putEvents(entries.map((e) => ({ ...e })));
        return { FailedEntryCount: out.FailedEntryCount, Entries: out.Entries };
      },
    });
    const workflows = engine.registerWorkflows(join(root, 'workflows'));
    await engine.listen(ports.stepfunctions);
    stopped.push(() => engine.close());
    const stateMachineArns = Object.fromEntries(workflows.map((arn) => [arn.split(':').pop()!, arn]));

    progress('scheduler', `EventBridge Scheduler on :${ports.scheduler}`);
    const scheduler = new LocalScheduler({ clock, stepFunctions: engine });
    scheduler.createScheduleGroup(LOCAL_SCHEDULE_GROUP);
    await scheduler.listen(ports.scheduler);
    stopped.push(() => scheduler.close());

    // The handlers' environment: the same contract as on AWS (functions/shared/env.ts).
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${ports.stepfunctions}`,
      AWS_ENDPOINT_URL_SCHEDULER: `http://127.0.0.1:${ports.scheduler}`,
      AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${ses.port}`,
      AWS_ENDPOINT_URL_EVENTBRIDGE: `http://127.0.0.1:${events.port}`,
      AWS_ENDPOINT_URL_SQS: `http://127.0.0.1:${sqs.port}`,
      S3_FORCE_PATH_STYLE: 'true',
      TABLE_NAME: LOCAL_TABLE,
      EVIDENCE_BUCKET: LOCAL_BUCKET,
      STATE_MACHINE_ARNS: JSON.stringify(stateMachineArns),
      SCHEDULE_GROUP: LOCAL_SCHEDULE_GROUP,
      SCHEDULER_ROLE_ARN: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/exam-site-local-scheduler`,
      MAIL_QUEUE_URL: mailQueueUrl,
      // The keyed hash of candidates' ID numbers: a fresh key per run (KMS GenerateMac on AWS).
      CANDIDATE_ID_LOCAL_KEY: randomBytes(32).toString('base64'),
      EVENT_BUS_NAME: LOCAL_EVENT_BUS,
      APP_CONFIG: JSON.stringify(config),
      POWERTOOLS_SERVICE_NAME: 'exam-site-local',
      // The business metrics' EMF lines go to stdout, as CloudWatch would receive them.
      POWERTOOLS_METRICS_NAMESPACE: config.metricsNamespace,
    });
    await ensureTable(new DynamoDBClient({ endpoint: ddb.endpoint, region: LOCAL_REGION, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } }), LOCAL_TABLE);
    progress('dynamodb', `table ${LOCAL_TABLE} ready`);

    progress('gateway', `API gateway, OIDC issuer and portal on :${ports.gateway}`);
    const issuer = await new LocalIssuer(config.identity.kind === 'oidc' ? config.identity.issuerUrl : '', LOCAL_CLIENT_ID).init();

    // The catalogue's daily functions (kind `schedule`), at 03:00 Beijing time (19:00 UTC) as DAILY_SCHEDULE in the CDK app.
    const dailyRuns: Array<Promise<unknown>> = [];
    if (options.dailySchedules ?? true) {
      const nextDaily = (after: number): number => {
        const day = new Date(after);
        const at = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 19);
        return at > after ? at : at + 86_400_000;
      };
      for (const fn of functions.filter((f) => f.kind === 'schedule' && runtime.has(f.name))) {
        const arm = (after: number): void => {
          clock.setTimer(nextDaily(after), () => {
            dailyRuns.push(invoke(fn.name, { source: 'daily-schedule' }).catch((error: unknown) => console.error(`[daily] ${fn.name} failed`, error)));
            arm(clock.now());
          });
        };
        arm(clock.now());
      }
    }

    const settle = async (): Promise<void> => {
      // Each pass may set off more work (an upload event, a task's mail, a schedule's execution): repeat until a pass finds nothing new.
      for (let pass = 0; pass < 100; pass++) {
        const before = evidenceQueue.length + ses.messages().length + events.events().length;
        await s3.eventsDelivered();
        await Promise.all(evidenceQueue);
        await Promise.all(dailyRuns);
        await engine.waitForIdle();
        await scheduler.waitForIdle();
        await sqs.whenIdle();
        await new Promise((r) => setImmediate(r));
        if (evidenceQueue.length + ses.messages().length + events.events().length === before) break;
      }
    };
    /** Steps through every timer on the way so each fires at its own instant and what it sets off can arm more. */
    const advance = async (duration: string | number): Promise<number> => {
      const ms = typeof duration === 'number' ? duration : parseDuration(duration);
      // One participant for the whole stack: every component's timers live on the one clock.
      return advanceInSteps(clock, ms, [{ nextWakeUp: () => clock.nextTimerAt(), waitForIdle: settle }]);
    };

    const control: Record<string, ControlRoute> = {
      clock: async ({ method, body }) => {
        if (method === 'POST') {
          const input = (body ?? {}) as { advance?: string; to?: string };
          if (input.advance) await advance(input.advance);
          else if (input.to) {
            clock.advanceTo(Date.parse(input.to));
            await settle();
          } else return { status: 400, body: { message: 'give { "advance": "P90D" } or { "to": "<ISO time>" }' } };
        }
        return { status: 200, body: { now: new Date(clock.now()).toISOString() } };
      },
      outbox: async () => ({
        status: 200,
        body: ses.messages().map((m) => ({ messageId: m.messageId, to: m.to, subject: m.subject, sentAt: m.sentAt, text: m.text, file: m.file })),
      }),
      events: async () => ({ status: 200, body: events.events() }),
      'dynamodb-requests': async () => ({ status: 200, body: dynamoRequests.snapshot() }),
      executions: async () => ({
        status: 200,
        body: engine
          .listStateMachines()
          .flatMap((m) => engine.listExecutions(m.stateMachineArn))
          .map((e) => ({ ...e, input: undefined, output: undefined })),
      }),
      schedules: async () => ({ status: 200, body: { upcoming: scheduler.upcoming(), fired: scheduler.fireHistory() } }),
      settle: async () => {
        await settle();
        return { status: 200, body: { settled: true } };
      },
      health: async () => ({ status: 200, body: { ok: true, now: new Date(clock.now()).toISOString() } }),
    };

    const gateway = await new LocalGateway({
      routes: routes.filter((r) => runtime.has(r.fn)),
      defaultRoute: runtime.has(defaultRoute.fn) ? defaultRoute : undefined,
      invoke,
      issuer,
      corsOrigins: [config.portalOrigin],
      control,
      portalDir: join(root, 'web', 'dist'),
      portalConfig: {
        apiBase: config.portalOrigin,
        issuer: `${config.portalOrigin}/_local/oidc`,
        clientId: LOCAL_CLIENT_ID,
        scopes: 'openid email profile',
        logout: 'oidc',
        stage: 'local',
      },
    }).start(ports.gateway);
    stopped.push(() => gateway.stop());

    const stack: LocalStack = {
      ports,
      clock,
      baseUrl: `http://127.0.0.1:${gateway.port}`,
      outboxDir,
      issuer,
      engine,
      dynamoRequests,
      scheduler,
      s3,
      ses,
      events,
      sqs,
      runtime,
      settle,
      advance,
      stop: async () => {
        for (const stop of stopped.reverse()) {
          await stop().catch((error: unknown) => console.error('[local] stop failed', error));
        }
        clock.dispose();
      },
    };
    void DEMO_USERS;
    return stack;
  } catch (error) {
    for (const stop of stopped.reverse()) await stop().catch(() => undefined);
    clock.dispose();
    throw error;
  }
}

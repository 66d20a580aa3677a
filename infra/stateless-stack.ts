import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Annotations, ArnFormat, Aws, CfnOutput, Duration, NestedStack, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  functionArnPlaceholder,
  functions as catalogFunctions,
  handlerEntry,
  routes as catalogRoutes,
  defaultRoute as catalogDefaultRoute,
  type FunctionSpec,
  type RouteSpec,
} from '../functions/catalog.ts';
import type { AppConfig } from './config.ts';
import { AppFunction, MAIL_MAX_CONCURRENCY, type AppFunctionResources } from './constructs/app-function.ts';
import { HttpApi } from './constructs/http-api.ts';
import type { IdentitySettings } from './constructs/identity.ts';
import { Mail } from './constructs/mail.ts';
import { Operations } from './constructs/operations.ts';
import { PlatformNotices } from './constructs/platform-notices.ts';
import { acknowledge } from './nag.ts';
import type { PortalHosting } from './constructs/portal.ts';
import { PortalStack } from './portal-stack.ts';
import { SecureQueue } from './constructs/secure-queue.ts';
import { COMMON_PLACEHOLDERS, readWorkflows, Workflow } from './constructs/workflow.ts';
import { stateMachineArnPlaceholder } from '../workflows/index.ts';
import { evidenceBucketName, resourcePrefix, stateMachineName } from './names.ts';
import { QUARANTINE_PREFIX } from './stateful-stack.ts';

/** How each `queue` function of the catalogue is fed. A queue function missing here fails the synth. */
export const QUEUE_TRIGGERS: Readonly<Record<string, 'evidence-uploads' | 'mail'>> = {
  'validate-evidence': 'evidence-uploads',
  'send-mail': 'mail',
};

/** The workflows one-time schedules may start (the scheduler role's only StartExecution grant). */
export const SCHEDULED_WORKFLOWS: readonly string[] = ['site-milestone'];

/** When `schedule` functions run (daily reconciliation, reports). */
export const DAILY_SCHEDULE = { expression: 'cron(0 3 * * ? *)', timezone: 'Asia/Shanghai' } as const;

/** Props of {@link StatelessStack}. */
export interface StatelessStackProps extends StackProps {
  readonly config: AppConfig;
  /** From the stateful stack, by reference (CDK writes the exports). */
  readonly table: dynamodb.ITable;
  readonly evidenceBucket: s3.IBucket;
  readonly evidenceKey: kms.IKey;
  /** The HMAC key of candidates' ID numbers (functions with `candidateIdHash` access). */
  readonly candidateIdKey?: kms.IKey;
  readonly identity: IdentitySettings;
  /** The Cognito user pool, when it is the identity provider (functions with `userPool` access). */
  readonly userPool?: cognito.IUserPool;
  /** Repository root: handler files, lock file, tsconfig. */
  readonly projectRoot: string;
  /** Folder of `*.asl.json` files (default `<projectRoot>/workflows`); tests point it at fixtures. */
  readonly workflowsDir?: string;
  /** Catalogue override for tests (default `functions/catalog.ts`). */
  readonly functions?: readonly FunctionSpec[];
  readonly routes?: readonly RouteSpec[];
  /**
   * Absolute handler path for a function, or undefined when it has no handler
   * yet (the function is then skipped). Default: `handlerEntry(name)` under
   * projectRoot, if the file exists.
   */
  readonly resolveEntry?: (name: string) => string | undefined;
  /**
   * Where the portal (web/dist) is hosted. Default: context `portalHosting`,
   * else `cloudfront`, except in the China regions (`none`), where a
   * CloudFront distribution needs an ICP-licensed domain before it serves.
   */
  readonly portalHosting?: PortalHosting;
  /** The built portal (default `<projectRoot>/web/dist`); tests point it at an empty folder for an unbuilt portal. */
  readonly portalDistDir?: string;
}

/**
 * The code and the wiring: one Lambda per catalogue function whose handler
 * exists, the HTTP API, the domain event bus, one Standard state machine per
 * ASL file, the scheduler group and role, the mail queue and transport, the
 * evidence upload pipeline (S3 → EventBridge → SQS → validator), alarms and a
 * dashboard. Nothing here holds data that a redeploy could lose.
 */
export class StatelessStack extends Stack {
  readonly functions = new Map<string, AppFunction>();
  readonly workflows = new Map<string, Workflow>();
  readonly eventBus: events.EventBus;
  readonly httpApi: HttpApi;
  /**
   * The HTTP API (its routes, integrations and invoke permissions: three
   * resources per route) in a nested stack: CloudFormation allows 500
   * resources per stack, and the catalogue's functions with their roles,
   * policies and log groups take most of this one's.
   */
  readonly apiStack: NestedStack;
  readonly schedulerRole: iam.Role;
  readonly scheduleGroup: scheduler.ScheduleGroup;
  readonly evidenceQueue: SecureQueue;
  readonly mail: Mail;
  readonly operations: Operations;
  /** SiteRevoked to the platforms (Art.21): the rule and API destination, when configured. */
  readonly platformNotices: PlatformNotices;
  /** The portal's hosting stack (`ExamSite-<stage>-Portal`); undefined when it is hosted elsewhere (`portalHosting: none`). */
  readonly portalStack?: PortalStack;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const prefix = resourcePrefix(config.stage);
    const specs = props.functions ?? catalogFunctions;
    const resolveEntry =
      props.resolveEntry ??
      ((name: string) => {
        const file = path.join(props.projectRoot, handlerEntry(name));
        return existsSync(file) ? file : undefined;
      });

    this.eventBus = new events.EventBus(this, 'DomainEvents', { eventBusName: prefix });
    this.eventBus.archive('DomainEventsArchive', {
      description: `All domain events of ${prefix}`,
      eventPattern: { account: [Aws.ACCOUNT_ID] },
    });

    // Which functions exist decides which workflows can be built: an ASL file
    // naming a function whose handler is not written yet is skipped.
    const entries = new Map<string, string>();
    for (const spec of specs) {
      const entry = resolveEntry(spec.name);
      if (entry) entries.set(spec.name, entry);
    }
    const placeholderOf = new Map(specs.map((spec) => [functionArnPlaceholder(spec.name), spec.name]));
    const buildable = readWorkflows(props.workflowsDir ?? path.join(props.projectRoot, 'workflows')).filter((workflow) => {
      const missing = workflow.placeholders.filter((p) => placeholderOf.has(p) && !entries.has(placeholderOf.get(p) as string));
      if (missing.length) {
        Annotations.of(this).addWarningV2(
          `exam-site:workflow-skipped:${workflow.name}`,
          `Workflow ${workflow.name} is skipped: ${missing.join(', ')} name functions without a handler file yet.`,
        );
      }
      return missing.length === 0;
    });
    // ARNs from names, so functions that start a workflow and workflows that
    // invoke functions do not form a dependency cycle.
    const stateMachineArns = Object.fromEntries(
      buildable.map((workflow) => [
        workflow.name,
        this.formatArn({
          service: 'states',
          resource: 'stateMachine',
          resourceName: stateMachineName(config.stage, workflow.name),
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ]),
    );

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'ScheduleGroup', { scheduleGroupName: prefix });
    this.schedulerRole = new iam.Role(this, 'SchedulerRole', {
      description: 'Assumed by EventBridge Scheduler to start the workflows of one-time site schedules.',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    });
    // Site schedules start the site-milestone workflow and nothing else.
    const machineArns = SCHEDULED_WORKFLOWS.map((name) => stateMachineArns[name]).filter((arn): arn is string => arn !== undefined);
    if (machineArns.length) {
      this.schedulerRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'StartWorkflows', actions: ['states:StartExecution'], resources: machineArns }),
      );
    }

    const senderTimeout = Duration.seconds(specs.find((s) => QUEUE_TRIGGERS[s.name] === 'mail')?.timeoutSeconds ?? 30);
    this.mail = new Mail(this, 'Mail', { config, eventBus: this.eventBus, senderTimeout });

    const resources: AppFunctionResources = {
      config,
      table: props.table,
      evidenceBucket: props.evidenceBucket,
      evidenceObjectsArn: (keyPattern) => `arn:${this.partition}:s3:::${evidenceBucketName(config.stage)}/${keyPattern}`,
      evidenceKey: props.evidenceKey,
      candidateIdKey: props.candidateIdKey,
      eventBus: this.eventBus,
      mailQueue: this.mail.queue.queue,
      stateMachineArns,
      scheduler: {
        groupName: this.scheduleGroup.scheduleGroupName,
        role: this.schedulerRole,
        targetArn: this.formatArn({ service: 'scheduler', region: '', account: '', resource: 'aws-sdk:sfn:startExecution' }),
      },
      mail: this.mail.resources,
      userPool: props.userPool,
    };

    for (const spec of specs) {
      const entry = entries.get(spec.name);
      // Cognito triggers live with the pool in the stateful stack (infra/constructs/identity.ts).
      if (!entry || spec.kind === 'identity-trigger') continue;
      this.functions.set(
        spec.name,
        new AppFunction(this, spec.name, { spec, entry, projectRoot: props.projectRoot, resources }),
      );
    }

    const evidenceValidator = [...this.functions.values()].find((f) => QUEUE_TRIGGERS[f.spec.name] === 'evidence-uploads');
    this.evidenceQueue = new SecureQueue(this, 'EvidenceUploads', {
      visibilityTimeout: Duration.seconds((evidenceValidator?.spec.timeoutSeconds ?? 60) * 6),
      maxReceiveCount: 5,
    });
    new events.Rule(this, 'EvidenceUploaded', {
      description: 'New evidence object versions (outside quarantine/) go to the validator queue.',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.evidenceBucket.bucketName] },
          // The validator's own quarantine copies must not trigger it again.
          object: { key: events.Match.anythingButPrefix(QUARANTINE_PREFIX) },
        },
      },
      targets: [new targets.SqsQueue(this.evidenceQueue.queue, { deadLetterQueue: this.evidenceQueue.deadLetterQueue })],
    });

    for (const fn of this.functions.values()) this.wireTrigger(fn);

    const functionsByPlaceholder = new Map<string, lambda.IFunction>(
      [...this.functions].map(([name, f]) => [functionArnPlaceholder(name), f.fn]),
    );
    const common: Record<(typeof COMMON_PLACEHOLDERS)[number], string> = {
      Partition: Aws.PARTITION,
      Region: Aws.REGION,
      AccountId: Aws.ACCOUNT_ID,
      EventBusName: this.eventBus.eventBusName,
      EventBusArn: this.eventBus.eventBusArn,
    };
    const substitutions: Record<string, string> = { ...common };
    for (const [placeholder, fn] of functionsByPlaceholder) substitutions[placeholder] = fn.functionArn;
    // A parent names its child as ${<Pascal>StateMachineArn} (startExecution.sync:2): the ARN from the name, as above.
    const childWorkflows = new Map<string, string>();
    for (const workflow of buildable) {
      substitutions[stateMachineArnPlaceholder(workflow.name)] = stateMachineArns[workflow.name] as string;
      childWorkflows.set(stateMachineArnPlaceholder(workflow.name), stateMachineName(config.stage, workflow.name));
    }
    for (const workflow of buildable) {
      this.workflows.set(
        workflow.name,
        new Workflow(this, `workflow-${workflow.name}`, {
          workflow,
          stateMachineName: stateMachineName(config.stage, workflow.name),
          substitutions,
          functionsByPlaceholder,
          eventBus: this.eventBus,
          logRetentionDays: config.logRetentionDays,
          childWorkflows,
        }),
      );
    }
    // A parent deploys after the children it starts.
    for (const workflow of this.workflows.values()) {
      for (const placeholder of workflow.startedWorkflows) {
        const child = [...this.workflows.entries()].find(([name]) => stateMachineArnPlaceholder(name) === placeholder)?.[1];
        if (child && child !== workflow) workflow.node.addDependency(child);
      }
    }

    this.apiStack = new NestedStack(this, 'Api', { description: `Exam-site lifecycle (${config.stage}): the HTTP API, its routes and their Lambda integrations.` });
    this.httpApi = new HttpApi(this.apiStack, 'Http', {
      stage: config.stage,
      portalOrigin: config.portalOrigin,
      identity: props.identity,
      routes: props.routes ?? catalogRoutes,
      defaultRoute: catalogDefaultRoute,
      functions: new Map([...this.functions].map(([name, f]) => [name, f.fn])),
      logRetentionDays: config.logRetentionDays,
    });

    // Art.21: SiteRevoked to the platforms' API destination; events it could not deliver wait in a queue of their own.
    const platformNoticeDeadLetters = new sqs.Queue(this, 'PlatformNoticeDeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(platformNoticeDeadLetters, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of the SiteRevoked rule target (EventBridge); its depth is alarmed by Operations.');
    this.platformNotices = new PlatformNotices(this, 'PlatformNotices', {
      eventBus: this.eventBus,
      config: config.platformNotices,
      deadLetterQueue: platformNoticeDeadLetters,
    });

    this.operations = new Operations(this, 'Operations', {
      stage: config.stage,
      stateMachines: new Map<string, sfn.IStateMachine>([...this.workflows].map(([name, w]) => [name, w.stateMachine])),
      deadLetterQueues: new Map<string, sqs.IQueue>([
        ['evidence-uploads', this.evidenceQueue.deadLetterQueue],
        ['mail', this.mail.queue.deadLetterQueue],
        ['platform-notices', platformNoticeDeadLetters],
      ]),
      functions: new Map([...this.functions].map(([name, f]) => [name, f.fn])),
      api: this.httpApi.api,
      mailFeedbackRule: this.mail.feedbackRule,
      alarmEmails: config.alarmEmails,
    });

    const hostingContext = this.node.tryGetContext('portalHosting') as PortalHosting | undefined;
    const chinaRegion = typeof props.env?.region === 'string' && props.env.region.startsWith('cn-');
    const hosting: PortalHosting = props.portalHosting ?? hostingContext ?? (chinaRegion ? 'none' : 'cloudfront');
    if (hosting === 'cloudfront') {
      // A sibling stack, so the code stack's resources stay the catalogue's; it follows this one (config.json names the API).
      this.portalStack = new PortalStack(this.node.scope as Construct, `${id.replace(/-Stateless$/, '')}-Portal`, {
        env: props.env,
        description: `Exam-site lifecycle (${config.stage}): the portal on S3 behind CloudFront.`,
        portal: {
          stage: config.stage,
          distDir: props.portalDistDir ?? path.join(props.projectRoot, 'web', 'dist'),
          apiUrl: this.httpApi.url,
          evidenceBucketName: evidenceBucketName(config.stage),
          identity: props.identity,
          cognitoDomain: config.identity.kind === 'cognito' ? `https://${config.identity.domainPrefix}.auth.${Aws.REGION}.amazoncognito.com` : undefined,
          logRetentionDays: config.logRetentionDays,
          originAccess: chinaRegion ? 'identity' : 'control',
        },
      });
      this.portalStack.addDependency(this, 'config.json and the CSP name the API URL');
    }

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.url });
    new CfnOutput(this, 'EventBusName', { value: this.eventBus.eventBusName });
    new CfnOutput(this, 'ScheduleGroupName', { value: this.scheduleGroup.scheduleGroupName });
  }

  /** Connects a function to what invokes it, by its catalogue kind. */
  private wireTrigger(appFunction: AppFunction): void {
    const { spec, fn } = appFunction;
    if (spec.kind === 'queue') {
      const trigger = QUEUE_TRIGGERS[spec.name];
      if (trigger === 'evidence-uploads') {
        fn.addEventSource(
          new SqsEventSource(this.evidenceQueue.queue, { batchSize: 5, reportBatchItemFailures: true }),
        );
      } else if (trigger === 'mail') {
        // One message per invocation and the lowest maximum concurrency SQS
        // allows (2): the sender paces itself to ratePerSecond / 2, so the
        // queue absorbs a campaign without throttling into the DLQ.
        fn.addEventSource(
          new SqsEventSource(this.mail.queue.queue, {
            batchSize: 1,
            maxConcurrency: MAIL_MAX_CONCURRENCY,
            reportBatchItemFailures: true,
          }),
        );
      } else {
        throw new Error(`Queue function "${spec.name}" has no trigger: add it to QUEUE_TRIGGERS in infra/stateless-stack.ts.`);
      }
    } else if (spec.kind === 'schedule') {
      const role = new iam.Role(appFunction, 'ScheduleRole', {
        description: `Assumed by EventBridge Scheduler to run ${spec.name} daily.`,
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
        }),
      });
      // The unqualified ARN only (grantInvoke would add `:*` for every version).
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
      );
      new scheduler.CfnSchedule(appFunction, 'Daily', {
        groupName: this.scheduleGroup.scheduleGroupName,
        scheduleExpression: DAILY_SCHEDULE.expression,
        scheduleExpressionTimezone: DAILY_SCHEDULE.timezone,
        flexibleTimeWindow: { mode: 'OFF' },
        target: { arn: fn.functionArn, roleArn: role.roleArn, input: JSON.stringify({ source: 'daily-schedule' }) },
      });
    }
  }
}

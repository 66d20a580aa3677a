/**
 * The one way a Lambda function is built: bundle, runtime, logs, tracing and,
 * bound together, the environment it reads and the grants it gets, both
 * derived from the function's `access` in `functions/catalog.ts`.
 *
 * ## Environment contract (what the handlers' cold-start config reader reads)
 * Every function:
 * - `APP_CONFIG`: JSON of the validated {@link AppConfig} (defaults filled; for
 *   SES, `mail.configurationSet` is always set).
 * - `POWERTOOLS_SERVICE_NAME`: the function's catalogue name (`validate-evidence`).
 * - `POWERTOOLS_METRICS_NAMESPACE`: the config's `metricsNamespace` (business metrics, EMF).
 * - `LOG_LEVEL`: `INFO`.
 *
 * Only when the access asks for it:
 * - `table` → `TABLE_NAME`.
 * - `evidence` → `EVIDENCE_BUCKET`.
 * - `workflows` → `STATE_MACHINE_ARNS`: JSON object, workflow name → state
 *   machine ARN, holding exactly the workflows named in `start` and
 *   `sendTaskResult`.
 * - `scheduler` → `SCHEDULE_GROUP`, `SCHEDULER_ROLE_ARN`, `SCHEDULER_TARGET_ARN`
 *   (the universal target `arn:<partition>:scheduler:::aws-sdk:sfn:startExecution`)
 *   and `STATE_MACHINE_ARNS` with every workflow (a schedule may start any of
 *   them; the scheduler role is what limits it).
 * - `candidateIdHash` → `CANDIDATE_ID_KEY_ARN` (kms:GenerateMac on that key only).
 * - `mailQueue` → `MAIL_QUEUE_URL`.
 * - `mailSend` → `MAIL_MAX_CONCURRENCY`: how many senders run at once; each one
 *   paces itself to `mail.ratePerSecond / MAIL_MAX_CONCURRENCY`.
 * - `events` → `EVENT_BUS_NAME`.
 * - `invitationEmailIndex` → `TABLE_NAME` (Query of `INVITEMAIL#…` partitions only).
 * - `reportSnapshot` → PutItem/UpdateItem of `REPORTS#…` partitions only.
 * - `userPool` → `USER_POOL_ID` for `read-user` (a trigger gets the pool id in its event).
 */
import * as path from 'node:path';
import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MAIL_MAX_CONCURRENCY, type FunctionSpec } from '../../functions/catalog.ts';
import { GSIS, INVITATION_EMAIL_PREFIX, REPORT_SNAPSHOT_PREFIX } from '../../functions/adapters/table-design.ts';
import { serializeConfig, type AppConfig } from '../config.ts';
import { acknowledge, acknowledgeWildcardResources } from '../nag.ts';
import { QUARANTINE_PREFIX, QUARANTINE_TAG, RETENTION_TAG } from '../../functions/domain/evidence-keys.ts';
import { retentionDays } from './retention.ts';
import { BUNDLE_FILE, bundledCode } from './bundles.ts';

export { ESM_REQUIRE_BANNER } from './bundles.ts';

/**
 * The newest Node.js runtime this CDK version knows: cdk-nag AwsSolutions-L1
 * compares against exactly that. (`determineLatestNodeRuntime` would render a
 * region mapping that the rule cannot read.)
 */
export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Memory of a function whose catalogue entry names none (MB). */
export const DEFAULT_MEMORY_MB = 256;

/** Senders of the mail queue that run at once (defined with the catalogue, which the local stack reads too). */
export { MAIL_MAX_CONCURRENCY };

/** SES resources a `mailSend` function may use. */
export interface SesMailResources {
  readonly transport: 'ses';
  readonly configurationSetName: string;
  readonly sender: string;
}

/** SMTP credentials a `mailSend` function may read (a reference, never a value). */
export interface SmtpMailResources {
  readonly transport: 'smtp';
  readonly secret: secretsmanager.ISecret;
}

/** The scheduler a `scheduler` function drives. */
export interface SchedulerResources {
  readonly groupName: string;
  readonly role: iam.IRole;
  /** The universal target ARN the schedules call. */
  readonly targetArn: string;
}

/** Everything a function may be granted; shared by all functions of the stack. */
export interface AppFunctionResources {
  readonly config: AppConfig;
  readonly table: dynamodb.ITable;
  readonly evidenceBucket: s3.IBucket;
  /** ARN of evidence objects matching a key pattern, built without cross-stack tokens (see names.ts). */
  readonly evidenceObjectsArn: (keyPattern: string) => string;
  readonly evidenceKey: kms.IKey;
  /** The HMAC key of candidates' ID numbers. */
  readonly candidateIdKey?: kms.IKey;
  readonly eventBus: events.IEventBus;
  readonly mailQueue: sqs.IQueue;
  /** Workflow name → state machine ARN (computed from names, so functions and machines do not depend on each other). */
  readonly stateMachineArns: Readonly<Record<string, string>>;
  readonly scheduler: SchedulerResources;
  readonly mail: SesMailResources | SmtpMailResources;
  /** The Cognito user pool, when it is the identity provider. */
  readonly userPool?: cognito.IUserPool;
}

/**
 * What a function may be given: the config always, the rest as the stack has
 * it (the stateful stack builds the Cognito triggers with the table and the
 * pool only). A function whose access names a resource it was not given
 * fails the synth.
 */
export type FunctionResources = Pick<AppFunctionResources, 'config'> & Partial<Omit<AppFunctionResources, 'config'>>;

function need<T>(value: T | undefined, what: string, fn: string): T {
  if (value === undefined) throw new Error(`Function ${fn} needs ${what}, which this stack does not give it.`);
  return value;
}

/** Props of {@link AppFunction}. */
export interface AppFunctionProps {
  readonly spec: FunctionSpec;
  /** Absolute path of the handler module. */
  readonly entry: string;
  /** Repository root (lock file, tsconfig). */
  readonly projectRoot: string;
  readonly resources: FunctionResources;
}

/** A catalogue function: its bundle (ESM, arm64, newest Node; ./bundles.ts) with its log group, env and grants. */
export class AppFunction extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly spec: FunctionSpec;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    super(scope, id);
    const { spec, resources } = props;
    this.spec = spec;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: retentionDays(resources.config.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An own role instead of AWSLambdaBasicExecutionRole: that managed policy
    // may create any log group; this one writes to its own group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `exam-site ${spec.name}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new lambda.Function(this, 'Function', {
      // Built with every other handler in one esbuild call (./bundles.ts).
      code: bundledCode(props.projectRoot, spec.name, props.entry),
      handler: `${path.parse(BUNDLE_FILE).name}.handler`,
      description: spec.description.slice(0, 256),
      runtime: LAMBDA_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb ?? DEFAULT_MEMORY_MB,
      timeout: Duration.seconds(spec.timeoutSeconds ?? 10),
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        APP_CONFIG: serializeConfig(resources.config),
        POWERTOOLS_SERVICE_NAME: spec.name,
        POWERTOOLS_METRICS_NAMESPACE: resources.config.metricsNamespace,
        LOG_LEVEL: 'INFO',
      },
    });
    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) support no resource-level permissions; no other statement of this role uses "*".',
    );

    this.bind(resources);
  }

  /** Turns the catalogue access into environment variables and the matching grants. */
  private bind(resources: FunctionResources): void {
    const { access, name } = this.spec;
    const { fn, role } = this;
    const stack = Stack.of(this);

    if (access.table) {
      const table = need(resources.table, 'the table', name);
      fn.addEnvironment('TABLE_NAME', table.tableName);
      // Written out instead of grantReadData/grantReadWriteData: no Scan (no
      // request path scans, DESIGN.md), and the three GSIs by name, not index/*.
      const tableResources = [table.tableArn, ...GSIS.map((gsi) => `${table.tableArn}/index/${gsi.indexName}`)];
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'ReadTable', actions: TABLE_READ_ACTIONS, resources: tableResources }),
      );
      table.encryptionKey?.grant(role, 'kms:Decrypt', 'kms:DescribeKey');
      if (access.table === 'readwrite') {
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({ sid: 'WriteTable', actions: TABLE_WRITE_ACTIONS, resources: [table.tableArn] }),
        );
        table.encryptionKey?.grant(role, 'kms:Encrypt', 'kms:GenerateDataKey');
      }
    }

    const evidence = new Set(access.evidence ?? []);
    if (evidence.size) {
      const bucket = need(resources.evidenceBucket, 'the evidence bucket', name);
      const objectsArn = need(resources.evidenceObjectsArn, 'the evidence object ARNs', name);
      const evidenceKey = need(resources.evidenceKey, 'the evidence key', name);
      fn.addEnvironment('EVIDENCE_BUCKET', bucket.bucketName);
      const objects = objectsArn('*');
      const quarantined = objectsArn(`${QUARANTINE_PREFIX}*`);
      const uploads = objectsArn('applications/*');
      if (evidence.has('read')) {
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'ReadEvidenceVersions',
            actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes', 's3:GetObjectVersionAttributes'],
            resources: [objects],
          }),
        );
        evidenceKey.grantDecrypt(role);
      }
      if (evidence.has('write')) {
        // A presigned POST is signed with this role: it needs PutObject itself.
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({ sid: 'PresignEvidenceUploads', actions: ['s3:PutObject'], resources: [objects] }),
        );
        if (!evidence.has('quarantine')) {
          role.addToPrincipalPolicy(
            new iam.PolicyStatement({
              sid: 'NoUploadsIntoQuarantine',
              effect: iam.Effect.DENY,
              actions: ['s3:PutObject'],
              resources: [quarantined],
            }),
          );
        }
        evidenceKey.grant(role, 'kms:GenerateDataKey');
      }
      if (evidence.has('quarantine')) {
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'WriteQuarantine',
            actions: ['s3:PutObject', 's3:PutObjectTagging', 's3:DeleteObject', 's3:DeleteObjectVersion'],
            resources: [quarantined],
          }),
        );
        // The invalid upload version is removed from the application's key
        // once its quarantine copy exists, so no reviewer can ever be served
        // it; only versions (never a whole key) and only under applications/.
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'RemoveInvalidUploadVersions',
            actions: ['s3:DeleteObjectVersion'],
            resources: [uploads],
          }),
        );
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'TagInvalidUploads',
            actions: ['s3:PutObjectVersionTagging', 's3:PutObjectTagging'],
            resources: [objects],
            conditions: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': [QUARANTINE_TAG.key] } },
          }),
        );
        evidenceKey.grant(role, 'kms:GenerateDataKey', 'kms:Decrypt');
      }
      if (evidence.has('retain')) {
        // Only the retention tag, only on the applications' files: the lifecycle rule then expires them.
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'TagEndedApplicationEvidence',
            actions: ['s3:PutObjectTagging'],
            resources: [uploads],
            conditions: { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': [RETENTION_TAG.key] } },
          }),
        );
      }
      acknowledgeWildcardResources(
        role,
        'Evidence object keys are generated per application and upload, so object access is by prefix: the whole evidence bucket for reads and presigned uploads, quarantine/ for quarantine copies, applications/ for removing invalid versions and tagging ended applications for expiry.',
        evidence.has('quarantine') || evidence.has('retain') ? [objects, quarantined, uploads] : [objects, quarantined],
      );
    }

    const started = access.workflows?.start ?? [];
    const answered = access.workflows?.sendTaskResult ?? [];
    const machines: Record<string, string> = {};
    const arnOf = (workflow: string): string | undefined => {
      const arn = need(resources.stateMachineArns, 'the state machine ARNs', name)[workflow];
      if (arn === undefined) {
        Annotations.of(this).addWarningV2(
          `exam-site:missing-workflow:${workflow}`,
          `${name} names workflow "${workflow}" but there is no workflows/${workflow}/${workflow}.asl.json: no grant and no ARN given.`,
        );
      } else machines[workflow] = arn;
      return arn;
    };
    const startArns = started.map(arnOf).filter((arn): arn is string => arn !== undefined);
    const answerArns = answered.map(arnOf).filter((arn): arn is string => arn !== undefined);
    if (startArns.length) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({ sid: 'StartWorkflows', actions: ['states:StartExecution'], resources: startArns }),
      );
    }
    if (answerArns.length) {
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'AnswerWorkflowCallbacks',
          actions: ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'],
          resources: answerArns,
        }),
      );
    }

    if (access.scheduler) {
      const { groupName, role: schedulerRole, targetArn } = need(resources.scheduler, 'the scheduler', name);
      const schedules = stack.formatArn({
        service: 'scheduler',
        resource: 'schedule',
        resourceName: `${groupName}/*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
      fn.addEnvironment('SCHEDULE_GROUP', groupName);
      fn.addEnvironment('SCHEDULER_ROLE_ARN', schedulerRole.roleArn);
      fn.addEnvironment('SCHEDULER_TARGET_ARN', targetArn);
      Object.assign(machines, need(resources.stateMachineArns, 'the state machine ARNs', name));
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ManageSiteSchedules',
          actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
          resources: [schedules],
        }),
      );
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'PassSchedulerRole',
          actions: ['iam:PassRole'],
          resources: [schedulerRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        }),
      );
      acknowledgeWildcardResources(
        role,
        'One schedule per site, named by the site id at run time, inside the system schedule group only.',
        [schedules],
      );
    }
    if (Object.keys(machines).length) fn.addEnvironment('STATE_MACHINE_ARNS', stack.toJsonString(machines));

    if (access.candidateIdHash) {
      const key = need(resources.candidateIdKey, "the candidates' ID-number HMAC key", name);
      fn.addEnvironment('CANDIDATE_ID_KEY_ARN', key.keyArn);
      role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'HashCandidateIds', actions: ['kms:GenerateMac'], resources: [key.keyArn] }));
    }

    if (access.mailQueue) {
      const mailQueue = need(resources.mailQueue, 'the mail queue', name);
      fn.addEnvironment('MAIL_QUEUE_URL', mailQueue.queueUrl);
      mailQueue.grantSendMessages(role);
    }

    if (access.mailSend) {
      fn.addEnvironment('MAIL_MAX_CONCURRENCY', String(MAIL_MAX_CONCURRENCY));
      const mail = need(resources.mail, 'the mail transport', name);
      if (mail.transport === 'ses') {
        const domain = mail.sender.slice(mail.sender.indexOf('@') + 1);
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'SendThroughSes',
            actions: ['ses:SendEmail'],
            resources: [
              stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain }),
              stack.formatArn({ service: 'ses', resource: 'identity', resourceName: mail.sender }),
              stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: mail.configurationSetName }),
            ],
          }),
        );
      } else {
        mail.secret.grantRead(role);
      }
    }

    if (access.events) {
      const eventBus = need(resources.eventBus, 'the event bus', name);
      fn.addEnvironment('EVENT_BUS_NAME', eventBus.eventBusName);
      eventBus.grantPutEventsTo(role);
    }

    if (access.invitationEmailIndex) {
      const table = need(resources.table, 'the table', name);
      fn.addEnvironment('TABLE_NAME', table.tableName);
      // Query of the base table only, and only of partitions keyed by an
      // address hash: no invitation code hash, membership or form is readable.
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'QueryInvitationEmailIndex',
          actions: ['dynamodb:Query'],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${INVITATION_EMAIL_PREFIX}*`] } },
        }),
      );
      table.encryptionKey?.grant(role, 'kms:Decrypt');
    }

    if (access.reportSnapshot) {
      const table = need(resources.table, 'the table', name);
      // Put and update of the snapshot's partition only: no other item is writable.
      role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'WriteReportSnapshot',
          actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${REPORT_SNAPSHOT_PREFIX}*`] } },
        }),
      );
      table.encryptionKey?.grant(role, 'kms:Encrypt', 'kms:GenerateDataKey');
    }

    const poolAccess = new Set(access.userPool ?? []);
    if (poolAccess.size && resources.userPool) {
      const pool = resources.userPool;
      if (poolAccess.has('read-user')) fn.addEnvironment('USER_POOL_ID', pool.userPoolId);
      // A policy of its own, not the role's default policy: the pool names a
      // trigger function, which waits for its default policy, so a pool ARN in
      // that policy would make a dependency cycle.
      new iam.Policy(this, 'UserPoolAccess', {
        roles: [role],
        statements: [
          new iam.PolicyStatement({
            sid: 'UserPool',
            actions: [
              ...(poolAccess.has('add-to-group') ? ['cognito-idp:AdminAddUserToGroup'] : []),
              ...(poolAccess.has('read-user') ? ['cognito-idp:AdminGetUser'] : []),
            ],
            resources: [pool.userPoolArn],
          }),
        ],
      });
    }
  }
}

/** Item reads, GSI queries and transaction condition checks; no Scan. */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

/** Item writes; TransactWriteItems is authorised per item through these. */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

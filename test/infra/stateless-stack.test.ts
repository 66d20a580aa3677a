import { workflowFiles } from '../../workflows/index.ts';
import { join } from 'node:path';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functions as catalogFunctions, type FunctionSpec } from '../../functions/catalog.ts';
import { TABLE_WRITE_ACTIONS } from '../../infra/constructs/app-function.ts';
import { flat, functionByName, resourcesOf, synth, type Statement, type Synthesized } from './synth.ts';

/**
 * Synthetic functions covering the access kinds the catalogue does not use
 * yet, next to the real catalogue (the grants come from `access` alone).
 */
const SYNTHETIC: readonly FunctionSpec[] = [
  { name: 'probe-table-reader', kind: 'http', description: 'reads the table', access: { table: 'read' } },
  { name: 'probe-uploader', kind: 'http', description: 'presigns uploads', access: { evidence: ['write'], mailQueue: true } },
  {
    name: 'probe-workflows',
    kind: 'http',
    description: 'starts and answers workflows',
    access: { workflows: { start: ['evidence-review'], sendTaskResult: ['mail-notice'] } },
  },
  { name: 'probe-scheduler', kind: 'task', description: 'arms site schedules', access: { scheduler: true } },
  { name: 'probe-daily', kind: 'schedule', description: 'daily reconciliation', access: { table: 'read' } },
];
// Cognito triggers are built in the stateful stack (test/infra/identity.test.ts).
const SPECS = [...catalogFunctions.filter((spec) => spec.kind !== 'identity-trigger'), ...SYNTHETIC];
/** The workflows this synth is built from (test fixtures, not workflows/). */
const FIXTURE_WORKFLOWS = workflowFiles(join(import.meta.dirname, 'fixtures', 'workflows')).map((w) => w.name);

let s: Synthesized;
beforeAll(() => {
  s = synth({ stateless: { functions: SPECS } });
});

const allows = (statements: Statement[], action: string) =>
  statements.filter((st) => st.Effect === 'Allow' && st.Action.includes(action));

/** The newest Node.js runtime CDK knows, computed the way cdk-nag AwsSolutions-L1 does. */
const newestNode = () =>
  Runtime.ALL.map((r) => r.name)
    .filter((name) => /^nodejs\d/.test(name))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .at(-1);

describe('infra/stateless-stack', () => {
  describe('AppFunction', () => {
    it('builds one function per catalogue entry with a handler', () => {
      for (const spec of SPECS) expect(() => functionByName(s.statelessTemplate, spec.name)).not.toThrow();
      s.statelessTemplate.resourceCountIs('AWS::Lambda::Function', SPECS.length);
    });

    it('runs every function on the newest Node runtime, arm64, with active tracing and the catalogue memory/timeout', () => {
      for (const spec of SPECS) {
        const { props } = functionByName(s.statelessTemplate, spec.name);
        expect(props.Runtime).toBe(newestNode());
        expect(props.Architectures).toEqual(['arm64']);
        expect(props.TracingConfig).toEqual({ Mode: 'Active' });
        expect(props.MemorySize).toBe(spec.memoryMb ?? 256);
        expect(props.Timeout).toBe(spec.timeoutSeconds ?? 10);
      }
    });

    it('gives every function its own log group kept for logRetentionDays', () => {
      const groups = resourcesOf(s.statelessTemplate, 'AWS::Logs::LogGroup');
      for (const spec of SPECS) {
        const { props } = functionByName(s.statelessTemplate, spec.name);
        const groupId = (props.LoggingConfig as any).LogGroup.Ref as string;
        expect((groups[groupId]?.Properties as any).RetentionInDays).toBe(s.config.logRetentionDays);
      }
    });

    it('puts the validated config (defaults filled) in APP_CONFIG, the function name in POWERTOOLS_SERVICE_NAME and the config metrics namespace in POWERTOOLS_METRICS_NAMESPACE', () => {
      const { env } = functionByName(s.statelessTemplate, 'send-mail');
      expect(JSON.parse(env.APP_CONFIG as string)).toEqual(s.config);
      expect(JSON.parse(env.APP_CONFIG as string).mail.configurationSet).toBe('exam-site-dev');
      expect(env.POWERTOOLS_SERVICE_NAME).toBe('send-mail');
      expect(env.POWERTOOLS_METRICS_NAMESPACE).toBe(s.config.metricsNamespace);
      expect(s.config.metricsNamespace).toBe('ExamSite');
    });

    it('sets exactly the environment variables its access asks for', () => {
      for (const spec of SPECS) {
        const { env } = functionByName(s.statelessTemplate, spec.name);
        const a = spec.access;
        expect('TABLE_NAME' in env, `${spec.name} TABLE_NAME`).toBe(a.table !== undefined);
        expect('EVIDENCE_BUCKET' in env, `${spec.name} EVIDENCE_BUCKET`).toBe((a.evidence ?? []).length > 0);
        expect('EVENT_BUS_NAME' in env, `${spec.name} EVENT_BUS_NAME`).toBe(a.events === true);
        expect('MAIL_QUEUE_URL' in env, `${spec.name} MAIL_QUEUE_URL`).toBe(a.mailQueue === true);
        expect('SCHEDULE_GROUP' in env, `${spec.name} SCHEDULE_GROUP`).toBe(a.scheduler === true);
        expect('SCHEDULER_ROLE_ARN' in env, `${spec.name} SCHEDULER_ROLE_ARN`).toBe(a.scheduler === true);
        const named = [...(a.workflows?.start ?? []), ...(a.workflows?.sendTaskResult ?? [])].filter((w) => FIXTURE_WORKFLOWS.includes(w));
        expect('STATE_MACHINE_ARNS' in env, `${spec.name} STATE_MACHINE_ARNS`).toBe(a.scheduler === true || named.length > 0);
      }
    });

    it('lists exactly the started and answered workflows in STATE_MACHINE_ARNS', () => {
      const { env } = functionByName(s.statelessTemplate, 'probe-workflows');
      const machines = JSON.parse(flat(env.STATE_MACHINE_ARNS)) as Record<string, string>;
      expect(Object.keys(machines).sort()).toEqual(['evidence-review', 'mail-notice']);
      expect(machines['mail-notice']).toMatch(/^arn:\{Ref:AWS::Partition\}:states:.*:stateMachine:exam-site-dev-mail-notice$/);
    });
  });

  describe('least privilege', () => {
    it('grants no "*" action and no service-wide wildcard action anywhere', () => {
      for (const policy of Object.values(resourcesOf(s.statelessTemplate, 'AWS::IAM::Policy'))) {
        for (const st of (policy.Properties as any).PolicyDocument.Statement) {
          for (const action of [st.Action].flat()) expect(action).not.toMatch(/(^\*$|:\*$)/);
        }
      }
    });

    it('lets validate-evidence write objects only under quarantine/', () => {
      const { statements } = functionByName(s.statelessTemplate, 'validate-evidence');
      const puts = allows(statements, 's3:PutObject');
      expect(puts.length).toBeGreaterThan(0);
      for (const st of puts) for (const r of st.Resource) expect(flat(r)).toMatch(/\/quarantine\/\*$/);
    });

    it('lets validate-evidence tag invalid upload versions only with the quarantine tag', () => {
      const { statements } = functionByName(s.statelessTemplate, 'validate-evidence');
      const tagging = allows(statements, 's3:PutObjectVersionTagging');
      expect(tagging).toHaveLength(1);
      expect(tagging[0]?.Condition).toEqual({ 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['quarantine'] } });
    });

    it('lets functions without events access put no events, and those with it only on the domain bus', () => {
      for (const spec of SPECS) {
        const { statements } = functionByName(s.statelessTemplate, spec.name);
        const puts = allows(statements, 'events:PutEvents');
        if (!spec.access.events) expect(puts, spec.name).toEqual([]);
        else expect(puts.flatMap((st) => st.Resource.map(flat))).toEqual([expect.stringMatching(/^\{GetAtt:DomainEvents.*\.Arn\}$/)]);
      }
    });

    it('never grants Scan, and grants item writes only for readwrite table access', () => {
      for (const spec of SPECS) {
        const { statements } = functionByName(s.statelessTemplate, spec.name);
        expect(allows(statements, 'dynamodb:Scan')).toEqual([]);
        // The reports' snapshot grant is conditioned on its partition (next test): not counted here.
        const unconditioned = statements.filter((st) => !st.Condition);
        for (const action of TABLE_WRITE_ACTIONS) {
          expect(allows(unconditioned, action).length > 0, `${spec.name} ${action}`).toBe(spec.access.table === 'readwrite');
        }
      }
    });

    it('lets get-reports write only its snapshot partition (REPORTS#…), with Put and Update', () => {
      const { statements } = functionByName(s.statelessTemplate, 'get-reports');
      const writes = statements.filter((st) => st.Effect === 'Allow' && st.Action.some((a) => TABLE_WRITE_ACTIONS.includes(a)));
      expect(writes).toHaveLength(1);
      expect([...writes[0]!.Action].sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
      expect(writes[0]!.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REPORTS#*'] } });
    });

    it('lets send-mail read no evidence and start no workflow', () => {
      const { statements } = functionByName(s.statelessTemplate, 'send-mail');
      const actions = statements.filter((st) => st.Effect === 'Allow').flatMap((st) => st.Action);
      expect(actions.filter((a) => a.startsWith('s3:') || a.startsWith('states:'))).toEqual([]);
      expect(actions).toContain('ses:SendEmail');
    });

    it('lets an uploader sign presigned POSTs (PutObject + GenerateDataKey) and denies it quarantine/', () => {
      const { statements } = functionByName(s.statelessTemplate, 'probe-uploader');
      expect(allows(statements, 's3:PutObject').flatMap((st) => st.Resource.map(flat))).toEqual([expect.stringMatching(/evidence-.*\/\*$/)]);
      expect(allows(statements, 'kms:GenerateDataKey')).toHaveLength(1);
      const deny = statements.find((st) => st.Effect === 'Deny');
      expect(deny?.Action).toEqual(['s3:PutObject']);
      expect(flat(deny?.Resource[0])).toMatch(/\/quarantine\/\*$/);
      expect(allows(statements, 'sqs:SendMessage')).toHaveLength(1);
    });

    it('lets a workflow client start and answer only the named state machines', () => {
      const { statements } = functionByName(s.statelessTemplate, 'probe-workflows');
      expect(allows(statements, 'states:StartExecution').flatMap((st) => st.Resource.map(flat))).toEqual([
        expect.stringMatching(/:stateMachine:exam-site-dev-evidence-review$/),
      ]);
      expect(allows(statements, 'states:SendTaskSuccess').flatMap((st) => st.Resource.map(flat))).toEqual([
        expect.stringMatching(/:stateMachine:exam-site-dev-mail-notice$/),
      ]);
    });

    it('lets a scheduler client manage schedules of its group only and pass only the scheduler role to the scheduler', () => {
      const { statements, env } = functionByName(s.statelessTemplate, 'probe-scheduler');
      expect(allows(statements, 'scheduler:CreateSchedule').flatMap((st) => st.Resource.map(flat))).toEqual([
        expect.stringMatching(/:schedule\/exam-site-dev\/\*$/),
      ]);
      const pass = allows(statements, 'iam:PassRole');
      expect(pass).toHaveLength(1);
      expect(pass[0]?.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } });
      expect(flat(env.SCHEDULER_TARGET_ARN)).toMatch(/:scheduler:::aws-sdk:sfn:startExecution$/);
    });
  });

  describe('scheduler', () => {
    it('has a schedule group exam-site-<stage> and a role only the scheduler of this account may assume, allowed to start the state machines only', () => {
      s.statelessTemplate.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'exam-site-dev' });
      const roles = resourcesOf(s.statelessTemplate, 'AWS::IAM::Role');
      const [roleId, role] = Object.entries(roles).find(([id]) => id.startsWith('SchedulerRole')) ?? [];
      expect((role?.Properties as any).AssumeRolePolicyDocument.Statement[0]).toMatchObject({
        Principal: { Service: 'scheduler.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      });
      const statements = (roleId && roles[roleId]) ? ((): Statement[] => {
        const policies = Object.values(resourcesOf(s.statelessTemplate, 'AWS::IAM::Policy')).filter((p) =>
          JSON.stringify((p.Properties as any).Roles).includes(roleId),
        );
        return policies.flatMap((p) => (p.Properties as any).PolicyDocument.Statement);
      })() : [];
      // Built from the fixture workflows, which have no site-milestone: the role may start nothing at all.
      expect(statements).toEqual([]);
    });

    it('lets site schedules start the site-milestone workflow and no other (the real workflows)', () => {
      const real = synth({ stateless: { functions: SPECS, workflowsDir: join(import.meta.dirname, '..', '..', 'workflows') }, nag: false });
      const roles = resourcesOf(real.statelessTemplate, 'AWS::IAM::Role');
      const roleId = Object.keys(roles).find((id) => id.startsWith('SchedulerRole'))!;
      const statements = Object.values(resourcesOf(real.statelessTemplate, 'AWS::IAM::Policy'))
        .filter((p) => JSON.stringify((p.Properties as any).Roles).includes(roleId))
        .flatMap((p) => (p.Properties as any).PolicyDocument.Statement as Statement[]);
      expect(statements.flatMap((st: any) => [st.Action].flat())).toEqual(['states:StartExecution']);
      const resources = JSON.stringify(statements.flatMap((st: any) => [st.Resource].flat()));
      expect(resources).toContain('stateMachine:exam-site-dev-site-milestone');
      expect(resources).not.toMatch(/accreditation|decision-task|decision-reminder/);
    });

    it('runs schedule functions daily through their own role', () => {
      s.statelessTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 3 * * ? *)',
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        GroupName: Match.anyValue(),
      });
      s.statelessTemplate.resourceCountIs('AWS::Scheduler::Schedule', SPECS.filter((spec) => spec.kind === 'schedule').length);
    });
  });

  describe('evidence pipeline', () => {
    it('routes S3 Object Created events of the evidence bucket (outside quarantine/) from the default bus to the validator queue', () => {
      s.statelessTemplate.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: {
            bucket: { name: [{ 'Fn::ImportValue': Match.stringLikeRegexp('EvidenceBucket') }] },
            object: { key: [{ 'anything-but': { prefix: 'quarantine/' } }] },
          },
        },
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EvidenceUploadsQueue'), 'Arn'] } })],
      });
    });

    it('feeds validate-evidence from an encrypted, TLS-only queue with a DLQ after 5 receives, reporting batch item failures', () => {
      const queues = resourcesOf(s.statelessTemplate, 'AWS::SQS::Queue');
      const [queueId, queue] = Object.entries(queues).find(([id]) => id.startsWith('EvidenceUploadsQueue')) ?? [];
      expect((queue?.Properties as any).SqsManagedSseEnabled).toBe(true);
      expect((queue?.Properties as any).RedrivePolicy.maxReceiveCount).toBe(5);
      s.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      s.statelessTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });
  });

  describe('mail', () => {
    it('feeds send-mail one message at a time from the mail queue, at the lowest maximum concurrency SQS allows', () => {
      const queues = resourcesOf(s.statelessTemplate, 'AWS::SQS::Queue');
      const [queueId] = Object.entries(queues).find(([id]) => id.startsWith('MailOutboxQueue')) ?? [];
      s.statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        BatchSize: 1,
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('records SES bounces and complaints of its configuration set on the domain bus', () => {
      s.statelessTemplate.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'exam-site-dev' });
      s.statelessTemplate.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: Match.objectLike({ MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']) }),
      });
      s.statelessTemplate.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({ source: ['aws.ses'], 'detail-type': Match.arrayWith(['Email Bounced', 'Email Complaint Received']) }),
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DomainEvents'), 'Arn'] } })],
      });
    });
  });

  describe('events', () => {
    it('has a domain event bus exam-site-<stage> with an archive', () => {
      s.statelessTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: 'exam-site-dev' });
      s.statelessTemplate.resourceCountIs('AWS::Events::Archive', 1);
    });
  });

  describe('HTTP API', () => {
    it('trusts JWTs from the Cognito user pool of the stateful stack, for the portal client', () => {
      s.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        JwtConfiguration: {
          Issuer: { 'Fn::Join': ['', Match.arrayWith(['https://cognito-idp.', Match.objectLike({ 'Fn::ImportValue': Match.stringLikeRegexp('UserPool') })])] },
          Audience: [{ 'Fn::ImportValue': Match.stringLikeRegexp('PortalClient') }],
        },
      });
    });

    it('protects jwt routes with the authorizer and leaves auth none routes open', () => {
      s.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /me', AuthorizationType: 'JWT' });
      s.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /openapi.json', AuthorizationType: 'NONE' });
    });

    it('answers every unmatched request through a public $default route to the not-found function (the one error shape, not API Gateway\'s)', () => {
      const routes = resourcesOf(s.apiTemplate, 'AWS::ApiGatewayV2::Route');
      const fallback = Object.values(routes).find((r) => (r.Properties as Record<string, unknown>).RouteKey === '$default');
      expect(fallback, 'a $default route').toBeDefined();
      expect((fallback!.Properties as Record<string, unknown>).AuthorizationType).toBe('NONE');
      const target = JSON.stringify((fallback!.Properties as Record<string, unknown>).Target);
      const integrations = resourcesOf(s.apiTemplate, 'AWS::ApiGatewayV2::Integration');
      const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1];
      const uri = JSON.stringify((integrations[integrationId!]!.Properties as Record<string, unknown>).IntegrationUri);
      const notFound = Object.entries(resourcesOf(s.statelessTemplate, 'AWS::Lambda::Function')).find(
        ([, fn]) => ((fn.Properties as { Environment?: { Variables: Record<string, unknown> } }).Environment?.Variables.POWERTOOLS_SERVICE_NAME) === 'not-found',
      );
      expect(notFound, 'the not-found function').toBeDefined();
      // The API lives in a nested stack: the function's ARN reaches it as a parameter the parent stack fills in.
      const parameter = /"Ref":"([^"]+)"/.exec(uri)?.[1];
      const nested = Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudFormation::Stack'))[0]!.Properties as { Parameters: Record<string, unknown> };
      expect(JSON.stringify(nested.Parameters[parameter!])).toContain(notFound![0]);
    });

    it('allows CORS from the portal origin only and logs every request on the default stage', () => {
      s.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: Match.objectLike({ AllowOrigins: [s.config.portalOrigin] }),
      });
      s.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('routeKey') },
      });
    });
  });

  describe('operations', () => {
    it('alarms on failed and timed-out executions of every state machine, the depth of each DLQ (evidence, mail, platform notices) and mail bounces, on one dashboard', () => {
      const alarms = Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties as any);
      const machines = s.stateless.workflows.size;
      expect(alarms.filter((a) => a.MetricName === 'ExecutionsFailed')).toHaveLength(machines);
      expect(alarms.filter((a) => a.MetricName === 'ExecutionsTimedOut')).toHaveLength(machines);
      expect(alarms.filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')).toHaveLength(3);
      expect(alarms.filter((a) => a.MetricName === 'MatchedEvents')).toHaveLength(1);
      s.statelessTemplate.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    });
  });
});

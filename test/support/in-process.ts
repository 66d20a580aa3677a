import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { handlerEntry, routes } from '../../functions/catalog.ts';
import type { HttpEvent, HttpResult } from '../../functions/shared/http.ts';
import { lambdaContext, setEvidenceEnv } from '../unit/evidence/helpers.ts';

/**
 * Handlers run in-process against DynamoDB Local (the table fixture,
 * `useTestTable`) with every other AWS service stubbed: what the verification
 * suites (test/verify) share. Call {@link setInProcessEnv} at the top of the
 * file, before `useTestTable`, then {@link stubOtherAwsClients}.
 */

/** Every workflow a handler may start, as the stack passes their ARNs. */
const STATE_MACHINES = [
  'accreditation',
  'decision-reminder',
  'decision-task',
  'evaluation-campaign',
  'site-assessment',
  'site-milestone',
  'site-rectification',
  'site-revocation',
  'site-withdrawal',
];

/** The environment of every handler (evidence bucket, bus, workflows, schedules, mail queue, candidate-ID key). */
export function setInProcessEnv(): void {
  setEvidenceEnv();
  Object.assign(process.env, {
    STATE_MACHINE_ARNS: JSON.stringify(Object.fromEntries(STATE_MACHINES.map((name) => [name, `arn:aws-cn:states:cn-north-1:000000000000:stateMachine:${name}`]))),
    SCHEDULE_GROUP: 'exam-site-test',
    SCHEDULER_ROLE_ARN: 'arn:aws-cn:iam::000000000000:role/scheduler',
    SCHEDULER_TARGET_ARN: 'arn:aws-cn:states:cn-north-1:000000000000:stateMachine:site-milestone',
    MAIL_QUEUE_URL: 'https://sqs.cn-north-1.amazonaws.com.cn/000000000000/mail',
    CANDIDATE_ID_LOCAL_KEY: Buffer.alloc(32, 7).toString('base64'),
  });
}

/** The stubs of every AWS service but DynamoDB; each call answers `undefined` until a test gives it a behaviour. */
export interface AwsStubs {
  readonly s3: AwsClientStub<S3Client>;
  readonly sfn: AwsClientStub<SFNClient>;
  readonly scheduler: AwsClientStub<SchedulerClient>;
  readonly ses: AwsClientStub<SESv2Client>;
  readonly events: AwsClientStub<EventBridgeClient>;
  readonly sqs: AwsClientStub<SQSClient>;
  readonly cognito: AwsClientStub<CognitoIdentityProviderClient>;
  readonly kms: AwsClientStub<KMSClient>;
}

export function stubOtherAwsClients(): AwsStubs {
  return {
    s3: mockClient(S3Client),
    sfn: mockClient(SFNClient),
    scheduler: mockClient(SchedulerClient),
    ses: mockClient(SESv2Client),
    events: mockClient(EventBridgeClient),
    sqs: mockClient(SQSClient),
    cognito: mockClient(CognitoIdentityProviderClient),
    kms: mockClient(KMSClient),
  };
}

export type HttpHandler = (event: HttpEvent, context: typeof lambdaContext) => Promise<HttpResult>;

/** The handler of every function of the route catalogue, by function name (imported once). */
export async function loadRouteHandlers(): Promise<Map<string, HttpHandler>> {
  const handlers = new Map<string, HttpHandler>();
  for (const fn of new Set(routes.map((r) => r.fn))) {
    const mod = (await import(/* @vite-ignore */ `../../${handlerEntry(fn)}`)) as { handler: HttpHandler };
    handlers.set(fn, mod.handler);
  }
  return handlers;
}

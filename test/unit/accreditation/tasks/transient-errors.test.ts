import { InternalServerError, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../../functions/shared/env.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, application, lambdaContext, membership, setAccreditationEnv } from '../../decisions/helpers.ts';
import { auditOf, queuedMails } from './helpers.ts';
import { useTestTable } from '../../../support/table.ts';

setAccreditationEnv();
const recordOutcome = (await import('../../../../functions/handlers/record-outcome.handler.ts')).handler;
const activate = (await import('../../../../functions/handlers/activate-site.handler.ts')).handler;
const { asTaskError } = await import('../../../../functions/shared/task.ts');

const table = useTestTable();
/** activate-site arms the site's two-year timer (Art.23(1)): UpdateSchedule answers as for an existing schedule. */
const scheduler = mockClient(SchedulerClient);
scheduler.on(UpdateScheduleCommand).resolves({});
const sqs = mockClient(SQSClient);
const ENTERED = '2025-05-06T03:04:05.678Z';

const refusal = { code: 'NOT_A_PILOT_COLLEGE', article: 'Art.3(2)', severity: 'blocking', path: 'institution.creditCode', zh: '不在试点院校名单中', en: 'not on the pilot register' };
const refuse = () =>
  recordOutcome({ applicationId: APP_ID, institutionId: CREDIT_CODE, outcome: 'refuse', decision: null, audit: auditOf('RefuseApplication', ENTERED) }, lambdaContext);
const approve = () =>
  activate({ applicationId: APP_ID, institutionId: CREDIT_CODE, decision: { outcome: 'approve', reason: 'meets the standard', findings: [] }, audit: auditOf('ActivateSite', ENTERED) }, lambdaContext);
const throttled = () => new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} });

describe('accreditation task functions', () => {
  beforeAll(() => installTimeSource({ now: () => Date.parse(ENTERED) + 1000 }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({});
    resetConfigCache();
    await table.put(membership(APPLICANT, CREDIT_CODE));
  });

  describe('taskHandler', () => {
    it('reports a DynamoDB throttle left after the SDK retries as TransientError, which the workflow retries, and writes nothing', async () => {
      await table.put(application('SCREENING', { screening: { standardVersion: '2020-1', eligible: false, outcome: 'refuse', findings: [refusal] } }));
      table.mockStores().on(TransactWriteCommand).rejectsOnce(throttled());

      await expect(refuse()).rejects.toMatchObject({ name: 'TransientError' });
      expect((await table.get(`APP#${APP_ID}`, 'APP'))!.status).toBe('SCREENING');
      expect(queuedMails(sqs)).toEqual([]);
    });

    it('lets the retry after a mail-queue fault finish the refusal without a second audit item (Art.3(2))', async () => {
      await table.put(application('SCREENING', { screening: { standardVersion: '2020-1', eligible: false, outcome: 'refuse', findings: [refusal] } }));
      sqs.on(SendMessageCommand).rejectsOnce(Object.assign(new Error('We encountered an internal error'), { name: 'InternalError', $fault: 'server' }));

      await expect(refuse()).rejects.toMatchObject({ name: 'TransientError' });
      await refuse();

      expect((await table.get(`APP#${APP_ID}`, 'APP'))!.status).toBe('REJECTED');
      expect(await table.audits(`APP#${APP_ID}`)).toHaveLength(1);
      expect(queuedMails(sqs)).toHaveLength(2);
      expect(sqs.commandCalls(SendMessageCommand).at(-1)!.args[0].input.MessageBody).toBe(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody);
    });

    it('retries an activation after a DynamoDB server error into exactly one site (Art.5)', async () => {
      await table.put(application('DECISION'));
      table.mockStores().on(TransactWriteCommand).rejectsOnce(new InternalServerError({ message: 'Internal server error', $metadata: {} }));

      await expect(approve()).rejects.toMatchObject({ name: 'TransientError' });
      const result = await approve();

      const sites = (await table.withPk('SITE#')).filter((i) => i.sk === 'SITE');
      expect(sites).toHaveLength(1);
      expect(result.siteActivated.siteId).toBe(sites[0]!.siteId);
    });

    it('keeps domain errors as they are: an invalid transition is not retried', async () => {
      await table.put(application('APPROVED'));

      await expect(refuse()).rejects.toMatchObject({ name: 'ConflictError', code: 'INVALID_TRANSITION' });
    });
  });

  describe('asTaskError', () => {
    it.each([
      ['a DynamoDB throttle', 'TransientError', throttled()],
      ['a DynamoDB server fault', 'TransientError', new InternalServerError({ message: 'x', $metadata: {} })],
      ['a programming error', 'TypeError', new TypeError('x is undefined')],
    ])('reports %s as %s', (_what, name, error) => {
      expect((asTaskError(error) as Error).name).toBe(name);
    });

    it('passes a thrown non-error through unchanged', () => {
      expect(asTaskError('boom')).toBe('boom');
    });
  });
});

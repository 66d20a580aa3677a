import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand, TransactWriteCommand, type GetCommandInput } from '@aws-sdk/lib-dynamodb';
import { SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../../functions/shared/env.ts';
import { applicationDecidedSchema } from '../../../../schemas/events/application-decided.schema.ts';
import { siteActivatedSchema } from '../../../../schemas/events/site-activated.schema.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, application, lambdaContext, membership, setAccreditationEnv } from '../../decisions/helpers.ts';
import { EXECUTION, auditOf, chineseFirst, queuedMails } from './helpers.ts';
import { makeValidForm } from '../../domain/fixtures/valid-form.ts';
import type { Item } from '../../../../functions/adapters/stores/table.ts';
import { useTestTable } from '../../../support/table.ts';

setAccreditationEnv();
const { handler } = await import('../../../../functions/handlers/activate-site.handler.ts');
const { certificateNumber, firstMilestoneAt } = await import('../../../../functions/use-cases/accreditation/activate-site.ts');

const table = useTestTable();
/** activate-site arms the site's two-year timer (Art.23(1)): UpdateSchedule answers as for an existing schedule. */
const scheduler = mockClient(SchedulerClient);
scheduler.on(UpdateScheduleCommand).resolves({});
const sqs = mockClient(SQSClient);
const ENTERED = '2025-05-06T03:04:05.678Z';
const DAY_MS = 86_400_000;

const approval = { outcome: 'approve', reason: '材料与实地考察均符合标准 / meets the standard', findings: [], decidedBy: 'sub-reviewer-b', decisionId: 'd-final' };
const payload = (enteredTime = ENTERED) => ({ applicationId: APP_ID, institutionId: CREDIT_CODE, decision: approval, audit: auditOf('ActivateSite', enteredTime) });
const activate = (p: unknown = payload()) => handler(p, lambdaContext);
/** The application as the store assembles it: its status record with the screening item. */
const stored = async (): Promise<Item> => {
  const screening = await table.get(`APP#${APP_ID}`, 'APP#SCREENING');
  return { ...(await table.get(`APP#${APP_ID}`, 'APP'))!, ...(screening ? { screening: screening.screening } : {}) };
};
const sites = async () => (await table.withPk('SITE#')).filter((i) => i.sk === 'SITE');

describe('activate-site task', () => {
  beforeAll(() => installTimeSource({ now: () => Date.parse(ENTERED) + 900 }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({});
    resetConfigCache();
    await table.put(application('DECISION'), membership(APPLICANT, CREDIT_CODE));
  });

  describe('activateSite', () => {
    it('moves DECISION → APPROVED and creates the ACTIVE site in one transaction (Art.4, Art.5)', async () => {
      await activate();

      const calls = table.sent(TransactWriteCommand);
      expect(calls).toHaveLength(1);
      const items = calls[0]!.TransactItems!;
      expect(Object.values(items[0]!.Update!.ExpressionAttributeValues!)).toEqual(expect.arrayContaining(['APPROVED', 'DECISION']));
      expect(items.map((i) => (i.Put ? String(i.Put.Item!.pk).split('#')[0] + '/' + String(i.Put.Item!.sk).split('#')[0] : 'update'))).toEqual(['update', 'APP/AUDIT', 'SITE/SITE', 'SITE/AUDIT']);
      expect(items.slice(1).every((i) => i.Put!.ConditionExpression === 'attribute_not_exists(pk)')).toBe(true);
      const [site] = await sites();
      expect(await stored()).toMatchObject({ status: 'APPROVED', siteId: site!.siteId, decidedAt: ENTERED, gsi2pk: expect.stringMatching(/^APPSTATUS#APPROVED#\d$/), decision: { outcome: 'approve', decidedBy: 'sub-reviewer-b' } });
      expect(site).toMatchObject({ status: 'ACTIVE', version: 0, institutionId: CREDIT_CODE, applicationId: APP_ID, provinceCode: '440000', cityCode: '440100', activatedAt: ENTERED, lastExamAt: null });
    });

    it("arms the site's one-time schedule at its first milestone, the T-90 warning, starting site-milestone under a deterministic name (Art.23(1))", async () => {
      scheduler.resetHistory();
      await activate();
      const [site] = await sites();
      const calls = scheduler.commandCalls(UpdateScheduleCommand);
      expect(calls).toHaveLength(1);
      const input = calls[0]!.args[0].input;
      const first = firstMilestoneAt(ENTERED, 730);
      expect(site).toMatchObject({ nextMilestoneAt: first, nextMilestoneKind: 'warn-90', inactivitySince: ENTERED, warnedMilestones: [] });
      expect(input).toMatchObject({ Name: `site-${site!.siteId}`, GroupName: 'exam-site-test', ActionAfterCompletion: 'NONE', FlexibleTimeWindow: { Mode: 'OFF' } });
      // Scheduler has whole seconds: the fire is rounded up, never before the milestone.
      expect(input.ScheduleExpression).toBe(`at(${new Date(Math.ceil(Date.parse(first) / 1000) * 1000).toISOString().slice(0, 19)})`);
      const target = JSON.parse(input.Target!.Input!) as { StateMachineArn: string; Name: string; Input: string };
      expect(input.Target!.Arn).toMatch(/:scheduler:::aws-sdk:sfn:startExecution$/);
      expect(target.StateMachineArn).toMatch(/:stateMachine:exam-site-test-site-milestone$/);
      expect(target.Name).toBe(`inactivity-${site!.siteId}-warn-90-${first.replace(/[^0-9]/g, '').slice(0, 14)}`);
      expect(JSON.parse(target.Input)).toEqual({ siteId: site!.siteId, milestone: { kind: 'warn-90', at: first } });
    });

    it('keeps on the site the rooms that met the standard, with the candidates each seats at once, and not the sub-standard one (Art.9(2))', async () => {
      const form = makeValidForm();
      Object.assign(form.examRooms[0]!, { seatingArrangement: 'alternate-seat', seats: 90, candidatePcCount: 90 });
      form.examRooms[1]!.upsHours = 1;
      await table.put(application('DECISION', { form }));

      await activate();

      expect((await sites())[0]!.accreditedRooms).toEqual([{ name: 'A101', seats: 90, seatingArrangement: 'alternate-seat', capacity: 45 }]);
    });

    it('reads a form stored in version 1 through its upgrade when it records the rooms (Art.9(2))', async () => {
      const { equipment: _e, ...form } = makeValidForm();
      const v1 = { ...form, examRooms: form.examRooms.map(({ seatingArrangement: _s, ...r }) => ({ ...r, alternateSeating: false, multimediaSet: true })) };
      await table.put(application('DECISION', { form: v1 }));

      await activate();

      expect((await sites())[0]!.accreditedRooms).toEqual([
        { name: 'A101', seats: 45, seatingArrangement: 'every-seat', capacity: 45 },
        { name: 'A102', seats: 45, seatingArrangement: 'every-seat', capacity: 45 },
      ]);
    });

    it('numbers the site CBEC-<province>-<year>-<6 characters> (Art.5)', async () => {
      await activate();

      const [site] = await sites();
      expect(site!.certificateNumber).toMatch(/^CBEC-440000-2025-[0-9A-HJKMNP-TV-Z]{6}$/);
      expect(String(site!.certificateNumber).slice(-6)).toBe(String(site!.siteId).slice(-6));
    });

    it('dates the certificate year in Beijing time: activated at 16:30 UTC on 31 December is next year', () => {
      expect(certificateNumber('110000', '2025-12-31T16:30:00.000Z', '01JSITE000000000000ABCDEF')).toBe('CBEC-110000-2026-ABCDEF');
      expect(certificateNumber('110000', '2025-12-31T15:59:59.000Z', '01JSITE000000000000ABCDEF')).toBe('CBEC-110000-2025-ABCDEF');
    });

    it('arms the inactivity timer: nextMilestoneAt = activation + inactivityDays − 90 days, listed under gsi3 MILESTONE (Art.23(1))', async () => {
      await activate();

      const [site] = await sites();
      const expected = new Date(Date.parse(ENTERED) + (730 - 90) * DAY_MS).toISOString();
      expect(site).toMatchObject({ nextMilestoneAt: expected, inactivitySince: ENTERED, gsi3pk: expect.stringMatching(/^MILESTONE#\d$/), gsi3sk: `${expected}#${String(site!.siteId)}` });
      expect(site).toMatchObject({ gsi1pk: `INST#${CREDIT_CODE}`, gsi2pk: expect.stringMatching(/^SITESTATUS#ACTIVE#\d$/) });
    });

    it('follows a configured inactivityDays for the first milestone (Art.23(1), policy)', async () => {
      process.env.APP_CONFIG = JSON.stringify({ ...JSON.parse(process.env.APP_CONFIG!), deadlines: { inactivityDays: 365 } });
      resetConfigCache();
      try {
        const result = await activate();

        expect(result.siteActivated.nextMilestoneAt).toBe(new Date(Date.parse(ENTERED) + 275 * DAY_MS).toISOString());
      } finally {
        setAccreditationEnv();
        resetConfigCache();
      }
    });

    it('never puts the first milestone before the activation', () => {
      expect(firstMilestoneAt(ENTERED, 60)).toBe(ENTERED);
    });

    it('audits the approval on the application as the lifecycle table\'s approve transition and the activation on the site (Art.5)', async () => {
      await activate();

      const siteId = String((await stored()).siteId);
      expect(await table.audits(`APP#${APP_ID}`)).toEqual([
        expect.objectContaining({ sk: `AUDIT#${ENTERED}#${EXECUTION}#ActivateSite`, from: 'DECISION', to: 'APPROVED', action: 'approve', article: 'Art.5', reason: approval.reason, actor: expect.objectContaining({ kind: 'system' }) }),
      ]);
      expect(await table.audits(`SITE#${siteId}`)).toEqual([
        expect.objectContaining({ sk: `AUDIT#${ENTERED}#${EXECUTION}#ActivateSite`, to: 'ACTIVE', action: 'activate', article: 'Art.5', details: { applicationId: APP_ID } }),
      ]);
    });

    it('mails the applicant the site number, Chinese first and English second (Art.4, Art.5)', async () => {
      await activate();

      const [mail, ...more] = queuedMails(sqs);
      expect(more).toEqual([]);
      const site = (await sites())[0]!;
      expect(mail).toMatchObject({ tag: 'site-activated', to: [`${APPLICANT}@college.example.cn`] });
      expect(chineseFirst(mail!.text, `考核站点编号：${String(site.certificateNumber)}`, `Exam-site number: ${String(site.certificateNumber)}`)).toBe(true);
      expect(mail!.text).toContain(`https://portal.example.cn/sites/${String(site.siteId)}`);
    });

    it('returns the SiteActivated and ApplicationDecided details the workflow publishes', async () => {
      const result = await activate();

      const site = (await sites())[0]!;
      expect(siteActivatedSchema.parse(result.siteActivated)).toMatchObject({ siteId: site.siteId, certificateNumber: site.certificateNumber, eventId: `${EXECUTION}#ActivateSite` });
      expect(applicationDecidedSchema.parse(result.applicationDecided)).toMatchObject({ status: 'APPROVED', outcome: 'approve', siteId: site.siteId });
    });

    it('creates no second site when retried after it succeeded, and answers the same', async () => {
      const first = await activate();

      const second = await activate();

      expect(await sites()).toHaveLength(1);
      expect(second).toEqual(first);
      expect(await table.audits(`APP#${APP_ID}`)).toHaveLength(1);
      expect(new Set(queuedMails(sqs).map((m) => m.id)).size).toBe(1);
    });

    it('creates no second site when a retry read DECISION before the first try committed', async () => {
      const before = structuredClone(await stored());
      const first = await activate();
      // The retry's read of the application happened before the first try's commit.
      let stale = true;
      table.mockStores().on(GetCommand).callsFake((input: GetCommandInput) => {
        if (input.Key?.pk !== `APP#${APP_ID}` || !stale) return table.passThrough(new GetCommand(input));
        stale = false;
        return { Item: structuredClone(before) };
      });

      const second = await activate();

      expect(await sites()).toHaveLength(1);
      expect(second.siteActivated).toEqual(first.siteActivated);
      expect(await table.audits(`APP#${APP_ID}`)).toHaveLength(1);
      expect((await table.withPk('SITE#')).filter((i) => String(i.sk).startsWith('AUDIT#'))).toHaveLength(1);
    });

    it('refuses to activate an application that is not in DECISION, with a non-transient error and no site', async () => {
      await table.put(application('SITE_VISIT'));

      const error = await activate().catch((e: unknown) => e);

      expect(error).toMatchObject({ code: 'INVALID_TRANSITION', kind: 'conflict' });
      expect((error as Error).name).not.toBe('TransientError');
      expect(await sites()).toEqual([]);
      expect(queuedMails(sqs)).toEqual([]);
    });
  });
});

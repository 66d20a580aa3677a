import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Item } from '../../../../functions/adapters/stores/table.ts';
import { storedEvidence } from '../../../../test/support/table-keys.ts';
import { installTimeSource } from '../../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../../functions/shared/env.ts';
import { screeningResultSchema } from '../../../../schemas/findings.schema.ts';
import { APP_ID, CREDIT_CODE, application, lambdaContext, setAccreditationEnv } from '../../decisions/helpers.ts';
import { makeValidForm, validEvidence } from '../../domain/fixtures/valid-form.ts';
import { EXECUTION, auditOf, pilotEntry } from './helpers.ts';
import { useTestTable } from '../../../support/table.ts';

setAccreditationEnv();
const { handler } = await import('../../../../functions/handlers/screen-application.handler.ts');

const table = useTestTable();
const sqs = mockClient(SQSClient);
const ENTERED = '2025-03-02T01:02:03.456Z';
const DAY = 86_400;

/** The stored evidence items of a pilot college's complete, validated evidence. */
async function storeValidEvidence(except: readonly string[] = []): Promise<void> {
  for (const e of validEvidence.filter((x) => !except.includes(x.kind))) {
    await table.put(storedEvidence(APP_ID, e.kind, e.evidenceId, {
      type: 'evidence',
      applicationId: APP_ID,
      kind: e.kind,
      itemId: e.evidenceId,
      creditCode: CREDIT_CODE,
      status: 'valid',
      version: 1,
      tags: e.tags,
      reasonCodes: [],
      uploadExpiresAt: '2025-02-20T00:10:00.000Z',
      createdAt: '2025-02-20T00:00:00.000Z',
    }));
  }
}

const submitted = (overrides: Item = {}) =>
  application('SUBMITTED', { form: makeValidForm(), institutionName: '广州南方商贸职业技术学院', screening: undefined, ...overrides });
const payload = (enteredTime = ENTERED) => ({ applicationId: APP_ID, institutionId: CREDIT_CODE, audit: auditOf('ScreenApplication', enteredTime) });
const screen = (p: unknown = payload()) => handler(p, lambdaContext);
/** The application as the store assembles it: its status record with the screening item. */
const stored = async (): Promise<Item> => {
  const screening = await table.get(`APP#${APP_ID}`, 'APP#SCREENING');
  return { ...(await table.get(`APP#${APP_ID}`, 'APP'))!, ...(screening ? { screening: screening.screening } : {}) };
};

describe('screen-application task', () => {
  beforeAll(() => installTimeSource({ now: () => Date.parse(ENTERED) + 1500 }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({});
    resetConfigCache();
    await table.put(submitted(), pilotEntry());
    await storeValidEvidence();
  });

  describe('screenApplicationStep', () => {
    it('moves SUBMITTED → SCREENING with one audit item keyed by execution name, state name and entered time (Art.3)', async () => {
      await screen();

      expect(await stored()).toMatchObject({ status: 'SCREENING', version: 4, gsi2pk: expect.stringMatching(/^APPSTATUS#SCREENING#\d$/), gsi2sk: `${ENTERED}#${APP_ID}` });
      const audits = await table.audits(`APP#${APP_ID}`);
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({
        sk: `AUDIT#${ENTERED}#${EXECUTION}#ScreenApplication`,
        action: 'start-screening',
        from: 'SUBMITTED',
        to: 'SCREENING',
        article: 'Art.3',
        actor: { kind: 'system', id: 'workflow:accreditation', role: 'ScreenApplication' },
      });
    });

    it('writes the status change and its audit item in one transaction', async () => {
      await screen();

      const calls = table.sent(TransactWriteCommand);
      expect(calls).toHaveLength(1);
      const items = calls[0]!.TransactItems!;
      expect(items[0]!.Update!.Key).toEqual({ pk: `APP#${APP_ID}`, sk: 'APP' });
      expect(items[1]!.Put!.Item).toMatchObject({ pk: `APP#${APP_ID}`, action: 'start-screening' });
      expect(items[1]!.Put!.ConditionExpression).toBe('attribute_not_exists(pk)');
    });

    it('stores the findings and the standard version it screened against on the application (Art.7, Art.9–11)', async () => {
      await table.put(submitted({ form: { ...makeValidForm(), examRooms: [{ ...makeValidForm().examRooms[0]!, candidatePcCount: 32 }] } }));

      await screen();

      const screening = (await stored()).screening as Item;
      expect(screeningResultSchema.safeParse(screening).success).toBe(true);
      expect(screening.standardVersion).toBe('2020-1');
      expect((screening.findings as Item[]).map((f) => f.code)).toContain('ROOM_CANDIDATE_PCS_BELOW_MINIMUM');
      expect((await stored()).screenedAt).toBe(ENTERED);
    });

    it('passes a pilot college whose form and evidence meet every minimum, with no finding (Art.3, Art.9–11)', async () => {
      const result = await screen();

      expect(result).toMatchObject({ applicationId: APP_ID, institutionId: CREDIT_CODE, outcome: 'pass', findingsCount: 0, round: 1, returnsSoFar: 0 });
    });

    it('refuses an applicant that is not on the pilot register (Art.3(2))', async () => {
      await table.delete(`PILOT#${CREDIT_CODE}`, `PILOT`);

      const result = await screen();

      expect(result.outcome).toBe('refuse');
      const codes = (((await stored()).screening as Item).findings as Item[]).map((f) => [f.code, f.article]);
      expect(codes).toContainEqual(['NOT_A_PILOT_COLLEGE', 'Art.3(2)']);
    });

    it('refuses a college whose pilot-register entry is inactive (Art.3(2))', async () => {
      await table.put(pilotEntry({ active: false }));

      expect((await screen()).outcome).toBe('refuse');
    });

    it('returns the application when the venue photos are missing, citing the clause of the evidence (Art.3(3))', async () => {
      await table.clear();
      await table.put(submitted(), pilotEntry());
      await storeValidEvidence(['venue-photo']);

      const result = await screen();

      expect(result.outcome).toBe('return');
      const findings = ((await stored()).screening as Item).findings as Item[];
      expect(findings).toContainEqual(expect.objectContaining({ code: 'EVIDENCE_MISSING', article: 'Art.3(3)', path: 'evidence.venue-photo', severity: 'blocking' }));
    });

    it('counts an upload that was granted but never made as missing, not as still being validated (Art.3)', async () => {
      await table.clear();
      await table.put(submitted(), pilotEntry());
      await storeValidEvidence(['exam-experience']);
      await table.put(storedEvidence(APP_ID, 'exam-experience', 'never-uploaded', {
        type: 'evidence',
        applicationId: APP_ID,
        kind: 'exam-experience',
        itemId: 'never-uploaded',
        status: 'pending',
        tags: [],
        uploadExpiresAt: '2025-02-25T00:10:00.000Z',
        createdAt: '2025-02-25T00:00:00.000Z',
      }));

      const result = await screen();

      expect(result.outcome).toBe('return');
      const codes = (((await stored()).screening as Item).findings as Item[]).filter((f) => f.path === 'evidence.exam-experience').map((f) => f.code);
      expect(codes).toEqual(['EVIDENCE_MISSING']);
    });

    it('still waits for an upload made in the last minutes that the validator has not judged yet (Art.3)', async () => {
      await table.put(storedEvidence(APP_ID, 'exam-experience', 'in-flight', {
        type: 'evidence',
        applicationId: APP_ID,
        kind: 'exam-experience',
        itemId: 'in-flight',
        status: 'pending',
        tags: [],
        uploadExpiresAt: '2025-03-02T01:05:00.000Z',
        createdAt: '2025-03-02T00:55:00.000Z',
      }));
      await table.delete(`APP#${APP_ID}`, `EVIDENCE#exam-experience#ev-experience`);

      await screen();

      const codes = (((await stored()).screening as Item).findings as Item[]).filter((f) => f.path === 'evidence.exam-experience').map((f) => f.code);
      expect(codes).toEqual(['EVIDENCE_PENDING']);
    });

    it('hands the workflow its deadlines in seconds from appConfig().deadlines', async () => {
      process.env.APP_CONFIG = JSON.stringify({
        ...JSON.parse(process.env.APP_CONFIG!),
        deadlines: { returnDays: 7, reviewDays: 5, reminderHours: 12, siteVisitDays: 20, decisionDays: 3, maxReturnRounds: 2 },
      });
      resetConfigCache();
      try {
        const result = await screen();

        expect(result.deadlines).toEqual({ returnSeconds: 7 * DAY, reviewSeconds: 5 * DAY, reminderSeconds: 12 * 3600, siteVisitSeconds: 20 * DAY, decisionSeconds: 3 * DAY });
        expect(result.maxReturnRounds).toBe(2);
      } finally {
        setAccreditationEnv();
        resetConfigCache();
      }
    });

    it('returns the same outcome and writes no second audit item when the same invocation is retried', async () => {
      await table.delete(`PILOT#${CREDIT_CODE}`, `PILOT`);
      const first = await screen();
      // A retry after a timeout sees the refusal it stored, even if the register changed meanwhile.
      await table.put(pilotEntry());

      const second = await screen();

      expect(second).toEqual(first);
      expect(await table.audits(`APP#${APP_ID}`)).toHaveLength(1);
      expect((await stored()).version).toBe(4);
    });

    it('treats a retry racing the first write as a replay, not as a new screening', async () => {
      const first = await screen();
      // The second try read SUBMITTED before the first one committed.
      await table.put({ ...(await stored()), screenedAt: undefined });

      const second = await screen();

      expect(second.outcome).toBe(first.outcome);
      expect(await table.audits(`APP#${APP_ID}`)).toHaveLength(1);
    });

    it('screens a resubmitted application again, with a new audit item for the new entry into the state (Art.4)', async () => {
      await screen();
      await table.put({ ...(await stored()), status: 'SUBMITTED', round: 2, returnCount: 1 });

      const result = await screen(payload('2025-03-20T00:00:00.000Z'));

      expect(result).toMatchObject({ round: 2, returnsSoFar: 1 });
      expect(await table.audits(`APP#${APP_ID}`)).toHaveLength(2);
      expect((await stored()).screenedAt).toBe('2025-03-20T00:00:00.000Z');
    });

    it('refuses a payload whose institution is not the applicant, changing nothing', async () => {
      await expect(screen({ ...payload(), institutionId: '91110000600037341L' })).rejects.toMatchObject({ name: 'ValidationError' });

      expect((await stored()).status).toBe('SUBMITTED');
      expect(table.sent(TransactWriteCommand)).toHaveLength(0);
    });

    it('fails with a non-transient error when the application is not SUBMITTED', async () => {
      await table.put(submitted({ status: 'UNDER_REVIEW' }));

      await expect(screen()).rejects.toMatchObject({ code: 'INVALID_TRANSITION', kind: 'conflict' });
      expect(await table.audits(`APP#${APP_ID}`)).toHaveLength(0);
    });

    it('sends no mail: the outcome steps do', async () => {
      await screen();

      expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    });
  });
});

import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, REVIEWER, application, evidenceItem, membership } from './fixtures.ts';
import { bodyOf, httpEvent, lambdaContext, setEvidenceEnv } from './helpers.ts';
import { useTestTable } from '../../support/table.ts';

setEvidenceEnv();
const { handler } = await import('../../../functions/handlers/reset-evidence-attempts.handler.ts');
const upload = (await import('../../../functions/handlers/request-evidence-upload.handler.ts')).handler;

const table = useTestTable();
const NOW = Date.parse('2025-03-01T08:00:00.000Z');
const ADMIN = { sub: 'admin-sub-1', groups: ['admin'], name: '王管理' };

function reset(kind = 'application-form', body: unknown = { reason: '扫描仪故障，学院多次上传失败' }, who: { sub: string; groups: string[] } = ADMIN) {
  return handler(httpEvent({ ...who, method: 'POST', pathParameters: { applicationId: APP_ID, kind }, body }), lambdaContext);
}

function writes() {
  return table.sent(TransactWriteCommand).map((c) => c.TransactItems ?? []);
}

/** Five uploads of the application form that arrived and were refused: the kind's attempts are used up. */
async function usedUp(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await table.put(evidenceItem('application-form', `01JB000000000000000000000${i}`, { status: 'invalid', lastSequencer: `${i + 1}`, createdAt: new Date(NOW - 3_600_000).toISOString() }));
  }
}

describe('reset-evidence-attempts handler', () => {
  beforeAll(() => installTimeSource({ now: () => NOW }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    resetConfigCache();
    await table.put(application('RETURNED'));
    await table.put(membership(APPLICANT, CREDIT_CODE));
  });

  it('records the reset with who, when and why, and its audit event, in one transaction', async () => {
    await usedUp();
    const result = await reset();
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toEqual({ applicationId: APP_ID, kind: 'application-form', attemptLimit: 5, attemptsUsed: 0, reset: true, resetAt: new Date(NOW).toISOString(), resetBy: ADMIN.sub });
    const [items] = writes();
    expect(items?.[0]?.Put?.Item).toMatchObject({ sk: 'EVIDENCE-RESET#application-form', resetBy: ADMIN.sub, reason: '扫描仪故障，学院多次上传失败' });
    expect(items?.[1]?.Put?.Item).toMatchObject({
      pk: `APP#${APP_ID}`,
      action: 'evidence-attempts-reset',
      actor: { id: ADMIN.sub, role: 'admin' },
      reason: '扫描仪故障，学院多次上传失败',
      details: { kind: 'application-form', attemptsUsed: 5, attemptLimit: 5 },
    });
  });

  it('after the reset the college can upload again', async () => {
    await usedUp();
    const form = { kind: 'application-form', fileName: 'form.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096, sha256: 'cd'.repeat(32) };
    const asApplicant = () => upload(httpEvent({ sub: APPLICANT, groups: ['applicant'], method: 'POST', pathParameters: { applicationId: APP_ID }, body: form }), lambdaContext);
    const before = await asApplicant();
    expect(before.statusCode).toBe(409);
    expect(bodyOf(before)).toMatchObject({ code: 'EVIDENCE_ATTEMPTS_EXCEEDED' });
    await reset();
    const after = await asApplicant();
    expect(after.statusCode).toBe(201);
  });

  it('is idempotent: a second reset with nothing used since writes nothing and says so', async () => {
    await usedUp();
    await reset();
    const again = await reset();
    expect(again.statusCode).toBe(200);
    expect(bodyOf(again)).toMatchObject({ reset: false, attemptsUsed: 0, resetAt: new Date(NOW).toISOString(), resetBy: ADMIN.sub });
    expect(writes()).toHaveLength(1);
  });

  it('refuses a reviewer and an applicant with 403', async () => {
    await usedUp();
    expect((await reset('application-form', undefined, { sub: REVIEWER, groups: ['reviewer'] })).statusCode).toBe(403);
    expect((await reset('application-form', undefined, { sub: APPLICANT, groups: ['applicant'] })).statusCode).toBe(403);
    expect(writes()).toHaveLength(0);
  });

  it('requires a reason of at least 5 characters (400)', async () => {
    await usedUp();
    const result = await reset('application-form', { reason: 'ok' });
    expect(result.statusCode).toBe(400);
    expect(writes()).toHaveLength(0);
  });

  it('refuses a kind Art.3 does not list with 400, and an application that ended with 409', async () => {
    expect(bodyOf(await reset('selfie'))).toMatchObject({ code: 'EVIDENCE_KIND_UNKNOWN' });
    await table.put(application('CLOSED'));
    const result = await reset();
    expect(result.statusCode).toBe(409);
    expect(bodyOf(result)).toMatchObject({ code: 'APPLICATION_ENDED' });
  });
});

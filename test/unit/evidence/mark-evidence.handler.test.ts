import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, REVIEWER, application, evidenceItem, membership } from './fixtures.ts';
import { bodyOf, httpEvent, lambdaContext, setEvidenceEnv } from './helpers.ts';
import { useTestTable } from '../../support/table.ts';

setEvidenceEnv();
const { handler } = await import('../../../functions/handlers/mark-evidence.handler.ts');
const { evidenceMarkFindings } = await import('../../../functions/use-cases/evidence/mark-evidence.ts');

const table = useTestTable();
const ITEM = '01JB0000000000000000000T0A';

const reviewer = { sub: REVIEWER, groups: ['reviewer'] };

function mark(body: unknown, who: { sub: string; groups: string[] } = reviewer, requestId = 'req-m-1') {
  return handler(httpEvent({ ...who, method: 'PUT', pathParameters: { applicationId: APP_ID, itemId: ITEM }, body, requestId }), lambdaContext);
}

function writes() {
  return table.sent(TransactWriteCommand).map((c) => c.TransactItems ?? []);
}

/** The evidence item as stored after the handler ran. */
async function stored(): Promise<Record<string, unknown> | undefined> {
  return table.get(`APP#${APP_ID}`, `EVIDENCE#application-form#${ITEM}`);
}

describe('mark-evidence handler', () => {
  beforeEach(async () => {
    resetConfigCache();
    await table.put(membership(APPLICANT, CREDIT_CODE));
    await table.put(application('UNDER_REVIEW'));
    await table.put(
      evidenceItem('application-form', ITEM, {
        status: 'valid',
        fileName: '申请表.pdf',
        lastSequencer: '1',
        validatedVersionId: 'v1',
        detectedType: 'application/pdf',
        sealConfirmed: true,
        reasons: [],
        reasonCodes: [],
      }),
    );
  });

  it('marks a validated file not stamped: invalid, the reason citing Art.3, audited with who and why, in one transaction', async () => {
    const result = await mark({ marks: ['not-stamped'], note: '请加盖公章后重新上传' });
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ status: 'invalid', marks: ['not-stamped'], note: '请加盖公章后重新上传', reasons: [{ code: 'EVIDENCE_NOT_STAMPED', article: 'Art.3' }] });
    const [items] = writes();
    expect(items?.[0]?.Update?.ExpressionAttributeValues).toMatchObject({ ':from0': 'valid' });
    expect(await stored()).toMatchObject({ status: 'invalid', reasonCodes: ['not-stamped'], reviewMarks: { marks: ['not-stamped'], by: REVIEWER } });
    expect(items?.[1]?.Put?.Item).toMatchObject({ action: 'evidence-marked', article: 'Art.3', actor: { id: REVIEWER, role: 'reviewer' }, reason: expect.stringContaining('未加盖申请单位公章') });
  });

  it('clears the marks with an empty list: the file is valid again, audited', async () => {
    await table.put(evidenceItem('application-form', ITEM, { status: 'invalid', lastSequencer: '1', reviewMarks: { marks: ['illegible'], by: REVIEWER, at: '2025-01-01T00:00:00.000Z' }, reasons: [{ code: 'EVIDENCE_ILLEGIBLE', zh: 'x', en: 'x', article: 'Art.3(1)' }], reasonCodes: ['illegible'] }));
    const result = await mark({ marks: [] });
    expect(bodyOf(result)).toMatchObject({ status: 'valid', marks: [], reasons: [] });
    const [items] = writes();
    expect(await stored()).toMatchObject({ status: 'valid' });
    expect(items?.[1]?.Put?.Item).toMatchObject({ action: 'evidence-marks-cleared' });
  });

  it('writes nothing when the same marks are set again (idempotent)', async () => {
    await table.put(evidenceItem('application-form', ITEM, { status: 'invalid', lastSequencer: '1', reviewMarks: { marks: ['wrong-document'], by: REVIEWER, at: '2025-01-01T00:00:00.000Z' } }));
    const result = await mark({ marks: ['wrong-document'] });
    expect(result.statusCode).toBe(200);
    expect(writes()).toHaveLength(0);
  });

  it('keeps the validator’s flags (a duplicate of another institution’s file) beside the marks', async () => {
    const flag = { code: 'EVIDENCE_DUPLICATE_OF_OTHER_INSTITUTION', zh: '同一文件', en: 'same file', article: 'Art.3(1)' };
    await table.put(evidenceItem('application-form', ITEM, { status: 'valid', lastSequencer: '1', reasons: [flag] }));
    const body = bodyOf<{ reasons: Array<{ code: string }> }>(await mark({ marks: ['illegible', 'not-stamped'] }));
    expect(body.reasons.map((r) => r.code)).toEqual(['EVIDENCE_DUPLICATE_OF_OTHER_INSTITUTION', 'EVIDENCE_NOT_STAMPED', 'EVIDENCE_ILLEGIBLE']);
  });

  it('refuses an applicant with 403 and writes nothing', async () => {
    const result = await mark({ marks: ['not-stamped'] }, { sub: APPLICANT, groups: ['applicant'] });
    expect(result.statusCode).toBe(403);
    expect(writes()).toHaveLength(0);
  });

  it('refuses with 409 outside the material review (Art.4)', async () => {
    await table.put(application('SITE_VISIT'));
    const result = await mark({ marks: ['not-stamped'] });
    expect(result.statusCode).toBe(409);
    expect(bodyOf(result)).toMatchObject({ code: 'EVIDENCE_REVIEW_NOT_IN_PROGRESS' });
  });

  it('refuses with 409 a file the validator refused or still checks: there is nothing a reviewer could have read', async () => {
    for (const status of ['pending', 'invalid', 'withdrawn']) {
      await table.put(evidenceItem('application-form', ITEM, { status }));
      const result = await mark({ marks: ['illegible'] });
      expect(result.statusCode).toBe(409);
      expect(bodyOf(result)).toMatchObject({ code: 'EVIDENCE_NOT_MARKABLE' });
    }
    expect(writes()).toHaveLength(0);
  });

  it('refuses a mark that is not a reviewer’s reason code with 400', async () => {
    const result = await mark({ marks: ['too-large'] });
    expect(result.statusCode).toBe(400);
  });

  it('answers 404 for a file that is not in the application', async () => {
    await table.clear();
    await table.put(application('UNDER_REVIEW'));
    expect((await mark({ marks: ['illegible'] })).statusCode).toBe(404);
  });
});

describe('evidenceMarkFindings', () => {
  beforeEach(async () => {
  });

  it('turns each marked file into a blocking finding naming the file, the marks and the note; unmarked files give none', async () => {
    await table.put(evidenceItem('application-form', ITEM, { status: 'invalid', fileName: '申请表.pdf', reviewMarks: { marks: ['not-stamped'], note: '缺公章', by: REVIEWER, at: 'x' } }));
    await table.put(evidenceItem('policies', '01JB0000000000000000000T0B', { status: 'invalid', fileName: 'rules.pdf', reviewMarks: { marks: ['illegible'], by: REVIEWER, at: 'x' } }));
    await table.put(evidenceItem('policies', '01JB0000000000000000000T0C', { status: 'valid', fileName: 'ok.pdf', reviewMarks: { marks: [], by: REVIEWER, at: 'x' } }));
    const findings = await evidenceMarkFindings(APP_ID);
    expect(findings).toEqual([
      { article: 'Art.3', severity: 'blocking', path: 'evidence.application-form', zh: '申请表.pdf：「考核站点申请表（盖章）」未加盖申请单位公章（缺公章）', en: "申请表.pdf: Application form (stamped): the applicant's official seal is missing (缺公章)" },
      { article: 'Art.3(4)', severity: 'blocking', path: 'evidence.policies', zh: 'rules.pdf：「管理制度、安全制度、保密制度」内容不清晰，无法辨认', en: 'rules.pdf: Management, safety and confidentiality rules: illegible' },
    ]);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import type { EvidenceListView } from '../../../functions/use-cases/evidence/list-evidence.ts';
import { evidenceReason } from '../../../functions/domain/evidence-inspection.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, OTHER_APP_ID, OTHER_APPLICANT, OTHER_CREDIT_CODE, REVIEWER, application, evidenceItem, membership, pilotEntry } from './fixtures.ts';
import { bodyOf, httpEvent, lambdaContext, setEvidenceEnv } from './helpers.ts';
import { useTestTable } from '../../support/table.ts';

setEvidenceEnv();
const { handler } = await import('../../../functions/handlers/list-evidence.handler.ts');

const table = useTestTable();
const NOW = Date.parse('2025-03-02T09:30:00.000Z');

async function list(who: { sub: string; groups: string[] }) {
  const result = await handler(httpEvent({ ...who, pathParameters: { applicationId: APP_ID } }), lambdaContext);
  return { statusCode: result.statusCode, body: bodyOf<EvidenceListView>(result) };
}

describe('list-evidence handler', () => {
  beforeAll(() => installTimeSource({ now: () => NOW }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    resetConfigCache();
    await table.put(application('DRAFT'));
    await table.put(membership(APPLICANT, CREDIT_CODE));
    await table.put(membership(OTHER_APPLICANT, OTHER_CREDIT_CODE));
    await table.put(evidenceItem('application-form', '01JB0000000000000000000T0A', { status: 'valid', detectedType: 'application/pdf' }));
    await table.put(
      evidenceItem('manager-id-copy', '01JB0000000000000000000T0B', {
        status: 'valid',
        duplicateOf: [{ applicationId: OTHER_APP_ID }],
        reasons: [evidenceReason('manager-id-copy', 'EVIDENCE_DUPLICATE_OF_OTHER_INSTITUTION')],
      }),
    );
    await table.put(
      evidenceItem('policies', '01JB0000000000000000000T0C', {
        status: 'invalid',
        reasons: [evidenceReason('policies', 'EVIDENCE_PDF_TRUNCATED')],
        reasonCodes: ['unreadable'],
      }),
    );
    await table.put(evidenceItem('exam-experience', '01JB0000000000000000000T0D', { status: 'pending' }));
    await table.put(evidenceItem('exam-experience', '01JB0000000000000000000T0E', { status: 'withdrawn' }));
  });

  it('does not ask a pilot college for the legal-person certificate, and lists what is still needed (Art.3(2))', async () => {
    await table.put(pilotEntry(CREDIT_CODE));
    const { statusCode, body } = await list({ sub: APPLICANT, groups: ['applicant'] });
    expect(statusCode).toBe(200);
    expect(body.pilotCollege).toBe(true);
    const byKind = Object.fromEntries(body.kinds.map((k) => [k.kind, k]));
    expect(byKind['legal-person-certificate']).toMatchObject({ required: false, status: 'missing' });
    expect(byKind['application-form']).toMatchObject({ required: true, status: 'valid', stillNeeded: 0 });
    expect(byKind['policies']).toMatchObject({ status: 'invalid', reasons: [expect.objectContaining({ code: 'EVIDENCE_PDF_TRUNCATED', article: 'Art.3(4)' })] });
    expect(byKind['exam-experience']).toMatchObject({ status: 'pending', pendingCount: 1 });
    // The pending upload is in flight (one attempt); the file withdrawn before any upload used none.
    expect(byKind['exam-experience']).toMatchObject({ attemptLimit: 50, attemptsUsed: 1 });
    expect(byKind['exam-experience']?.items).toHaveLength(1);
    expect(byKind['venue-photo']).toMatchObject({ status: 'missing', stillNeeded: 3, missingTags: ['exam-room', 'equipment', 'exam-office'] });
    expect(body.stillNeeded.map((s) => s.kind)).toEqual(['venue-photo', 'policies', 'exam-experience']);
    expect(body.complete).toBe(false);
  });

  it('asks an institution not on the pilot register for the legal-person certificate (Art.3(2))', async () => {
    const { body } = await list({ sub: APPLICANT, groups: ['applicant'] });
    expect(body.pilotCollege).toBe(false);
    expect(body.kinds.find((k) => k.kind === 'legal-person-certificate')).toMatchObject({ required: true, status: 'missing', stillNeeded: 1 });
  });

  it('shows the applicant that a file is flagged as a duplicate without naming the other institution’s application', async () => {
    const { body } = await list({ sub: APPLICANT, groups: ['applicant'] });
    const item = body.kinds.find((k) => k.kind === 'manager-id-copy')?.items[0];
    expect(item).toMatchObject({ status: 'valid', duplicate: true });
    expect(item?.duplicateOf).toBeUndefined();
    expect(body.kinds.some((k) => k.kind === 'site-visit-photo')).toBe(false);
  });

  it('names the other application for reviewers and lists site-visit photos for them (Art.4)', async () => {
    const { body } = await list({ sub: REVIEWER, groups: ['reviewer'] });
    const kind = body.kinds.find((k) => k.kind === 'manager-id-copy');
    expect(kind).toMatchObject({ duplicate: true, items: [expect.objectContaining({ duplicateOf: [{ applicationId: OTHER_APP_ID }] })] });
    expect(body.kinds.find((k) => k.kind === 'site-visit-photo')).toMatchObject({ required: false, status: 'missing' });
  });

  it('shows the applicant a reviewer’s marks on a file with the reviewer’s note, and the seal confirmation (Art.3)', async () => {
    await table.put(
      evidenceItem('application-form', '01JB0000000000000000000T0A', {
        status: 'invalid',
        lastSequencer: '1',
        sealConfirmed: true,
        reviewMarks: { marks: ['not-stamped'], note: '公章不清晰，请重新盖章扫描', by: 'reviewer-sub-1', at: '2025-03-01T00:00:00.000Z' },
        reasons: [evidenceReason('application-form', 'EVIDENCE_NOT_STAMPED')],
        reasonCodes: ['not-stamped'],
      }),
    );
    const { body } = await list({ sub: APPLICANT, groups: ['applicant'] });
    const form = body.kinds.find((k) => k.kind === 'application-form');
    expect(form?.status).toBe('invalid');
    expect(form?.items[0]).toMatchObject({
      status: 'invalid',
      marks: ['not-stamped'],
      markNote: '公章不清晰，请重新盖章扫描',
      sealConfirmed: true,
      reasons: [{ code: 'EVIDENCE_NOT_STAMPED', article: 'Art.3', zh: '「考核站点申请表（盖章）」未加盖申请单位公章' }],
    });
    expect(JSON.stringify(form?.items[0])).not.toContain('reviewer-sub-1');
  });

  it('answers 404 to an applicant of another institution', async () => {
    const { statusCode } = await list({ sub: OTHER_APPLICANT, groups: ['applicant'] });
    expect(statusCode).toBe(404);
  });
});

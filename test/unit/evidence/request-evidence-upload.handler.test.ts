import { S3Client } from '@aws-sdk/client-s3';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { siteItem } from '../../../functions/adapters/stores/sites.ts';
import type { SiteRecord } from '../../../schemas/records/site.record.ts';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, OTHER_APPLICANT, OTHER_CREDIT_CODE, REVIEWER, VISITOR, application, evidenceItem, membership, siteVisitTask } from './fixtures.ts';
import { bodyOf, httpEvent, lambdaContext, setEvidenceEnv } from './helpers.ts';
import { useTestTable } from '../../support/table.ts';

setEvidenceEnv();
const { handler } = await import('../../../functions/handlers/request-evidence-upload.handler.ts');

const table = useTestTable();
const s3 = mockClient(S3Client);
const NOW = Date.parse('2025-03-01T08:00:00.000Z');
const MB = 1024 * 1024;

/** Any well-formed checksum: the handler only passes it into the policy (S3 verifies it against the bytes). */
const SHA = 'cd'.repeat(32);

function request(kind: string, body: unknown, who: { sub: string; groups: string[] } = { sub: APPLICANT, groups: ['applicant'] }, headers: Record<string, string> = {}) {
  return handler(httpEvent({ ...who, pathParameters: { applicationId: APP_ID }, body: body && typeof body === 'object' ? { kind, sha256: SHA, ...body } : body, headers }), lambdaContext);
}

function writes() {
  return table.sent(TransactWriteCommand).map((c) => c.TransactItems ?? []);
}


describe('request-evidence-upload handler', () => {
  beforeAll(() => installTimeSource({ now: () => NOW }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    s3.reset();
    resetConfigCache();
    await table.put(application('DRAFT'));
    await table.put(membership(APPLICANT, CREDIT_CODE));
    await table.put(membership(OTHER_APPLICANT, OTHER_CREDIT_CODE));
  });

  describe('a grant the policy pins down', () => {
    it('grants a presigned POST for the exact key, the kind’s size range, the declared type and 600 s, and records the item as pending (Art.3(1))', async () => {
      const result = await request('application-form', { fileName: '申请表.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 200_000 });
      expect(result.statusCode).toBe(201);
      const body = bodyOf<{ itemId: string; upload: { url: string; fields: Record<string, string> }; expiresAt: string }>(result);
      const key = `applications/${APP_ID}/application-form/${body.itemId}`;
      expect(body.upload.fields.key).toBe(key);
      const policy = JSON.parse(Buffer.from(body.upload.fields.Policy as string, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
      expect(policy.conditions).toEqual(
        expect.arrayContaining([
          ['eq', '$key', key],
          ['content-length-range', 1024, 10 * MB],
          ['eq', '$Content-Type', 'application/pdf'],
        ]),
      );
      expect(Date.parse(policy.expiration)).toBe(NOW + 600_000);
      expect(body.expiresAt).toBe(new Date(NOW + 600_000).toISOString());

      const [items] = writes();
      const item = items?.[0]?.Put?.Item;
      expect(item).toMatchObject({ status: 'pending', declaredContentType: 'application/pdf', declaredSize: 200_000, fileName: '申请表.pdf', creditCode: CREDIT_CODE });
      // The usual object key (the one granted above) is not stored: the store fills it in on read, and the item stays under 1 KB.
      expect(key).toBe(`applications/${APP_ID}/application-form/${String(item?.itemId)}`);
      expect(item).not.toHaveProperty('objectKey');
      expect(items?.[1]?.Put?.Item).toMatchObject({ pk: `APP#${APP_ID}`, action: 'evidence-upload-requested', actor: { id: APPLICANT } });
    });

    it('asks S3 to verify the SHA-256 the client declares, so the checksum comes back with the object (Art.3)', async () => {
      const sha = 'ab'.repeat(32);
      const result = await request('policies', { fileName: 'rules.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096, sha256: sha });
      const fields = bodyOf<{ upload: { fields: Record<string, string> } }>(result).upload.fields;
      expect(fields['x-amz-checksum-sha256']).toBe(Buffer.from(sha, 'hex').toString('base64'));
    });

    it('refuses a request without a SHA-256 with 400 naming the field, and writes nothing: validation never reads a file whole', async () => {
      const result = await request('policies', { fileName: 'rules.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096, sha256: undefined });
      expect(result.statusCode).toBe(400);
      expect(JSON.stringify(bodyOf(result))).toContain('sha256');
      expect(writes()).toHaveLength(0);
    });

    it('keeps the client’s file name out of the key and shows it sanitised', async () => {
      const result = await request('policies', { fileName: '../../etc/保密制度\u202e.exe', contentType: 'application/pdf', sealConfirmed: true, size: 4096 });
      const body = bodyOf<{ itemId: string; upload: { fields: Record<string, string> } }>(result);
      expect(body.upload.fields.key).toBe(`applications/${APP_ID}/policies/${body.itemId}`);
      expect(writes()[0]?.[0]?.Put?.Item?.fileName).toBe('保密制度.pdf');
    });
  });

  describe('refusals', () => {
    it('refuses a type the kind does not accept with 400 citing Art.3(1), and writes nothing', async () => {
      const result = await request('application-form', { fileName: 'form.png', contentType: 'image/png', sealConfirmed: true, size: 4096 });
      expect(result.statusCode).toBe(400);
      expect(bodyOf(result)).toMatchObject({ code: 'EVIDENCE_TYPE_NOT_ALLOWED', article: 'Art.3(1)' });
      expect(writes()).toHaveLength(0);
    });

    it('refuses a venue photo larger than 15 MB with 400 citing Art.3(3)', async () => {
      const result = await request('venue-photo', { fileName: 'room.jpg', contentType: 'image/jpeg', size: 15 * MB + 1, tags: ['exam-room'] });
      expect(result.statusCode).toBe(400);
      expect(bodyOf(result)).toMatchObject({ code: 'EVIDENCE_TOO_LARGE', article: 'Art.3(3)' });
    });

    it('refuses a kind that Art.3 does not list with 400', async () => {
      const result = await request('selfie', { fileName: 'me.jpg', contentType: 'image/jpeg', size: 4096 });
      expect(bodyOf(result)).toMatchObject({ code: 'EVIDENCE_KIND_UNKNOWN' });
      expect(result.statusCode).toBe(400);
    });

    it('refuses a second application form with 409 when one is valid (Art.3(1), at most 1)', async () => {
      await table.put(evidenceItem('application-form', '01JB0000000000000000000T0A', { status: 'valid' }));
      const result = await request('application-form', { fileName: 'form.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096 });
      expect(result.statusCode).toBe(409);
      expect(bodyOf(result)).toMatchObject({ code: 'EVIDENCE_COUNT_EXCEEDED', article: 'Art.3(1)' });
      expect(writes()).toHaveLength(0);
    });

    it('does not count invalid, withdrawn or abandoned uploads against the maximum (Art.3(1))', async () => {
      await table.put(evidenceItem('application-form', '01JB0000000000000000000T0A', { status: 'invalid' }));
      await table.put(evidenceItem('application-form', '01JB0000000000000000000T0B', { status: 'withdrawn' }));
      await table.put(evidenceItem('application-form', '01JB0000000000000000000T0C', { status: 'pending', uploadExpiresAt: new Date(NOW - 3_600_000).toISOString() }));
      const result = await request('application-form', { fileName: 'form.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096 });
      expect(result.statusCode).toBe(201);
    });

    it('answers 404 to an applicant of another institution, as if the application did not exist', async () => {
      const result = await request('policies', { fileName: 'rules.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096 }, { sub: OTHER_APPLICANT, groups: ['applicant'] });
      expect(result.statusCode).toBe(404);
      expect(writes()).toHaveLength(0);
    });

    it('refuses uploads with 409 once the application is submitted (Art.4)', async () => {
      await table.put(application('SUBMITTED'));
      const result = await request('policies', { fileName: 'rules.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096 });
      expect(result.statusCode).toBe(409);
      expect(bodyOf(result)).toMatchObject({ code: 'APPLICATION_NOT_EDITABLE', article: 'Art.4' });
    });

    it('accepts uploads again while the application is returned for correction (Art.4)', async () => {
      await table.put(application('RETURNED'));
      const result = await request('policies', { fileName: 'rules.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096 });
      expect(result.statusCode).toBe(201);
    });
  });

  describe('the seal (Art.3: 需加盖申请单位公章)', () => {
    it('refuses a document without the applicant’s confirmation that it is stamped, with 400 citing Art.3, and writes nothing', async () => {
      for (const sealConfirmed of [undefined, false]) {
        const result = await request('application-form', { fileName: 'form.pdf', contentType: 'application/pdf', size: 4096, ...(sealConfirmed === undefined ? {} : { sealConfirmed }) });
        expect(result.statusCode).toBe(400);
        expect(bodyOf(result)).toMatchObject({ code: 'EVIDENCE_SEAL_NOT_CONFIRMED', article: 'Art.3', message: { zh: expect.stringContaining('公章'), en: expect.stringContaining('seal') } });
      }
      expect(writes()).toHaveLength(0);
    });

    it('records the confirmation on the item and in its audit event', async () => {
      await request('manager-id-copy', { fileName: 'id.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096 });
      const [items] = writes();
      expect(items?.[0]?.Put?.Item).toMatchObject({ kind: 'manager-id-copy', sealConfirmed: true });
      expect(items?.[1]?.Put?.Item).toMatchObject({ details: { sealConfirmed: true } });
    });

    it('asks no confirmation for venue photos, which cannot carry a seal', async () => {
      const result = await request('venue-photo', { fileName: 'room.jpg', contentType: 'image/jpeg', size: 2 * MB, tags: ['exam-room'] });
      expect(result.statusCode).toBe(201);
      expect(writes()[0]?.[0]?.Put?.Item?.sealConfirmed).toBeUndefined();
    });
  });

  describe('upload attempts (policy: 5 per allowed file, an admin may reset them)', () => {
    const form = { fileName: 'form.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096 };
    const ids = (n: number, letter: string) => Array.from({ length: n }, (_, i) => `01JB00000000000000000${letter}${String(i).padStart(4, '0')}`);
    const arrived = (status: string) => ({ status, lastSequencer: '0000000000000000000000000000000000000001', createdAt: new Date(NOW - 86_400_000).toISOString() });

    it('does not count upload requests never completed: abandoned grants and files withdrawn before any upload (Art.3(1), at most 1 file, 5 attempts)', async () => {
      for (const id of ids(6, 'A')) await table.put(evidenceItem('application-form', id, { status: 'pending', uploadExpiresAt: new Date(NOW - 3_600_000).toISOString() }));
      for (const id of ids(6, 'B')) await table.put(evidenceItem('application-form', id, { status: 'withdrawn' }));
      const result = await request('application-form', form);
      expect(result.statusCode).toBe(201);
    });

    it('refuses the sixth upload that arrived (invalid or later withdrawn) with 409, naming the limit and the reset', async () => {
      for (const id of ids(3, 'C')) await table.put(evidenceItem('application-form', id, arrived('invalid')));
      for (const id of ids(2, 'D')) await table.put(evidenceItem('application-form', id, arrived('withdrawn')));
      const result = await request('application-form', form);
      expect(result.statusCode).toBe(409);
      const body = bodyOf<{ code: string; message: { zh: string; en: string } }>(result);
      expect(body.code).toBe('EVIDENCE_ATTEMPTS_EXCEEDED');
      expect(body.message.zh).toContain('最多上传 5 次');
      expect(body.message.en).toContain('at most 5 uploads');
      expect(body.message.en).toContain('reset');
      expect(writes()).toHaveLength(0);
    });

    it('lets the college upload again after an admin reset the kind’s attempts', async () => {
      for (const id of ids(5, 'E')) await table.put(evidenceItem('application-form', id, arrived('invalid')));
      await table.put({ pk: `APP#${APP_ID}`, sk: 'EVIDENCE-RESET#application-form', type: 'evidence-reset', applicationId: APP_ID, kind: 'application-form', resetAt: new Date(NOW - 60_000).toISOString(), resetBy: 'admin-sub', reason: 'scanner broke' });
      const result = await request('application-form', form);
      expect(result.statusCode).toBe(201);
    });

    it('names the limit and the declared size when a file is too large (Art.3(3))', async () => {
      const result = await request('venue-photo', { fileName: 'room.jpg', contentType: 'image/jpeg', size: 16 * MB, tags: ['exam-room'] });
      expect(bodyOf(result)).toMatchObject({ message: { zh: expect.stringContaining('15 MB（此文件 16 MB）'), en: expect.stringContaining('15 MB (this one is 16 MB)') } });
    });
  });

  describe('site-visit photos (Art.4)', () => {
    const photo = { fileName: 'visit.jpg', contentType: 'image/jpeg', size: 2 * MB };

    it('lets the reviewer assigned to the pending site visit upload them', async () => {
      await table.put(application('SITE_VISIT'));
      await table.put(siteVisitTask(VISITOR));
      const result = await request('site-visit-photo', photo, { sub: VISITOR, groups: ['reviewer'] });
      expect(result.statusCode).toBe(201);
    });

    it('refuses another reviewer with 403', async () => {
      await table.put(application('SITE_VISIT'));
      await table.put(siteVisitTask(VISITOR));
      const result = await request('site-visit-photo', photo, { sub: REVIEWER, groups: ['reviewer'] });
      expect(result.statusCode).toBe(403);
      expect(bodyOf(result)).toMatchObject({ code: 'NOT_ASSIGNED_VISITOR' });
    });

    it('refuses the applicant with 403: the photos are the organisation’s record', async () => {
      await table.put(application('SITE_VISIT'));
      const result = await request('site-visit-photo', photo);
      expect(result.statusCode).toBe(403);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retried request with a grant for the same item, writing it once', async () => {
      const headers = { 'idempotency-key': 'upload-key-0001' };
      const first = bodyOf<{ itemId: string; expiresAt: string }>(await request('policies', { fileName: 'r.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096 }, undefined, headers));
      const stored = writes()[0] ?? [];
      for (const put of stored) await table.put(put.Put?.Item ?? {});
      const second = bodyOf<{ itemId: string; expiresAt: string }>(await request('policies', { fileName: 'r.pdf', contentType: 'application/pdf', sealConfirmed: true, size: 4096 }, undefined, headers));
      expect(second.itemId).toBe(first.itemId);
      expect(second.expiresAt <= first.expiresAt).toBe(true);
      expect(writes()).toHaveLength(1);
    });
  });
  describe("the site's later life (Art.20, Art.21, Art.23)", () => {
    const SITE_ID = '01JSITE00000000000000000S1';
    const site = (status: SiteRecord['status']): SiteRecord => ({
      siteId: SITE_ID,
      certificateNumber: 'CBEC-350000-2025-0000S1',
      status,
      version: 1,
      institutionId: CREDIT_CODE,
      institutionName: '厦门示例职业技术学院',
      provinceCode: '350000',
      cityCode: '350200',
      applicationId: APP_ID,
      activatedAt: '2025-02-01T00:00:00.000Z',
      lastExamAt: null,
      inactivitySince: '2025-02-01T00:00:00.000Z',
      nextMilestoneAt: '2026-11-01T00:00:00.000Z',
      createdAt: '2025-02-01T00:00:00.000Z',
      updatedAt: '2025-02-01T00:00:00.000Z',
    });
    const pdf = { fileName: '整改说明.pdf', contentType: 'application/pdf', size: 4096 };
    const ADMIN = { sub: 'admin-sub-1', groups: ['admin'] };

    beforeEach(async () => {
      await table.put(application('APPROVED', { siteId: SITE_ID }), siteItem(site('ACTIVE')));
    });

    it('grants a site document to a member of the site while ACTIVE or SUSPENDED, under the application prefix, with no seal asked (Art.20, Art.21, Art.23)', async () => {
      const active = await request('site-document', pdf);
      expect(active.statusCode).toBe(201);
      expect(bodyOf<{ upload: { fields: Record<string, string> } }>(active).upload.fields.key).toMatch(new RegExp(`^applications/${APP_ID}/site-document/[0-9A-Z]{26}$`));
      await table.put(siteItem(site('SUSPENDED')));
      expect((await request('site-document', { ...pdf, contentType: 'image/png' })).statusCode).toBe(201);
    });

    it('refuses a site document before approval (SITE_NOT_ACCREDITED) and once the site is WITHDRAWN or REVOKED (SITE_DOCUMENTS_CLOSED), in both languages', async () => {
      await table.put(application('DRAFT'));
      expect(bodyOf(await request('site-document', pdf))).toMatchObject({ code: 'SITE_NOT_ACCREDITED', article: 'Art.4' });
      await table.put(application('APPROVED', { siteId: SITE_ID }), siteItem(site('WITHDRAWN')));
      const withdrawn = await request('site-document', pdf);
      expect(withdrawn.statusCode).toBe(409);
      expect(bodyOf(withdrawn)).toMatchObject({ code: 'SITE_DOCUMENTS_CLOSED', article: 'Art.22', message: { zh: expect.stringContaining('WITHDRAWN'), en: expect.stringContaining('WITHDRAWN') } });
      await table.put(siteItem(site('REVOKED')));
      expect(bodyOf(await request('site-document', pdf))).toMatchObject({ code: 'SITE_DOCUMENTS_CLOSED', article: 'Art.23' });
      expect(writes()).toHaveLength(0);
    });

    it('answers 404 to another institution and 403 to staff: only the site uploads its documents', async () => {
      expect((await request('site-document', pdf, { sub: OTHER_APPLICANT, groups: ['applicant'] })).statusCode).toBe(404);
      expect((await request('site-document', pdf, { sub: REVIEWER, groups: ['reviewer'] })).statusCode).toBe(403);
      expect((await request('site-document', pdf, ADMIN)).statusCode).toBe(403);
      expect(writes()).toHaveLength(0);
    });

    it('grants case evidence to an admin only, while the site is not REVOKED or WITHDRAWN (Art.23)', async () => {
      expect((await request('case-evidence', pdf, ADMIN)).statusCode).toBe(201);
      expect((await request('case-evidence', pdf)).statusCode).toBe(403);
      expect((await request('case-evidence', pdf, { sub: REVIEWER, groups: ['reviewer'] })).statusCode).toBe(403);
      await table.put(siteItem(site('REVOKED')));
      expect(bodyOf(await request('case-evidence', pdf, ADMIN))).toMatchObject({ code: 'SITE_DOCUMENTS_CLOSED' });
    });

    it('leaves the application kinds closed after approval (APPLICATION_NOT_EDITABLE)', async () => {
      expect(bodyOf(await request('policies', { ...pdf, sealConfirmed: true }))).toMatchObject({ code: 'APPLICATION_NOT_EDITABLE' });
    });
  });
});

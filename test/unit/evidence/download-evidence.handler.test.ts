import { S3Client } from '@aws-sdk/client-s3';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, OTHER_APPLICANT, OTHER_CREDIT_CODE, REVIEWER, application, evidenceItem, membership } from './fixtures.ts';
import { bodyOf, httpEvent, lambdaContext, setEvidenceEnv } from './helpers.ts';
import { useTestTable } from '../../support/table.ts';

setEvidenceEnv();
const { handler } = await import('../../../functions/handlers/download-evidence.handler.ts');

const table = useTestTable();
const s3 = mockClient(S3Client);
const NOW = Date.parse('2025-03-02T09:30:00.000Z');
const ITEM = '01JB0000000000000000000T0A';

function download(who: { sub: string; groups: string[] }, itemId = ITEM) {
  return handler(httpEvent({ ...who, pathParameters: { applicationId: APP_ID, itemId }, requestId: 'req-download-1' }), lambdaContext);
}

describe('download-evidence handler', () => {
  beforeAll(() => installTimeSource({ now: () => NOW }));
  afterAll(() => installTimeSource(undefined));

  beforeEach(async () => {
    s3.reset();
    resetConfigCache();
    await table.put(application('UNDER_REVIEW'));
    await table.put(membership(APPLICANT, CREDIT_CODE));
    await table.put(membership(OTHER_APPLICANT, OTHER_CREDIT_CODE));
    await table.put(
      evidenceItem('manager-id-copy', ITEM, {
        status: 'valid',
        validatedVersionId: 'ver-validated-1',
        detectedType: 'image/png',
        fileName: '负责人身份证.png',
      }),
    );
  });

  it('gives a reviewer a 120 s presigned GET of the validated version only, as an attachment, and audits it (Art.3(2))', async () => {
    const result = await download({ sub: REVIEWER, groups: ['reviewer'] });
    expect(result.statusCode).toBe(200);
    const body = bodyOf<{ url: string; expiresAt: string }>(result);
    const url = new URL(body.url);
    expect(url.pathname).toContain(`applications/${APP_ID}/manager-id-copy/${ITEM}`);
    expect(url.searchParams.get('versionId')).toBe('ver-validated-1');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(url.searchParams.get('response-content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('负责人身份证.png')}`);
    expect(url.searchParams.get('response-content-type')).toBe('image/png');
    expect(body.expiresAt).toBe(new Date(NOW + 120_000).toISOString());

    const audit = table.sent(PutCommand).map((c) => c.Item)[0];
    expect(audit).toMatchObject({
      pk: `APP#${APP_ID}`,
      action: 'evidence-downloaded',
      actor: { kind: 'user', id: REVIEWER, role: 'reviewer' },
      details: { itemId: ITEM, kind: 'manager-id-copy', versionId: 'ver-validated-1' },
    });
    expect(String(audit?.sk)).toContain('evidence-download#req-download-1');
    expect(JSON.stringify(audit)).not.toContain('X-Amz-Signature');
  });

  it('lets the applicant download its own institution’s file, audited as the applicant', async () => {
    const result = await download({ sub: APPLICANT, groups: ['applicant'] });
    expect(result.statusCode).toBe(200);
    expect(table.sent(PutCommand)[0]?.Item).toMatchObject({ actor: { id: APPLICANT, role: 'applicant' } });
  });

  it('refuses a file still pending validation with 409 and writes no audit (Art.3)', async () => {
    await table.put(evidenceItem('manager-id-copy', ITEM, { status: 'pending' }));
    const result = await download({ sub: REVIEWER, groups: ['reviewer'] });
    expect(result.statusCode).toBe(409);
    expect(bodyOf(result)).toMatchObject({ code: 'EVIDENCE_NOT_VALIDATED' });
    expect(table.sent(PutCommand)).toHaveLength(0);
  });

  it('refuses an invalid (quarantined) file with 409', async () => {
    await table.put(evidenceItem('manager-id-copy', ITEM, { status: 'invalid', validatedVersionId: 'v-bad' }));
    const result = await download({ sub: REVIEWER, groups: ['reviewer'] });
    expect(bodyOf(result)).toMatchObject({ code: 'EVIDENCE_INVALID' });
  });

  it('still serves a file a reviewer marked not stamped: its bytes passed validation, the reviewer and the applicant may read them (Art.3)', async () => {
    await table.put(
      evidenceItem('manager-id-copy', ITEM, {
        status: 'invalid',
        validatedVersionId: 'ver-validated-1',
        detectedType: 'image/png',
        reviewMarks: { marks: ['not-stamped'], by: REVIEWER, at: '2025-03-02T09:00:00.000Z' },
      }),
    );
    expect((await download({ sub: REVIEWER, groups: ['reviewer'] })).statusCode).toBe(200);
    expect((await download({ sub: APPLICANT, groups: ['applicant'] })).statusCode).toBe(200);
  });

  it('answers 404 to an applicant of another institution', async () => {
    const result = await download({ sub: OTHER_APPLICANT, groups: ['applicant'] });
    expect(result.statusCode).toBe(404);
    expect(table.sent(PutCommand)).toHaveLength(0);
  });

  it('refuses an item id that the server could not have made with 400', async () => {
    const result = await download({ sub: REVIEWER, groups: ['reviewer'] }, '..%2F..%2Fsecret');
    expect(result.statusCode).toBe(400);
  });
});

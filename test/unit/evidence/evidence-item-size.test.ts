import { describe, expect, it } from 'vitest';
import { createEvidenceItem, getEvidenceItem, markEvidenceSettled, recordEvidenceValidation, type EvidenceRecord } from '../../../functions/adapters/stores/evidence.ts';
import { normaliseSequencer } from '../../../functions/domain/evidence-keys.ts';
import { dynamoItemSize } from '../../../functions/adapters/stores/item-size.ts';
import { useTestTable } from '../../support/table.ts';
import { APP_ID, APPLICANT, CREDIT_CODE } from './fixtures.ts';

/**
 * An evidence item is rewritten at each validation and when its side effects
 * are done: under 1 KB a rewrite costs one write unit, at 1 KB or more two.
 * With a long Chinese file name and every field a validation sets, the
 * stored item stays under 1 KB: the usual object key and empty lists are
 * not stored, and the store gives them back on read.
 */
describe('evidence item size', () => {
  const table = useTestTable();
  const ITEM = '01JB0000000000000000000T0A';
  const record: EvidenceRecord = {
    applicationId: APP_ID,
    kind: 'manager-id-copy',
    itemId: ITEM,
    creditCode: CREDIT_CODE,
    status: 'pending',
    version: 0,
    objectKey: `applications/${APP_ID}/manager-id-copy/${ITEM}`,
    declaredContentType: 'application/pdf',
    declaredSize: 4_718_592,
    fileName: '广东省示例职业技术学院考核站点负责人居民身份证复印件（正反面，加盖学校公章）.pdf',
    tags: [],
    uploaderSub: '2f0c6a2e-8a51-4f4e-9d7c-3b1f6c2d9e10',
    createdAt: '2026-12-02T14:27:58.589Z',
    uploadExpiresAt: '2026-12-02T14:37:58.572Z',
    sealConfirmed: true,
  };
  const audit = { key: { at: record.createdAt, key: `evidence-upload#${ITEM}` }, event: { actor: { kind: 'user' as const, id: APPLICANT }, action: 'evidence-upload-requested', article: 'Art.3' } };

  it('stays under 1,024 bytes by DynamoDB’s rules when validated and settled, and reads back whole', async () => {
    await createEvidenceItem(record, audit);
    const sequencer = normaliseSequencer('0055AED6DCD90281E5')!;
    const set = {
      status: 'valid',
      validatedVersionId: 'Y7k2mQ9xT3pL0vB8nR4sW6dF1hJ5cZ.e',
      size: 4_718_592,
      reasons: [],
      reasonCodes: [],
      duplicateOf: [],
      uploadedAt: '2026-12-02T14:28:03Z',
      validatedAt: '2026-12-02T14:28:03.412Z',
      detectedType: 'application/pdf',
      sha256: 'c9b95756d45e79a85b434553a55ddf071d006dbcd1f886de744ac4179f2c74eb',
    };
    expect(await recordEvidenceValidation({ item: record, sequencer, set, remove: ['expiresAt'], from: 'pending' }, CREDIT_CODE)).toBe(true);
    const recorded = (await getEvidenceItem(APP_ID, record.kind, ITEM))!;
    expect(await markEvidenceSettled(recorded, sequencer, 'Art.3(1)')).toBe(true);

    const stored = (await table.get(`APP#${APP_ID}`, `EVIDENCE#manager-id-copy#${ITEM}`))!;
    expect(stored).toMatchObject({ status: 'valid', settled: true, gsi3pk: `SHA#${set.sha256}` });
    expect(stored).not.toHaveProperty('objectKey');
    expect(stored).not.toHaveProperty('reasons');
    expect(dynamoItemSize(stored)).toBeLessThan(1024);

    const read = await getEvidenceItem(APP_ID, record.kind, ITEM);
    expect(read).toMatchObject({ objectKey: record.objectKey, tags: [], status: 'valid', sha256: set.sha256 });
  });

  it('keeps an object key that is not the usual one', async () => {
    const other = { ...record, itemId: '01JB0000000000000000000T0B', objectKey: 'elsewhere/some/key' };
    await createEvidenceItem(other, { ...audit, key: { ...audit.key, key: 'evidence-upload#other' } });
    expect((await table.get(`APP#${APP_ID}`, `EVIDENCE#manager-id-copy#${other.itemId}`))?.objectKey).toBe('elsewhere/some/key');
    expect((await getEvidenceItem(APP_ID, record.kind, other.itemId))?.objectKey).toBe('elsewhere/some/key');
  });
});

import { describe, expect, it } from 'vitest';
import { putItem, putNewOp, runTransaction, updateOp, writeTally, writeTallyByKind } from '../../../functions/adapters/stores/table.ts';
import { useTestTable } from '../../support/table.ts';

/**
 * The bench traces write units to the writes that spend them: the table
 * kernel tallies DynamoDB's own ConsumedCapacity by kind of write (the
 * operation and the kinds of item), the part spent on index entries, and
 * the units by AWS's billing rules where DynamoDB Local reports otherwise.
 */
describe('write units by kind of write', () => {
  useTestTable();
  const since = (kind: string, before: ReturnType<typeof writeTallyByKind>) => {
    const now = writeTallyByKind()[kind];
    const then = before[kind];
    return { units: (now?.units ?? 0) - (then?.units ?? 0), billed: (now?.billed ?? 0) - (then?.billed ?? 0), indexes: (now?.indexes ?? 0) - (then?.indexes ?? 0) };
  };

  it('names a transaction by its items’ kinds; bills it at two units per started KB of each item, as AWS does', async () => {
    const before = writeTallyByKind();
    const total = writeTally();
    await putItem({ pk: 'T#0', sk: 'S', type: 'status', n: 1 });
    const afterPut = writeTallyByKind();
    await runTransaction([
      putNewOp({ pk: 'T#1', sk: 'A', type: 'alpha' }),
      putNewOp({ pk: 'T#1', sk: 'B', type: 'beta', body: 'x'.repeat(1500) }),
      updateOp({ pk: 'T#0', sk: 'S' }, { set: { n: 2 } }, { expression: 'attribute_exists(pk)' }),
    ]);
    const t = since('TransactWriteItems alpha+beta+S', afterPut);
    // AWS: alpha 2, beta (1.5 KB) 4, the status update 2. DynamoDB Local reports the transaction as one lump.
    expect(t.billed).toBe(8);
    expect(t.units).toBeGreaterThan(0);
    expect(t.units).toBeLessThan(t.billed);
    expect(since('PutItem status', before)).toEqual({ units: 1, billed: 1, indexes: 0 });
    const now = writeTally();
    expect(now.billed - total.billed).toBe(9);
    expect(now.items - total.items).toBe(4);
    expect(now.requests - total.requests).toBe(2);
  });

  it('counts index entries apart, under the same kind', async () => {
    const before = writeTallyByKind();
    await putItem({ pk: 'T#3', sk: 'A', type: 'listed', gsi1pk: 'L#1', gsi1sk: 'x', gsi2pk: 'L#2', gsi2sk: 'y' });
    expect(since('PutItem listed', before)).toEqual({ units: 3, billed: 3, indexes: 2 });
  });

  it('takes the answer of DynamoDB as the bill when no emulator endpoint is set (a deployed function sizes nothing)', async () => {
    const endpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
    delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    try {
      const before = writeTallyByKind();
      await runTransaction([putNewOp({ pk: 'T#4', sk: 'A', type: 'gamma' }), putNewOp({ pk: 'T#4', sk: 'B', type: 'delta' })]);
      const t = since('TransactWriteItems gamma+delta', before);
      expect(t.units).toBeGreaterThan(0);
      expect(t.billed).toBe(t.units);
    } finally {
      process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoint;
    }
  });
});

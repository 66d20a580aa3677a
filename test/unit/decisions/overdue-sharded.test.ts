import { describe, expect, it } from 'vitest';
import { decisionItem, overdueDecisions } from '../../../functions/adapters/stores/decisions.ts';
import { shardOf } from '../../../functions/adapters/stores/table.ts';
import type { DecisionRecord } from '../../../schemas/records/decision.record.ts';
import { useTestTable } from '../../support/table.ts';

/**
 * Pending decision tasks are listed in a sharded index partition: a national
 * campaign's close opens an assessment task per site at once, more than one
 * partition key takes. The overdue list reads every shard, by deadline.
 */
describe('overdue decision tasks across the shards of the pending list', () => {
  const table = useTestTable();

  it('spreads pending tasks over the shards and lists the overdue ones by deadline, past one page of 200', async () => {
    const tasks: DecisionRecord[] = Array.from({ length: 230 }, (_, i) => ({
      decisionId: `D${String(i).padStart(4, '0')}`,
      kind: 'assessment',
      applicationId: `A${i}`,
      institutionId: '12440100455861238H',
      institutionName: '学院',
      assigneeSub: `reviewer-${i % 3}`,
      status: 'pending',
      createdAt: '2027-01-01T00:00:00.000Z',
      // 220 overdue at 2027-02-01, in deadline order D0000…; 10 not yet.
      deadline: new Date(Date.parse('2027-01-10T00:00:00.000Z') + (i < 220 ? i * 60_000 : 40 * 86_400_000)).toISOString(),
      stepKey: `exec-${i}#Assess`,
    }) as DecisionRecord);
    await table.put(...tasks.map(decisionItem));
    expect(new Set(tasks.map((t) => shardOf(t.decisionId))).size).toBeGreaterThan(5);
    expect(new Set(tasks.map(decisionItem).map((i) => i.gsi2pk)).size).toBeGreaterThan(5);

    const overdue = await overdueDecisions('2027-02-01T00:00:00.000Z', 210);
    expect(overdue.count).toBe(220);
    expect(overdue.items.map((t) => t.decisionId)).toEqual(tasks.slice(0, 210).map((t) => t.decisionId));
  });
});

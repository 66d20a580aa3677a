import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { decisionItem } from '../../../functions/adapters/stores/decisions.ts';
import { putStaffUnlessMember } from '../../../functions/adapters/stores/staff.ts';
import { LOAD_CAP, leastLoadedReviewer } from '../../../functions/use-cases/decisions/assignment.ts';
import type { DecisionRecord } from '../../../schemas/records/decision.record.ts';
import { useTestTable } from '../../support/table.ts';

/**
 * Who gets a new review task: the least-loaded active reviewer, counted up
 * to LOAD_CAP open tasks each. A campaign's deadline opens one assessment
 * per site at once; counting every open task of every reviewer for each new
 * one made opening n tasks cost n² index reads (10,000 sites did not finish
 * their close in 20 minutes here).
 */
describe('choosing the reviewer of a new task', () => {
  const table = useTestTable();
  const reviewers = ['rev-a', 'rev-b', 'rev-c'];

  async function seedReviewers(): Promise<void> {
    for (const sub of reviewers) {
      await putStaffUnlessMember({ sub, name: sub, email: `${sub}@org.example`, role: 'reviewer', active: true, updatedAt: '2027-01-01T00:00:00.000Z', updatedBy: 'admin' });
    }
  }

  function openTasks(assigneeSub: string, count: number): DecisionRecord[] {
    return Array.from({ length: count }, (_, i) => ({
      decisionId: `${assigneeSub}-D${String(i).padStart(4, '0')}`,
      kind: 'assessment',
      applicationId: `A-${assigneeSub}-${i}`,
      institutionId: '12440100455861238H',
      institutionName: '学院',
      assigneeSub,
      excludedSub: null,
      status: 'pending',
      createdAt: '2027-01-01T00:00:00.000Z',
      deadline: '2027-01-11T00:00:00.000Z',
      stepKey: `exec-${assigneeSub}-${i}#Assess`,
    }) as DecisionRecord);
  }

  it('gives the task to the reviewer with the fewest open tasks, earliest sub on a tie, never an excluded one', async () => {
    await seedReviewers();
    await table.put(...[...openTasks('rev-a', 3), ...openTasks('rev-b', 1), ...openTasks('rev-c', 1)].map(decisionItem));
    expect((await leastLoadedReviewer('assessment', [], 'step-1')).sub).toBe('rev-b');
    expect((await leastLoadedReviewer('assessment', ['rev-b'], 'step-1')).sub).toBe('rev-c');
  });

  it('stops counting at the cap, so the reads stay bounded however many tasks are open', async () => {
    await seedReviewers();
    await table.put(...[...openTasks('rev-a', LOAD_CAP + 40), ...openTasks('rev-b', LOAD_CAP + 5), ...openTasks('rev-c', LOAD_CAP - 1)].map(decisionItem));
    expect((await leastLoadedReviewer('assessment', [], 'step-1')).sub).toBe('rev-c');
    const counts = table.sent(QueryCommand).filter((q) => q.Select === 'COUNT');
    expect(counts).toHaveLength(3);
    expect(counts.every((q) => q.Limit !== undefined && q.Limit <= LOAD_CAP)).toBe(true);
  });

  it('spreads tasks over fully loaded reviewers by the step key, the same reviewer for the same step', async () => {
    await seedReviewers();
    await table.put(...reviewers.flatMap((sub) => openTasks(sub, LOAD_CAP + 2)).map(decisionItem));
    const chosen = await Promise.all(Array.from({ length: 60 }, (_, i) => leastLoadedReviewer('assessment', [], `assess-campaign-site-${i}#RequestAssessment`)));
    const perReviewer = new Map<string, number>();
    for (const r of chosen) perReviewer.set(r.sub, (perReviewer.get(r.sub) ?? 0) + 1);
    // All three take a share (a fixed choice would give one reviewer all 60).
    expect([...perReviewer.keys()].sort()).toEqual(reviewers);
    expect(Math.min(...perReviewer.values())).toBeGreaterThanOrEqual(10);
    expect((await leastLoadedReviewer('assessment', [], 'assess-campaign-site-7#RequestAssessment')).sub).toBe(chosen[7]!.sub);
  });
});

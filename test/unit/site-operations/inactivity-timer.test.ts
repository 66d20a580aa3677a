import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteOneTimeSchedule, putOneTimeSchedule } from '../../../functions/adapters/schedules.ts';
import { getSite } from '../../../functions/adapters/stores/sites.ts';
import { queryAll } from '../../../functions/adapters/stores/table.ts';
import { milestoneExecutionName } from '../../../functions/domain/site-operations/inactivity.ts';
import { armInactivityTimer, disarmInactivityTimer, reconcileSiteTimers, scheduleNameOf } from '../../../functions/use-cases/site-operations/inactivity-timer.ts';
import type { LocalStack } from '../../../local/stack.ts';
import { seedMember, seedSite, setSiteStatus, startSiteOperationsStack } from '../../support/site-operations.ts';

/**
 * The two-year timer (Art.23(1)) end to end on the virtual clock: the site's
 * one-time schedule in the Scheduler emulator fires into the local Step
 * Functions engine, which runs workflows/site-milestone with the real task
 * function against DynamoDB Local; warnings go through the mail queue to the
 * SES outbox. Stale, early, duplicate and late fires, a suspended site, and
 * drift repaired by the daily reconciliation.
 */
const START = '2027-06-01T00:00:00.000Z';
const DAY = 86_400_000;
const GROUP = 'exam-site-local';
const at = (days: number) => new Date(Date.parse(START) + days * DAY).toISOString();

let stack: LocalStack;
let sequence = 0;

/** A fresh ACTIVE site of its own institution, activated at START (or `activatedAt`), with its schedule armed. */
async function newSite(activatedAt: string = START): Promise<{ siteId: string; email: string }> {
  sequence += 1;
  const siteId = `01JTIMER${String(sequence).padStart(18, '0')}`;
  const creditCode = `124401004558612${String(sequence).padStart(2, '0')}X`;
  const sub = `timer-member-${sequence}`;
  await seedMember(sub, creditCode);
  await seedSite(siteId, creditCode, activatedAt);
  await armInactivityTimer(siteId);
  return { siteId, email: `${sub}@example.cn` };
}

const warningsTo = (email: string) => stack.ses.messages().filter((m) => m.to.includes(email) && m.subject.includes('Exam site: revocation for inactivity'));
const milestoneRuns = (siteId: string) =>
  stack.engine
    .listExecutions(stack.engine.stateMachineArn('site-milestone'))
    .filter((e) => e.input.includes(siteId))
    .sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
const schedule = (siteId: string) => stack.scheduler.listSchedules({ groupName: GROUP, namePrefix: scheduleNameOf(siteId) })[0];
async function advanceTo(iso: string): Promise<void> {
  await stack.advance(Math.max(0, Date.parse(iso) - stack.clock.now()));
}
async function fire(siteId: string, milestone: { kind: string; at: string }, name: string): Promise<void> {
  stack.engine.startExecution({ stateMachineArn: stack.engine.stateMachineArn('site-milestone'), name, input: JSON.stringify({ siteId, milestone }) });
  await stack.settle();
}

beforeAll(async () => {
  stack = await startSiteOperationsStack(750, 'inactivity-timer', { startAt: START });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('a site that never holds a session', () => {
  it('is warned at T-90 and T-30, once each, and handed to revocation at the deadline (Art.23(1))', async () => {
    const { siteId, email } = await newSite();
    expect(schedule(siteId)).toMatchObject({ ScheduleExpression: `at(${at(640).slice(0, 19)})`, ActionAfterCompletion: 'NONE' });

    await advanceTo(at(639));
    expect(warningsTo(email)).toHaveLength(0);
    await advanceTo(at(641));
    const [warn90] = warningsTo(email);
    expect(warn90?.subject).toContain('剩余 90 天');
    expect(warn90?.text).toContain('第二十三条第一款');
    expect(warn90?.text.indexOf('两年')).toBeLessThan(warn90!.text.indexOf('Art.23(1)'));
    expect(await getSite(siteId)).toMatchObject({ warnedMilestones: ['warn-90'], nextMilestoneKind: 'warn-30', nextMilestoneAt: at(700) });
    expect(schedule(siteId)?.ScheduleExpression).toBe(`at(${at(700).slice(0, 19)})`);

    await advanceTo(at(701));
    expect(warningsTo(email).map((m) => m.subject)).toEqual([expect.stringContaining('剩余 90 天'), expect.stringContaining('剩余 30 天')]);
    expect(await getSite(siteId)).toMatchObject({ warnedMilestones: ['warn-90', 'warn-30'], nextMilestoneKind: 'revoke', nextMilestoneAt: at(730) });

    await advanceTo(at(731));
    const runs = milestoneRuns(siteId);
    expect(runs.map((r) => r.name)).toEqual([
      milestoneExecutionName(siteId, { kind: 'warn-90', at: at(640) }),
      milestoneExecutionName(siteId, { kind: 'warn-30', at: at(700) }),
      milestoneExecutionName(siteId, { kind: 'revoke', at: at(730) }),
    ]);
    // The revoke fire reached startRevocation (the stub until the revocation branch lands fails loudly; the real one opens the case).
    const revokeRun = runs[2]!;
    const history = JSON.stringify(stack.engine.getExecutionHistory(revokeRun.executionArn));
    const reached = history.includes('startRevocation(inactivity)') || stack.engine.listStateMachines().some((m) => m.name.endsWith('site-revocation') && stack.engine.listExecutions(m.stateMachineArn).length > 0);
    expect(reached).toBe(true);
    expect(history).toContain('"StartRevocation"');
    // Two warnings, no more, whatever fired.
    expect(warningsTo(email)).toHaveLength(2);
    // The audit trail names the warnings and the article.
    const audit = await queryAll({ pk: `SITE#${siteId}`, skPrefix: 'AUDIT#' });
    expect(audit.filter((a) => a.action === 'inactivity-warning').map((a) => [a.article, (a.details as { milestone: string }).milestone])).toEqual([
      ['Art.23(1)', 'warn-90'],
      ['Art.23(1)', 'warn-30'],
    ]);
  }, 120_000);
});

describe('fires that must do nothing more', () => {
  it('a duplicate fire of the same schedule starts nothing new; a second fire of a milestone already acted on sends nothing', async () => {
    // Activated now (the clock is past the first site's two years), so it is still ACTIVE when its warn-90 fires.
    const activatedAt = new Date(stack.clock.now()).toISOString();
    const { siteId, email } = await newSite(activatedAt);
    const warn90 = { kind: 'warn-90' as const, at: new Date(Date.parse(activatedAt) + 640 * DAY).toISOString() };
    await advanceTo(new Date(Date.parse(activatedAt) + 641 * DAY).toISOString());
    expect(warningsTo(email)).toHaveLength(1);
    const name = milestoneExecutionName(siteId, warn90);
    expect(() => stack.engine.startExecution({ stateMachineArn: stack.engine.stateMachineArn('site-milestone'), name, input: JSON.stringify({ siteId, milestone: warn90 }) })).toThrow(/Already Exists/);
    await fire(siteId, warn90, `${name}-again`);
    const again = milestoneRuns(siteId).find((r) => r.name === `${name}-again`)!;
    expect(again.status).toBe('SUCCEEDED');
    expect(JSON.stringify(stack.engine.getExecutionHistory(again.executionArn))).toContain('IgnoreDuplicate');
    expect(warningsTo(email)).toHaveLength(1);
  }, 120_000);
});

describe('stale, early and paused fires re-arm only', () => {
  it('after a held session re-anchored the period, the old warning is stale: it re-arms the new milestone and mails nothing', async () => {
    const { siteId, email } = await newSite();
    const now = new Date(stack.clock.now()).toISOString();
    const old = { kind: 'warn-90', at: at(640) };
    // A session held now starts a new period (what record-held writes, in its transaction).
    const site = (await getSite(siteId))!;
    const { updateSiteTimer } = await import('../../../functions/adapters/stores/sites.ts');
    const { timerUpdateOf } = await import('../../../functions/use-cases/site-operations/inactivity-timer.ts');
    await updateSiteTimer(site, { ...timerUpdateOf({ anchorAt: now, suspendedMs: 0, warned: [] }), lastExamAt: now });
    await fire(siteId, old, 'stale-fire-test');
    const run = milestoneRuns(siteId).find((r) => r.name === 'stale-fire-test')!;
    expect(JSON.stringify(stack.engine.getExecutionHistory(run.executionArn))).toContain('RearmTimer');
    const expected = new Date(Date.parse(now) + 640 * DAY);
    expect(schedule(siteId)?.ScheduleExpression).toBe(`at(${new Date(Math.ceil(expected.getTime() / 1000) * 1000).toISOString().slice(0, 19)})`);
    expect(warningsTo(email)).toHaveLength(0);
  }, 60_000);

  it('an early fire (before its milestone) re-arms for the real time and mails nothing', async () => {
    const { siteId, email } = await newSite();
    const site = (await getSite(siteId))!;
    // This site's period started long ago (START): put it back to a fresh period that ends in the future.
    const now = new Date(stack.clock.now()).toISOString();
    const { updateSiteTimer } = await import('../../../functions/adapters/stores/sites.ts');
    const { timerUpdateOf } = await import('../../../functions/use-cases/site-operations/inactivity-timer.ts');
    await updateSiteTimer(site, timerUpdateOf({ anchorAt: now, suspendedMs: 0, warned: [] }));
    const fresh = (await getSite(siteId))!;
    expect(Date.parse(fresh.nextMilestoneAt)).toBeGreaterThan(stack.clock.now());
    await fire(siteId, { kind: 'warn-90', at: fresh.nextMilestoneAt }, 'early-fire-test');
    const run = milestoneRuns(siteId).find((r) => r.name === 'early-fire-test')!;
    expect(JSON.stringify(stack.engine.getExecutionHistory(run.executionArn))).toContain('RearmTimer');
    expect(warningsTo(email)).toHaveLength(0);
  }, 60_000);

  it('a fire for a SUSPENDED site (the timer is paused, Art.21) removes the schedule; a WITHDRAWN or REVOKED site is disarmed', async () => {
    const { siteId, email } = await newSite();
    await setSiteStatus(siteId, 'SUSPENDED', { suspendedSince: new Date(stack.clock.now()).toISOString() });
    await fire(siteId, { kind: 'warn-90', at: at(640) }, 'paused-fire-test');
    expect(schedule(siteId)).toBeUndefined();
    expect(warningsTo(email)).toHaveLength(0);
    const other = await newSite();
    expect(schedule(other.siteId)).toBeDefined();
    await disarmInactivityTimer(other.siteId);
    expect(schedule(other.siteId)).toBeUndefined();
    await disarmInactivityTimer(other.siteId);
  }, 60_000);
});

describe('daily reconciliation', () => {
  it('repairs a lost schedule (the late warnings then go out, in order), a stale one and an orphan, and reports each; a consistent site is left alone', async () => {
    const lost = await newSite();
    const stale = await newSite();
    const orphan = await newSite();
    const fine = await newSite();
    // Every site here was activated at START, long past: each is armed for a milestone already due.
    // Drift: one schedule deleted, one pointing at another execution, one left on a suspended site.
    await deleteOneTimeSchedule(scheduleNameOf(lost.siteId));
    await putOneTimeSchedule({ name: scheduleNameOf(stale.siteId), at: at(5000), workflow: 'site-milestone', executionName: 'inactivity-somebody-else', input: { siteId: stale.siteId, milestone: { kind: 'revoke', at: at(5000) } } });
    await setSiteStatus(orphan.siteId, 'SUSPENDED', { suspendedSince: new Date(stack.clock.now()).toISOString() });
    const report = await reconcileSiteTimers({ pageSize: 2 });
    const bySite = new Map(report.repaired.map((r) => [r.siteId, r]));
    expect(bySite.get(lost.siteId)).toMatchObject({ drift: 'missing', armed: { kind: 'warn-90' } });
    expect(bySite.get(stale.siteId)).toMatchObject({ drift: 'stale', armed: { kind: 'warn-90' } });
    expect(bySite.get(orphan.siteId)).toMatchObject({ drift: 'orphan' });
    expect(bySite.has(fine.siteId)).toBe(false);
    expect(report.pages).toBeGreaterThan(1);
    expect(report.checked).toBeGreaterThanOrEqual(4);
    expect(schedule(orphan.siteId)).toBeUndefined();
    // The repaired schedules fire a minute later: the late warnings go out, T-90 then T-30.
    await stack.advance('PT5M');
    expect(warningsTo(lost.email).map((m) => m.subject)).toEqual([expect.stringContaining('剩余 90 天'), expect.stringContaining('剩余 30 天')]);
    expect(warningsTo(stale.email)).toHaveLength(2);
    // A second pass finds nothing more to repair for them.
    const second = await reconcileSiteTimers();
    expect(second.repaired.filter((r) => [lost.siteId, stale.siteId, orphan.siteId, fine.siteId].includes(r.siteId))).toEqual([]);
  }, 120_000);
});

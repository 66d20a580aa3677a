import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteOneTimeSchedule } from '../../functions/adapters/schedules.ts';
import type { DemoInstitution, DemoScenario } from '../../local/demo-scenario.ts';
import { demoInstitutions } from '../../local/demo-scenario.ts';
import type { LocalStack } from '../../local/stack.ts';
import { startSeededStack } from '../support/local-stack.ts';

/**
 * The two-year rule (Art.23(1)) and exam sessions (Art.13–14) through the
 * whole local stack: two sites accredited through the API; site A schedules
 * a session, imports its candidates by CSV and records it held at month 18;
 * site C never holds one. The clock moves on: A is not touched at its old
 * deadline and is warned 90 and 30 days before its new one; C is warned
 * twice and its revoke fire reaches startRevocation. A duplicate fire does
 * nothing more; a schedule lost (drift) is repaired by the daily
 * reconciliation, which runs on the virtual clock as on AWS.
 */
const DAY = 86_400_000;
const { pilot, second } = demoInstitutions();
// Valid GB 11643 numbers.
const IDS = ['11010519491231002X', '440106199003071231'];

interface SiteView {
  siteId: string;
  activatedAt: string;
  status: string;
  lastExamAt: string | null;
  inactiveRevocationAt: string;
}

describe('exam sessions and the two-year rule through the local stack', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  let siteA: SiteView;
  let siteC: SiteView;
  let heldAt: string;

  const warnings = (inst: DemoInstitution) => demo.api.mailTo(inst.user.email).filter((m) => m.subject.includes('Exam site: revocation for inactivity'));
  const runs = (siteId: string) =>
    stack.engine
      .listExecutions(stack.engine.stateMachineArn('site-milestone'))
      .filter((e) => e.input.includes(siteId))
      .sort((a, b) => a.startDate.getTime() - b.startDate.getTime());
  const advanceTo = async (iso: string) => stack.advance(Math.max(0, Date.parse(iso) - stack.clock.now()));
  const dayOf = (site: SiteView, days: number) => new Date(Date.parse(site.activatedAt) + days * DAY).toISOString();

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(530, 'two-year-rule'));
    siteA = await demo.accredit<SiteView>(pilot);
    await demo.onboard(second);
    siteC = await demo.accredit<SiteView>(second);
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('arms one schedule per site at activation, at the T-90 warning', () => {
    for (const site of [siteA, siteC]) {
      const schedule = stack.scheduler.getSchedule(`site-${site.siteId}`, 'exam-site-local');
      expect(Date.parse(/^at\((.*)\)$/.exec(schedule.ScheduleExpression)![1]! + 'Z')).toBe(Math.ceil(Date.parse(dayOf(site, 640)) / 1000) * 1000);
    }
  });

  it('site A schedules a session at month 18, imports its candidates by CSV, and records it held (Art.13–14)', async () => {
    const month18 = dayOf(siteA, 540);
    const session = await demo.api.expect<{ sessionId: string; status: string }>(201, pilot.user.sub, 'POST', `/v1/sites/${siteA.siteId}/sessions`, {
      title: '跨境电商多平台运营（中级）',
      startsAt: month18,
      endsAt: new Date(Date.parse(month18) + 3 * 3_600_000).toISOString(),
      rooms: [await firstRoom(siteA)],
      capacity: 2,
    });
    expect(session.status).toBe('SCHEDULED');
    // Another institution cannot read or write it; a suspended-style refusal is covered in the unit tests.
    expect((await demo.api.call(second.user.sub, 'GET', `/v1/sites/${siteA.siteId}/sessions`)).status).toBe(404);

    const csv = `name,idNumber,category\n张三,${IDS[0]},student\n李四,${IDS[1]},public\n王五,123,student\n`;
    const imported = await demo.api.call<{ registered: Array<{ candidateId: string; idNumberMasked: string }>; rowErrors: Array<{ row: number; code: string }> }>(
      pilot.user.sub,
      'POST',
      `/v1/sites/${siteA.siteId}/sessions/${session.sessionId}/candidates`,
      csv,
      { 'content-type': 'text/csv; charset=utf-8' },
    );
    expect(imported.status).toBe(207);
    expect(imported.body.registered.map((c) => c.idNumberMasked)).toEqual(['110***********002X', '440***********1231']);
    expect(imported.body.rowErrors).toEqual([expect.objectContaining({ row: 3, code: 'ID_NUMBER_INVALID' })]);

    await advanceTo(new Date(Date.parse(month18) + 4 * 3_600_000).toISOString());
    const detail = await demo.api.call<{ candidates: Array<{ candidateId: string }> }>(pilot.user.sub, 'GET', `/v1/sites/${siteA.siteId}/sessions/${session.sessionId}`);
    for (const id of IDS) expect(JSON.stringify(detail.body)).not.toContain(id);
    const held = await demo.api.expect<{ status: string; held: { countsAsHeld: boolean; at: string } }>(200, pilot.user.sub, 'POST', `/v1/sites/${siteA.siteId}/sessions/${session.sessionId}/held`, {
      attendance: detail.body.candidates.map((c, i) => ({ candidateId: c.candidateId, present: i === 0 })),
      incidents: [{ description: '无 / none' }],
    });
    expect(held).toMatchObject({ status: 'HELD', held: { countsAsHeld: true } });
    heldAt = held.held.at;
    const after = await demo.api.expect<SiteView>(200, pilot.user.sub, 'GET', `/v1/sites/${siteA.siteId}`);
    expect(after.lastExamAt).toBe(heldAt);
    expect(after.inactiveRevocationAt).toBe(new Date(Date.parse(heldAt) + 730 * DAY).toISOString());
  }, 120_000);

  it('site C, which never held a session, is warned at T-90 and T-30; A is not warned at its old milestones', async () => {
    await advanceTo(dayOf(siteC, 641));
    expect(warnings(second).map((m) => m.subject)).toEqual([expect.stringContaining('剩余 90 天')]);
    await advanceTo(dayOf(siteC, 701));
    expect(warnings(second).map((m) => m.subject)).toEqual([expect.stringContaining('剩余 90 天'), expect.stringContaining('剩余 30 天')]);
    expect(warnings(pilot)).toEqual([]);
  }, 300_000);

  it("C's revoke fire reaches startRevocation; A is not revoked at its old deadline", async () => {
    await advanceTo(dayOf(siteA, 731));
    await advanceTo(dayOf(siteC, 731));
    const revoke = runs(siteC.siteId).find((r) => r.name.includes('-revoke-'));
    expect(revoke).toBeDefined();
    const history = JSON.stringify(stack.engine.getExecutionHistory(revoke!.executionArn));
    expect(history).toContain('"StartRevocation"');
    const reached = history.includes('startRevocation(inactivity)') || stack.engine.listStateMachines().some((m) => m.name.endsWith('site-revocation') && stack.engine.listExecutions(m.stateMachineArn).length > 0);
    expect(reached).toBe(true);
    expect(runs(siteA.siteId).filter((r) => r.name.includes('-revoke-'))).toEqual([]);
    expect((await demo.api.expect<SiteView>(200, pilot.user.sub, 'GET', `/v1/sites/${siteA.siteId}`)).status).toBe('ACTIVE');
    expect(warnings(pilot)).toEqual([]);
  }, 300_000);

  it('a duplicate fire does nothing more; a lost schedule is repaired by the daily reconciliation and A is warned at T-90 and T-30 of its new deadline', async () => {
    const done = runs(siteC.siteId).find((r) => r.name.includes('-warn-90-'))!;
    expect(() => stack.engine.startExecution({ stateMachineArn: done.stateMachineArn, name: done.name, input: done.input })).toThrow(/Already Exists/);
    await stack.settle();
    expect(warnings(second)).toHaveLength(2);

    // Drift: A's schedule is lost. The next daily reconciliation (03:00 Beijing) arms it again.
    expect(await deleteOneTimeSchedule(`site-${siteA.siteId}`)).toBe(true);
    await stack.advance('P1DT1H');
    const repaired = stack.scheduler.getSchedule(`site-${siteA.siteId}`, 'exam-site-local');
    expect(repaired.ScheduleExpression).toBe(`at(${new Date(Math.ceil((Date.parse(heldAt) + 640 * DAY) / 1000) * 1000).toISOString().slice(0, 19)})`);

    await advanceTo(new Date(Date.parse(heldAt) + 641 * DAY).toISOString());
    expect(warnings(pilot).map((m) => m.subject)).toEqual([expect.stringContaining('剩余 90 天')]);
    await advanceTo(new Date(Date.parse(heldAt) + 701 * DAY).toISOString());
    expect(warnings(pilot).map((m) => m.subject)).toEqual([expect.stringContaining('剩余 90 天'), expect.stringContaining('剩余 30 天')]);
    expect(warnings(second)).toHaveLength(2);
  }, 600_000);

  async function firstRoom(site: SiteView): Promise<string> {
    const view = await demo.api.expect<{ accreditedRooms: Array<{ name: string }> }>(200, pilot.user.sub, 'GET', `/v1/sites/${site.siteId}`);
    return view.accreditedRooms[0]!.name;
  }
});

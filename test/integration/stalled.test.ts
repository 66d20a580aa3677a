import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { startSeededStack } from '../support/local-stack.ts';
import { type DemoScenario, demoInstitutions } from '../../local/demo-scenario.ts';

/**
 * No dead ends, through the whole local stack on the virtual clock: reviews
 * left overdue past their escalations stall the accreditation (the execution
 * ends, the application keeps its status and lock); an admin lists it,
 * resumes one (the decision reopens for the reviewer named, once however often
 * the request is sent) and closes another (the institution may apply again).
 */
describe('stalled accreditations through the local stack', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  const { pilot, second } = demoInstitutions();
  const reviewers = [
    { sub: 'demo-reviewer', email: 'reviewer1@org.example' },
    { sub: 'demo-reviewer-2', email: 'reviewer2@org.example' },
  ];
  const forgetOldLinks = () => {
    for (const r of reviewers) {
      const link = demo.api.latestDecisionLink(r.email);
      if (link) demo.markUsed(link);
    }
  };
  const stalledList = () => demo.api.expect<{ items: Array<{ applicationId: string; stage: string; reason: string; since: string }> }>(200, 'demo-admin', 'GET', '/v1/admin/stalled-applications');

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(10, 'stalled'));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('stalls a material review overdue three times, then an admin resumes it once for a named reviewer and the accreditation goes on (Art.4)', async () => {
    const id = await demo.apply(pilot);
    await demo.submit(pilot, id);
    expect(await demo.status(id)).toBe('UNDER_REVIEW');

    // Three 10-day tasks, each reopened when the one before expired: the last deadline falls 30 days plus the
    // virtual time the steps in between took after the first task opened; a day more covers it on a loaded machine.
    await stack.advance('P31D');
    expect(await demo.status(id)).toBe('UNDER_REVIEW');
    const listed = (await stalledList()).items.find((s) => s.applicationId === id);
    expect(listed).toMatchObject({ stage: 'materialReview', reason: 'decision-overdue' });
    expect(demo.api.mailTo('admin@org.example').some((m) => /停滞|stalled/i.test(m.text ?? ''))).toBe(true);

    forgetOldLinks();
    const body = { reason: '原审核员无法按期完成，改派审核员二。', assigneeSub: 'demo-reviewer-2' };
    const first = await demo.api.expect<{ executionName: string; replayed: boolean }>(200, 'demo-admin', 'POST', `/v1/admin/applications/${id}/resume`, body);
    const again = await demo.api.expect<{ executionName: string; replayed: boolean }>(200, 'demo-admin', 'POST', `/v1/admin/applications/${id}/resume`, body);
    expect(first).toMatchObject({ executionName: `accreditation-${id}-resume-1`, replayed: false });
    expect(again).toMatchObject({ executionName: first.executionName, replayed: true });
    expect((await stalledList()).items.map((s) => s.applicationId)).not.toContain(id);
    // One reopened task, for the reviewer named.
    expect(demo.newDecisionLink()?.sub).toBe('demo-reviewer-2');

    const review = await demo.decide('approve-for-visit', 'Materials complete and consistent with Art.9-11.');
    expect(review).toMatchObject({ kind: 'material-review', sub: 'demo-reviewer-2' });
    expect(await demo.status(id)).toBe('SITE_VISIT');
  });

  it('closes a stalled accreditation: CLOSED, the applicant told, and a new application may be opened', async () => {
    await demo.onboard(second);
    const id = await demo.apply(second);
    await demo.submit(second, id);
    expect(await demo.status(id)).toBe('UNDER_REVIEW');
    await stack.advance('P31D');
    expect((await stalledList()).items.map((s) => s.applicationId)).toContain(id);
    const blocked = await demo.api.call<{ code: string }>(second.user.sub, 'POST', '/v1/applications', {});
    expect(blocked.body.code).toBe('APPLICATION_ALREADY_OPEN');

    await demo.api.expect(200, 'demo-admin', 'POST', `/v1/admin/applications/${id}/close`, { reason: '审核无法完成，经研究关闭。' });
    expect(await demo.status(id)).toBe('CLOSED');
    expect(demo.api.mailTo(second.user.email).some((m) => /关闭|closed/i.test(m.subject))).toBe(true);
    const audit = await demo.api.expect<{ items: Array<{ action: string; article?: string }> }>(200, 'demo-admin', 'GET', `/v1/applications/${id}/audit`);
    expect(audit.items.map((e) => e.action)).toEqual(expect.arrayContaining(['accreditation-stalled', 'stalled-closed']));
    await demo.api.expect(201, second.user.sub, 'POST', '/v1/applications', {});
  });
});

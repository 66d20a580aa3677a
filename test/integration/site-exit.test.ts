import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { startSeededStack } from '../support/local-stack.ts';
import { type DemoScenario, demoInstitutions } from '../../local/demo-scenario.ts';
import { siteRevokedSchema } from '../../schemas/events/site-revoked.schema.ts';

/**
 * Withdrawal (Art.22) and revocation with due process (Art.23(3)) through
 * the whole local stack on the virtual clock: the same handlers, the same
 * ASL files, decisions from e-mailed links, the outbox and the recorded
 * events.
 */
describe('withdrawal and revocation through the local stack', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  const { pilot, second } = demoInstitutions();
  const admin2 = { sub: 'demo-admin-2', email: 'admin2@org.example', name: '钱管理', groups: ['admin' as const], label: 'Second administrator' };

  const siteStatus = async (siteId: string) => (await demo.api.expect<{ status: string }>(200, 'demo-admin', 'GET', `/v1/sites/${siteId}`)).status;
  const cases = (who: string, siteId: string) =>
    demo.api.expect<{ withdrawals: Array<{ status: string }>; revocations: Array<{ revocationId: string; status: string; windowEndsAt: string | null }> }>(200, who, 'GET', `/v1/sites/${siteId}/cases`);

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(50, 'site-exit'));
    stack.issuer.addUser(admin2);
    await demo.api.expect(200, 'demo-admin', 'PUT', `/v1/admin/staff/${admin2.sub}`, { name: admin2.name, email: admin2.email, role: 'admin', active: true });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('withdraws a site when an admin agrees from the e-mailed link (Art.22): WITHDRAWN, off the register, the site mailed', async () => {
    const { siteId } = await demo.accredit(pilot);
    const asked = await demo.api.expect<{ status: string; alreadyPending: boolean }>(202, pilot.user.sub, 'POST', `/v1/sites/${siteId}/withdrawal`, { reason: '学校专业调整，申请退出考核站点。' });
    expect(asked).toMatchObject({ status: 'pending', alreadyPending: false });
    await stack.settle();
    // The decision goes to an admin, by e-mail with a link (never the token).
    const link = demo.api.latestDecisionLink('admin@org.example') ?? demo.api.latestDecisionLink(admin2.email);
    expect(link).toBeDefined();
    const decider = demo.api.latestDecisionLink('admin@org.example') === link ? 'demo-admin' : admin2.sub;
    const page = await demo.api.expect<{ kind: string; allowedOutcomes: string[]; siteCase: { withdrawal: { reason: string; openSessions: number } } }>(200, decider, 'GET', `/v1/decisions/${link}`);
    expect(page).toMatchObject({ kind: 'withdrawal', allowedOutcomes: ['agree', 'decline'], siteCase: { withdrawal: { reason: '学校专业调整，申请退出考核站点。', openSessions: 0 } } });
    await demo.api.expect(200, decider, 'POST', `/v1/decisions/${link}`, { outcome: 'agree', reason: '无在办考试，同意退出。' });
    await stack.settle();

    expect(await siteStatus(siteId)).toBe('WITHDRAWN');
    expect((await cases(pilot.user.sub, siteId)).withdrawals[0]).toMatchObject({ status: 'withdrawn' });
    const register = await demo.api.expect<{ items: Array<{ siteId: string }> }>(200, 'demo-admin', 'GET', '/v1/sites?status=ACTIVE');
    expect(register.items.map((s) => s.siteId)).not.toContain(siteId);
    expect(demo.api.mailTo(pilot.user.email).some((m) => /退出申请已同意|withdrawal agreed/.test(m.subject))).toBe(true);
    // WITHDRAWN: no second request (Art.22).
    const again = await demo.api.call<{ code: string; article: string }>(pilot.user.sub, 'POST', `/v1/sites/${siteId}/withdrawal`, { reason: '再次申请退出考核站点。' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'WITHDRAWAL_NOT_ALLOWED', article: 'Art.22' });
  }, 240_000);

  it('revokes for misconduct after the site answered within its window; the opener may not decide; the authority is mailed and SiteRevoked recorded (Art.23(3), Art.21)', async () => {
    await demo.onboard(second);
    const { siteId } = await demo.accredit(second);
    const opened = await demo.api.expect<{ revocationId: string; alreadyOpen: boolean }>(202, 'demo-admin', 'POST', `/v1/admin/sites/${siteId}/revocations`, {
      cause: 'misconduct',
      reason: '考试期间组织替考，造成不良社会影响。',
    });
    const again = await demo.api.expect<{ revocationId: string; alreadyOpen: boolean }>(200, 'demo-admin', 'POST', `/v1/admin/sites/${siteId}/revocations`, { cause: 'misconduct', reason: '重复立案请求。' });
    expect(again).toEqual({ revocationId: opened.revocationId, alreadyOpen: true });
    await stack.settle();
    const listed = (await cases(second.user.sub, siteId)).revocations[0]!;
    expect(listed).toMatchObject({ revocationId: opened.revocationId, status: 'representation' });
    expect(Date.parse(listed.windowEndsAt!) - stack.clock.now()).toBeGreaterThan(13 * 86_400_000);
    expect(demo.api.mailTo(second.user.email).some((m) => /撤销资格立案通知/.test(m.subject) && /Art\.23\(3\)/.test(m.text ?? ''))).toBe(true);

    await stack.advance('P3D');
    await demo.api.expect(200, second.user.sub, 'POST', `/v1/sites/${siteId}/revocations/${opened.revocationId}/representation`, { text: '我校已对相关人员严肃处理，并整改考务流程。' });
    await stack.settle();

    // The decision goes to the other admin; the opener is refused.
    const link = demo.api.latestDecisionLink(admin2.email);
    expect(link).toBeDefined();
    expect(demo.api.latestDecisionLink('admin@org.example')).not.toBe(link);
    const refused = await demo.api.call<{ code: string }>('demo-admin', 'POST', `/v1/decisions/${link}`, { outcome: 'revoke', reason: '本人立案，本人决定。' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FOUR_EYES_REQUIRED');
    const page = await demo.api.expect<{ siteCase: { revocation: { representation: { text: string } } } }>(200, admin2.sub, 'GET', `/v1/decisions/${link}`);
    expect(page.siteCase.revocation.representation.text).toContain('严肃处理');
    await demo.api.expect(200, admin2.sub, 'POST', `/v1/decisions/${link}`, { outcome: 'revoke', reason: '事实清楚，证据充分，陈述申辩不足以免除撤销。' });
    await stack.settle();

    expect(await siteStatus(siteId)).toBe('REVOKED');
    expect((await cases('demo-admin', siteId)).revocations[0]).toMatchObject({ status: 'revoked' });
    expect(demo.api.mailTo('jyt@fj.gov.example').some((m) => /资格已撤销/.test(m.subject))).toBe(true);
    expect(demo.api.mailTo(second.user.email).some((m) => /考核站点资格已撤销/.test(m.subject))).toBe(true);
    const revoked = stack.events.events().filter((e) => e['detail-type'] === 'SiteRevoked');
    expect(revoked).toHaveLength(1);
    expect(siteRevokedSchema.parse(revoked[0]!.detail)).toMatchObject({ siteId, cause: 'misconduct', article: 'Art.23(3)' });
  }, 300_000);
});

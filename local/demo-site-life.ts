import type { LocalStack } from './stack.ts';
import type { DemoScenario } from './demo-scenario.ts';
import { siteLifeInstitutions } from './demo-scenario.ts';
import { runSupervision } from './demo-supervision.ts';
import { siteRevokedSchema } from '../schemas/events/site-revoked.schema.ts';

const DAY = 86_400_000;

/** The second administrator: a revocation is decided by an admin other than the one who opened it (Art.23(3), four eyes). */
const ADMIN_2 = { sub: 'demo-admin-2', email: 'admin2@org.example', name: '钱管理', groups: ['admin' as const], label: '第二管理员 / Second administrator' };

/** Fictitious ID numbers with valid GB 11643 check characters: they are stored only as a keyed hash and a mask. */
const CANDIDATES_CSV = 'name,idNumber,category\n张三,11010519491231002X,student\n李四,440106199003071231,public\n';

interface SiteView {
  readonly siteId: string;
  readonly status: string;
  readonly activatedAt: string;
  readonly lastExamAt: string | null;
  readonly inactiveRevocationAt: string;
  readonly accreditedRooms: ReadonlyArray<{ name: string; capacity: number }>;
}

/**
 * The demo's second part: the sites' working life on the virtual clock,
 * about two years of it. The Guangzhou site (accredited in the first part)
 * holds an exam session and so keeps its accreditation; the Hangzhou site
 * asks to withdraw while a session is scheduled, is refused (Art.22), cancels
 * it and withdraws; the Wuhan site is revoked for misconduct after its
 * representation, decided by a second admin (Art.23(3), Art.21); the Chengdu
 * site holds no exam for two years, is warned at T-90 and T-30 days and
 * revoked (Art.23(1)), its provincial authority mailed.
 */
export async function runSiteLife(stack: LocalStack, demo: DemoScenario, guangzhou: { sub: string; name: string; email: string }): Promise<void> {
  const { hangzhou, wuhan, chengdu, xian } = siteLifeInstitutions();
  const api = demo.api;
  const site = (who: string, siteId: string) => api.expect<SiteView>(200, who, 'GET', `/v1/sites/${siteId}`);
  const advanceTo = (at: number) => stack.advance(Math.max(0, at - stack.clock.now()));
  stack.issuer.addUser(ADMIN_2);
  await api.expect(200, 'demo-admin', 'PUT', `/v1/admin/staff/${ADMIN_2.sub}`, { name: ADMIN_2.name, email: ADMIN_2.email, role: 'admin', active: true });

  demo.log('—', "D. Four more colleges accredited: Hangzhou, Wuhan, Chengdu, Xi'an");
  const sites: Record<string, SiteView> = {};
  for (const inst of [hangzhou, wuhan, chengdu, xian]) {
    await demo.onboard(inst);
    sites[inst.user.sub] = await demo.accredit<SiteView>(inst);
    demo.log('system', `${inst.name}: site ${sites[inst.user.sub]!.siteId} ACTIVE`);
  }

  demo.log('—', `E. ${guangzhou.name}: an exam session scheduled, candidates imported, held (Art.13–14)`);
  const [gz] = (await api.expect<{ items: SiteView[] }>(200, guangzhou.sub, 'GET', '/v1/sites')).items.filter((s) => s.status === 'ACTIVE');
  if (!gz) throw new Error('the Guangzhou site is not ACTIVE');
  const gzSite = await site(guangzhou.sub, gz.siteId);
  // Held in the site's 18th month (Art.23(1)): the two-year limit then runs from that exam, not from activation.
  const month18 = new Date(gzSite.activatedAt);
  month18.setUTCMonth(month18.getUTCMonth() + 18);
  const startsAt = Math.max(month18.getTime(), stack.clock.now() + 7 * DAY);
  const session = await api.expect<{ sessionId: string }>(201, guangzhou.sub, 'POST', `/v1/sites/${gz.siteId}/sessions`, {
    title: '跨境电商多平台运营（中级）',
    startsAt: new Date(startsAt).toISOString(),
    endsAt: new Date(startsAt + 3 * 3_600_000).toISOString(),
    rooms: [gzSite.accreditedRooms[0]!.name],
    capacity: 2,
  });
  await api.call(guangzhou.sub, 'POST', `/v1/sites/${gz.siteId}/sessions/${session.sessionId}/candidates`, CANDIDATES_CSV, { 'content-type': 'text/csv; charset=utf-8' });
  demo.log(guangzhou.sub, `scheduled session ${session.sessionId} for ${new Date(startsAt).toISOString().slice(0, 10)} (the site's 18th month) in ${gzSite.accreditedRooms[0]!.name} and imported 2 candidates by CSV (ID numbers kept as keyed hash and mask)`);

  demo.log('—', 'F. An evaluation campaign over four sites: assessed, warned, suspended and restored, revoked after a failed rectification (Art.19–21)');
  await runSupervision(stack, demo, {
    pass: { inst: { name: guangzhou.name, user: { sub: guangzhou.sub, name: guangzhou.name, email: guangzhou.email } }, siteId: gz.siteId },
    warn: { inst: hangzhou, siteId: sites[hangzhou.user.sub]!.siteId },
    suspend: { inst: chengdu, siteId: sites[chengdu.user.sub]!.siteId },
    fail: { inst: xian, siteId: sites[xian.user.sub]!.siteId },
  });

  demo.log('—', `G. ${hangzhou.name}: asks to withdraw (Art.22)`);
  const hz = sites[hangzhou.user.sub]!;
  const hzRooms = (await site(hangzhou.user.sub, hz.siteId)).accreditedRooms;
  const hzStart = stack.clock.now() + 30 * DAY;
  const hzSession = await api.expect<{ sessionId: string }>(201, hangzhou.user.sub, 'POST', `/v1/sites/${hz.siteId}/sessions`, {
    title: '跨境电商多平台运营（初级）',
    startsAt: new Date(hzStart).toISOString(),
    endsAt: new Date(hzStart + 2 * 3_600_000).toISOString(),
    rooms: [hzRooms[0]!.name],
    capacity: 10,
  });
  const refused = await api.call<{ code: string; article: string; message: { zh: string } }>(hangzhou.user.sub, 'POST', `/v1/sites/${hz.siteId}/withdrawal`, { reason: '学校专业调整，申请退出考核站点。' });
  demo.log(hangzhou.user.name, `asked to withdraw with session ${hzSession.sessionId} scheduled → ${refused.status} ${refused.body.code} (${refused.body.article}) ${refused.body.message.zh}`);
  await api.expect(200, hangzhou.user.sub, 'POST', `/v1/sites/${hz.siteId}/sessions/${hzSession.sessionId}/cancel`, { reason: '学校专业调整，本次考试取消。' });
  await api.expect(202, hangzhou.user.sub, 'POST', `/v1/sites/${hz.siteId}/withdrawal`, { reason: '学校专业调整，申请退出考核站点。' });
  demo.log(hangzhou.user.name, 'cancelled the session and asked again: an admin gets a decision link');
  await stack.settle();
  await decideAsAdmin(demo, 'agree', '无在办考试，同意退出。');
  await stack.settle();
  demo.log('system', `${hangzhou.name}: site ${(await site('demo-admin', hz.siteId)).status}, off the public register`);

  demo.log('—', `H. ${wuhan.name}: revoked for misconduct, with due process (Art.23(3), Art.21)`);
  const wh = sites[wuhan.user.sub]!;
  const opened = await api.expect<{ revocationId: string }>(202, 'demo-admin', 'POST', `/v1/admin/sites/${wh.siteId}/revocations`, {
    cause: 'misconduct',
    reason: '考试期间组织替考，造成不良社会影响。',
  });
  demo.log('demo-admin', `opened revocation ${opened.revocationId}: the site is told and may answer within its window`);
  await stack.settle();
  await stack.advance('P3D');
  await api.expect(200, wuhan.user.sub, 'POST', `/v1/sites/${wh.siteId}/revocations/${opened.revocationId}/representation`, { text: '我校已对相关人员严肃处理，并整改考务流程。' });
  demo.log(wuhan.user.name, 'submitted the site’s representation (陈述申辩)');
  await stack.settle();
  const link = api.latestDecisionLink(ADMIN_2.email);
  if (!link) throw new Error('no revocation decision link for the second admin');
  demo.markUsed(link);
  const selfDecided = await api.call<{ code: string }>('demo-admin', 'POST', `/v1/decisions/${link}`, { outcome: 'revoke', reason: '本人立案，本人决定。' });
  demo.log('demo-admin', `tried to decide the case they opened → ${selfDecided.status} ${selfDecided.body.code}`);
  await api.expect(200, ADMIN_2.sub, 'POST', `/v1/decisions/${link}`, { outcome: 'revoke', reason: '事实清楚，证据充分，陈述申辩不足以免除撤销。' });
  await stack.settle();
  demo.log(ADMIN_2.sub, `revocation: revoke → site ${(await site('demo-admin', wh.siteId)).status}; Hubei's education authority mailed, SiteRevoked published`);

  demo.log('—', 'I. Two years on the virtual clock (Art.23(1)): the daily reconciliation and the one-time schedules run as on AWS');
  await advanceTo(startsAt + 4 * 3_600_000);
  const detail = await api.expect<{ candidates: Array<{ candidateId: string }> }>(200, guangzhou.sub, 'GET', `/v1/sites/${gz.siteId}/sessions/${session.sessionId}`);
  await api.expect(200, guangzhou.sub, 'POST', `/v1/sites/${gz.siteId}/sessions/${session.sessionId}/held`, {
    attendance: detail.candidates.map((c, i) => ({ candidateId: c.candidateId, present: i === 0 })),
    incidents: [{ description: '无 / none' }],
  });
  const gzAfter = await site(guangzhou.sub, gz.siteId);
  demo.log(guangzhou.sub, `recorded session ${session.sessionId} held (1 of 2 present): the two-year limit moves to ${gzAfter.inactiveRevocationAt.slice(0, 10)}`);

  const cd = await site('demo-admin', sites[chengdu.user.sub]!.siteId);
  const limit = Date.parse(cd.inactiveRevocationAt);
  for (const days of [89, 29]) {
    await advanceTo(limit - days * DAY);
    const warned = api.mailTo(chengdu.user.email).filter((m) => /剩余 \d+ 天/.test(m.subject)).length;
    demo.log('system', `${chengdu.name}: ${warned} inactivity warning${warned === 1 ? '' : 's'} so far (T-90, T-30 days)`);
  }
  await advanceTo(limit + DAY);
  await stack.settle();
  demo.log('system', `${chengdu.name}: two years without an exam → site ${(await site('demo-admin', cd.siteId)).status} (Art.23(1)); Sichuan's education authority mailed`);
  const gzWarned = api.mailTo(guangzhou.email).filter((m) => /剩余 \d+ 天/.test(m.subject)).length;
  demo.log('system', `${guangzhou.name}: site ${(await site('demo-admin', gz.siteId)).status}, spared: last exam ${gzAfter.lastExamAt?.slice(0, 10)}, its limit ${gzAfter.inactiveRevocationAt.slice(0, 10)} (${gzWarned} inactivity warning${gzWarned === 1 ? '' : 's'})`);
  const revoked = stack.events.events().filter((e) => e['detail-type'] === 'SiteRevoked').map((e) => siteRevokedSchema.parse(e.detail));
  demo.log('system', `SiteRevoked events published (/_local/events): ${revoked.map((e) => `${e.certificateNumber} ${e.cause} ${e.article}`).join('; ')}`);
}

/** An admin follows the newest decision link in their mailbox. */
async function decideAsAdmin(demo: DemoScenario, outcome: string, reason: string): Promise<void> {
  for (const [sub, email] of [['demo-admin', 'admin@org.example'], [ADMIN_2.sub, ADMIN_2.email]] as const) {
    const link = demo.api.latestDecisionLink(email);
    if (!link || demo.isUsed(link)) continue;
    demo.markUsed(link);
    const page = await demo.api.expect<{ kind: string }>(200, sub, 'GET', `/v1/decisions/${link}`);
    await demo.api.expect(200, sub, 'POST', `/v1/decisions/${link}`, { outcome, reason });
    demo.log(sub, `${page.kind}: ${outcome} — ${reason}`);
    return;
  }
  throw new Error('no new decision link in an admin mailbox');
}

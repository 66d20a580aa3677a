import type { LocalStack } from './stack.ts';
import type { DemoScenario, DemoInstitution } from './demo-scenario.ts';

const DAY = 86_400_000;

/** The reviewers whose mailboxes hold the assessment, confirmation and review links. */
const REVIEWERS = [
  { sub: 'demo-reviewer', email: 'reviewer1@org.example' },
  { sub: 'demo-reviewer-2', email: 'reviewer2@org.example' },
] as const;

/** The evaluation report on Art.20's contents, as each site submits it. */
const REPORT = {
  venueAndEquipment: '两间考场共 80 台考生机，设备运行正常。',
  examOrganisation: '本期组织考试 2 场，考务人员均经培训。',
  violations: '无',
  incidents: '无',
  workPlan: '下一阶段计划每季度组织一次考试，并更新监控设备。',
};

interface DecisionPage {
  readonly kind: string;
  readonly status: string;
  readonly supervision?: { site: { siteId: string }; rubric: { criteria: Array<{ id: string; max: number }> }; proposal?: { outcome: string } };
  readonly siteCase?: { site: { siteId: string } };
}

/** A site of the campaign: who speaks for it and what happens to it. */
export interface SupervisedSite {
  readonly inst: Pick<DemoInstitution, 'name'> & { user: { sub: string; name: string; email: string } };
  readonly siteId: string;
}

/**
 * The steps of supervision as the people involved take them through the
 * API, each reading its link from the mailbox it was sent to: the demo's
 * supervision part and the bench's supervision lifecycle are built from them.
 */
export class SupervisionDriver {
  constructor(
    readonly stack: LocalStack,
    readonly demo: DemoScenario,
  ) {}

  private get api() {
    return this.demo.api;
  }

  async siteStatus(siteId: string): Promise<string> {
    return (await this.api.expect<{ status: string }>(200, 'demo-admin', 'GET', `/v1/sites/${siteId}`)).status;
  }

  async openRectification(who: SupervisedSite): Promise<{ rectificationId: string; deadline: string; suspended: boolean } | null> {
    return (await this.api.expect<{ openRectification: { rectificationId: string; deadline: string; suspended: boolean } | null }>(200, who.inst.user.sub, 'GET', `/v1/sites/${who.siteId}/supervision`))
      .openRectification;
  }

  /** The pending decision of `kind` about `siteId` in a reviewer's mailbox, as that reviewer would click it. */
  async pending(kind: string, siteId: string): Promise<{ sub: string; decisionId: string; page: DecisionPage }> {
    for (const r of REVIEWERS) {
      const links = new Set(this.api.mailTo(r.email).flatMap((m) => [...m.text.matchAll(/\/decisions\/([A-Za-z0-9_-]{20,})/g)].map((x) => x[1]!)));
      for (const decisionId of links) {
        if (this.demo.isUsed(decisionId)) continue;
        const res = await this.api.call<DecisionPage>(r.sub, 'GET', `/v1/decisions/${decisionId}`);
        if (res.status === 200 && res.body.kind === kind && res.body.status === 'pending' && res.body.supervision?.site.siteId === siteId) return { sub: r.sub, decisionId, page: res.body };
      }
    }
    throw new Error(`no pending ${kind} decision for site ${siteId}`);
  }

  /** Decides the pending task of `kind` about a site (an assessment scored on the rubric, `lower` marking criteria down); returns who decided. */
  async decide(kind: string, who: SupervisedSite, body: Record<string, unknown>, lower: Record<string, number> = {}): Promise<string> {
    const task = await this.pending(kind, who.siteId);
    const scores = task.page.supervision?.rubric.criteria.length && kind === 'assessment' ? { scores: Object.fromEntries(task.page.supervision.rubric.criteria.map((c) => [c.id, lower[c.id] ?? c.max])) } : {};
    await this.api.expect(200, task.sub, 'POST', `/v1/decisions/${task.decisionId}`, { ...body, ...scores });
    this.demo.markUsed(task.decisionId);
    this.demo.log(task.sub, `${kind} of ${who.inst.name}: ${String(body.outcome)} — ${String(body.reason)}`);
    await this.stack.settle();
    return task.sub;
  }

  /** An admin opens a campaign over the sites with a deadline in `days`; each site is notified (Art.19–20). */
  async openCampaign(sites: readonly SupervisedSite[], days: number): Promise<string> {
    const opened = await this.api.expect<{ campaignId: string }>(202, 'demo-admin', 'POST', '/v1/admin/campaigns', {
      title: '2027 春季考核站点检查评估',
      deadline: new Date(this.stack.clock.now() + days * DAY).toISOString(),
      selection: { kind: 'sites', siteIds: sites.map((s) => s.siteId) },
    });
    await this.stack.advance('PT1M');
    this.demo.log('demo-admin', `opened evaluation campaign ${opened.campaignId} over ${sites.length} sites, deadline in ${days} days: each site notified once (Art.19–20)`);
    return opened.campaignId;
  }

  /** The site submits its evaluation report and work plan (Art.20). */
  async submitReport(who: SupervisedSite, campaignId: string): Promise<void> {
    await this.api.expect(200, who.inst.user.sub, 'PUT', `/v1/sites/${who.siteId}/evaluations/${campaignId}/report`, REPORT);
  }

  /** The site reports its rectification by the deadline (Art.21). */
  async rectify(who: SupervisedSite, text: string): Promise<void> {
    const open = await this.openRectification(who);
    if (!open) throw new Error(`${who.inst.name} has no open rectification`);
    await this.api.expect(200, who.inst.user.sub, 'PUT', `/v1/sites/${who.siteId}/rectifications/${open.rectificationId}/report`, { text, evidenceIds: [] });
    this.demo.log(who.inst.user.name, `submitted the rectification report by its deadline ${open.deadline.slice(0, 10)}`);
  }

  /** After the revocation's representation window, an admin revokes the site from the e-mailed link (Art.21). */
  async revokeAfterWindow(who: SupervisedSite): Promise<void> {
    await this.stack.advance('P15D');
    await this.stack.settle();
    const link = await revocationLinkFor(this.demo, who.siteId);
    await this.api.expect(200, 'demo-admin', 'POST', `/v1/decisions/${link}`, { outcome: 'revoke', reason: '整改后仍不符合要求（第二十一条）。' });
    this.demo.markUsed(link);
    await this.stack.settle();
    this.demo.log('demo-admin', `revocation after the failed rectification: revoke → site ${await this.siteStatus(who.siteId)}; its provincial authority mailed, SiteRevoked published (Art.21)`);
  }
}

/**
 * The demo's supervision part (Art.19–21): one evaluation campaign over four
 * sites. Each submits its report; at the deadline reviewers assess each from
 * the e-mailed link against the rubric: the first passes; the second is
 * warned; the third is suspended with a rectification deadline (confirmed by
 * a second reviewer, the assessor refused), reports its rectification and is
 * restored; the fourth fails its rectification and, after the revocation's
 * representation window, is revoked by an admin with its provincial
 * authority mailed. The campaign's progress is printed at the end.
 */
export async function runSupervision(stack: LocalStack, demo: DemoScenario, sites: { pass: SupervisedSite; warn: SupervisedSite; suspend: SupervisedSite; fail: SupervisedSite }): Promise<void> {
  const api = demo.api;
  const driver = new SupervisionDriver(stack, demo);
  const all = [sites.pass, sites.warn, sites.suspend, sites.fail];
  const campaignId = await driver.openCampaign(all, 8);
  for (const s of all) await driver.submitReport(s, campaignId);
  demo.log('system', `all ${all.length} sites submitted their evaluation reports and work plans (Art.20)`);
  await stack.advance('P8D');
  await stack.settle();

  await driver.decide('assessment', sites.pass, { outcome: 'pass', reason: '依评估标准逐项评分，各项达标。' });
  await driver.decide('assessment', sites.warn, { outcome: 'warning', reason: '考场设备老化，考务组织记录不全。' }, { 'venue-and-equipment': 10, 'exam-organisation': 14 });
  const assessor = await driver.decide('assessment', sites.suspend, { outcome: 'suspend-and-rectify', reason: '监控设备不能覆盖全部考位，工作计划缺失。' }, { 'work-plan': 0, 'venue-and-equipment': 8 });
  const confirmation = await driver.pending('sanction-confirmation', sites.suspend.siteId);
  const refused = await api.call<{ code: string }>(assessor, 'POST', `/v1/decisions/${confirmation.decisionId}`, { outcome: 'confirm', reason: '本人评估，本人确认。' });
  demo.log(assessor, `tried to confirm the suspension they proposed → ${refused.status} ${refused.body.code}`);
  await driver.decide('sanction-confirmation', sites.suspend, { outcome: 'confirm', reason: '同意暂停考试并限期整改。' });
  demo.log('system', `${sites.suspend.inst.name}: site ${await driver.siteStatus(sites.suspend.siteId)}, exams suspended and its two-year clock paused (Art.21)`);
  await driver.decide('assessment', sites.fail, { outcome: 'rectify', reason: '工作计划不完整，限期整改。' }, { 'work-plan': 0 });

  await stack.advance('P5D');
  await driver.rectify(sites.suspend, '已更换全部监控设备，重新培训考务人员并完善考务制度。');
  await driver.rectify(sites.fail, '已补充下一阶段工作计划初稿。');
  await stack.settle();
  await driver.decide('rectification-review', sites.suspend, { outcome: 'pass', reason: '整改到位，恢复考试。' });
  demo.log('system', `${sites.suspend.inst.name}: site ${await driver.siteStatus(sites.suspend.siteId)} again, its two-year clock resumed`);
  await driver.decide('rectification-review', sites.fail, { outcome: 'fail', reason: '工作计划仍不完整。' });

  // The revocation's due process: the site may answer within its window, then an admin decides.
  await driver.revokeAfterWindow(sites.fail);

  const progress = await api.expect<Record<string, unknown>>(200, 'demo-admin', 'GET', `/v1/admin/campaigns/${campaignId}`);
  const figures = ['siteCount', 'notified', 'submitted', 'missed', 'decided'].map((k) => `${k} ${String(progress[k] ?? 0)}`).join(', ');
  demo.log('system', `campaign ${campaignId} progress: ${figures}; outcomes ${JSON.stringify(progress.outcomes ?? {})}`);
}

/** The pending revocation decision of a site in an admin's mailbox. */
async function revocationLinkFor(demo: DemoScenario, siteId: string): Promise<string> {
  for (const m of demo.api.mailTo('admin@org.example').reverse()) {
    const decisionId = /\/decisions\/([A-Za-z0-9_-]{20,})/.exec(m.text)?.[1];
    if (!decisionId || demo.isUsed(decisionId)) continue;
    const page = await demo.api.expect<DecisionPage>(200, 'demo-admin', 'GET', `/v1/decisions/${decisionId}`);
    if (page.kind === 'revocation' && page.status === 'pending' && page.siteCase?.site.siteId === siteId) return decisionId;
  }
  throw new Error(`no pending revocation decision for site ${siteId}`);
}

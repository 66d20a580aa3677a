import { createHash } from 'node:crypto';
import { creditCodeCheckChar } from '../schemas/validators/credit-code.ts';
import type { ApplicationForm } from '../schemas/application-form.schema.ts';
import { makeValidForm } from '../test/unit/domain/fixtures/valid-form.ts';
import { LocalApiClient } from './api-client.ts';
import { makePdf, makePng } from './demo-files.ts';
import type { LocalUser } from './oidc/local-issuer.ts';
import type { LocalStack } from './stack.ts';

/** One line of the printed timeline. */
export interface TimelineLine {
  readonly at: string;
  readonly who: string;
  readonly what: string;
}

/** An institution of the demo and the person who applies for it. */
export interface DemoInstitution {
  readonly user: LocalUser;
  readonly creditCode: string;
  readonly name: string;
  readonly provinceCode: string;
  readonly cityCode: string;
  readonly onRegister: boolean;
}

const REVIEWERS = [
  { sub: 'demo-reviewer', email: 'reviewer1@org.example' },
  { sub: 'demo-reviewer-2', email: 'reviewer2@org.example' },
] as const;

/** A credit code with a valid GB 32100 check character, from its first 17 characters. */
export function creditCode(first17: string): string {
  return first17 + creditCodeCheckChar(first17);
}

/** The evidence a complete application carries (Art.3), as real files. */
export function evidenceFiles(seed: string): Array<{ kind: string; file: Buffer; contentType: string; fileName: string; tags?: string[] }> {
  return [
    { kind: 'application-form', file: makePdf('Application form 考核站点申请表', seed), contentType: 'application/pdf', fileName: '申请表.pdf' },
    { kind: 'manager-id-copy', file: makePdf('Site manager ID copy', seed), contentType: 'application/pdf', fileName: '负责人身份证复印件.pdf' },
    { kind: 'venue-photo', file: makePng(1280, 960, `${seed}-room`), contentType: 'image/png', fileName: 'room.png', tags: ['exam-room'] },
    { kind: 'venue-photo', file: makePng(1280, 960, `${seed}-equipment`), contentType: 'image/png', fileName: 'equipment.png', tags: ['equipment'] },
    { kind: 'venue-photo', file: makePng(1280, 960, `${seed}-office`), contentType: 'image/png', fileName: 'office.png', tags: ['exam-office'] },
    { kind: 'policies', file: makePdf('Management, safety and confidentiality rules', seed), contentType: 'application/pdf', fileName: '制度.pdf', tags: ['management', 'safety', 'confidentiality'] },
    { kind: 'exam-experience', file: makePdf('National exams organised', seed), contentType: 'application/pdf', fileName: '组考经验.pdf' },
  ];
}

/**
 * Acts as the users of the system would, through the API and the outbox:
 * applicants upload real files through presigned POSTs, reviewers follow the
 * decision links they find in their e-mail. Records a readable timeline.
 */
export class DemoScenario {
  readonly api: LocalApiClient;
  readonly lines: TimelineLine[] = [];
  private readonly usedLinks = new Set<string>();

  constructor(readonly stack: LocalStack) {
    this.api = new LocalApiClient(stack);
  }

  log(who: string, what: string): void {
    this.lines.push({ at: new Date(this.stack.clock.now()).toISOString().slice(0, 16).replace('T', ' '), who, what });
  }

  /** Invites the institution's site manager (admin) and accepts with the code from the e-mail (applicant). */
  async onboard(inst: DemoInstitution): Promise<void> {
    this.stack.issuer.addUser(inst.user);
    if (inst.onRegister) {
      await this.api.expect(200, 'demo-admin', 'PUT', `/v1/admin/pilot-colleges/${inst.creditCode}`, { name: inst.name, provinceCode: inst.provinceCode, cityCode: inst.cityCode, active: true });
    }
    await this.api.expect(201, 'demo-admin', 'POST', '/v1/admin/invitations', {
      creditCode: inst.creditCode,
      email: inst.user.email,
      name: inst.user.name,
      ...(inst.onRegister ? {} : { institutionName: inst.name, provinceCode: inst.provinceCode, cityCode: inst.cityCode }),
    });
    const code = this.api.latestInvitationCode(inst.user.email);
    if (!code) throw new Error(`no invitation e-mail for ${inst.user.email}`);
    await this.api.expect(201, inst.user.sub, 'POST', '/v1/invitations/accept', { code });
    this.log(inst.user.name, `accepted the invitation for ${inst.name}${inst.onRegister ? '' : ' (not on the pilot register)'}`);
  }

  /** Creates an application, fills the form, uploads the evidence except `skip` (indexes into evidenceFiles). */
  async apply(inst: DemoInstitution, skip: readonly number[] = []): Promise<string> {
    const created = await this.api.expect<{ id: string; version: number }>(201, inst.user.sub, 'POST', '/v1/applications', {});
    return this.complete(inst, created, skip);
  }

  /** Fills the form of an open draft and uploads the evidence except `skip` (indexes into evidenceFiles). */
  async complete(inst: DemoInstitution, draft: { id: string; version: number }, skip: readonly number[] = []): Promise<string> {
    const id = draft.id;
    const form: ApplicationForm = makeValidForm();
    form.institution = { ...form.institution, name: inst.name, creditCode: inst.creditCode, provinceCode: inst.provinceCode, cityCode: inst.cityCode };
    await this.api.expect(200, inst.user.sub, 'PUT', `/v1/applications/${id}/form`, { version: draft.version, form });
    this.log(inst.user.name, `created application ${id} and filled the form (Art.9-11)`);
    const files = evidenceFiles(inst.creditCode);
    let uploaded = 0;
    for (const [i, f] of files.entries()) {
      if (skip.includes(i)) continue;
      await this.uploadEvidence(inst, id, f);
      uploaded++;
    }
    this.log(inst.user.name, `uploaded ${uploaded} evidence files straight to S3 through presigned POSTs (Art.3)`);
    return id;
  }

  async uploadEvidence(inst: DemoInstitution, id: string, f: ReturnType<typeof evidenceFiles>[number]): Promise<void> {
    // Art.3: the demo's documents stand for stamped scans; the applicant confirms the seal per file.
    await this.uploadFile(inst.user.sub, id, { ...f, sealConfirmed: true });
  }

  /**
   * Uploads one file as the portal does: asks for a grant, posts the bytes to
   * the presigned POST, waits for the validator. The application's evidence,
   * or (once approved) a site document or case evidence under its prefix.
   * @returns the item id.
   */
  async uploadFile(
    sub: string,
    applicationId: string,
    f: { kind: string; file: Buffer; contentType: string; fileName: string; tags?: string[]; sealConfirmed?: boolean },
  ): Promise<string> {
    const grant = await this.api.expect<{ itemId: string; upload: { url: string; fields: Record<string, string> } }>(201, sub, 'POST', `/v1/applications/${applicationId}/evidence`, {
      kind: f.kind,
      fileName: f.fileName,
      contentType: f.contentType,
      size: f.file.length,
      ...(f.tags ? { tags: f.tags } : {}),
      // Required: the upload policy pins it, so S3 verifies the bytes and validation never reads them whole.
      sha256: createHash('sha256').update(f.file).digest('hex'),
      ...(f.sealConfirmed ? { sealConfirmed: true } : {}),
    });
    const status = await this.api.upload(grant.upload, f.file, f.contentType, f.fileName);
    if (status >= 300) throw new Error(`upload of ${f.kind} answered ${status}`);
    return grant.itemId;
  }

  async submit(inst: DemoInstitution, id: string): Promise<void> {
    await this.api.expect(202, inst.user.sub, 'POST', `/v1/applications/${id}/submit`);
    this.log(inst.user.name, `submitted application ${id}`);
  }

  async status(id: string): Promise<string> {
    const detail = await this.api.expect<{ application: { status: string } }>(200, 'demo-admin', 'GET', `/v1/applications/${id}`);
    return detail.application.status;
  }

  /** The reviewer who has a decision link not yet followed, and that link. */
  newDecisionLink(exclude?: string): { sub: string; email: string; decisionId: string } | undefined {
    for (const r of REVIEWERS) {
      if (r.sub === exclude) continue;
      const link = this.api.latestDecisionLink(r.email);
      if (link && !this.usedLinks.has(link)) return { ...r, decisionId: link };
    }
    return undefined;
  }

  /** Whether a decision link was already followed. */
  isUsed(decisionId: string): boolean {
    return this.usedLinks.has(decisionId);
  }

  /** Records that a decision link was followed outside `decide`. */
  markUsed(decisionId: string): void {
    this.usedLinks.add(decisionId);
  }

  /** Follows the newest decision link in a reviewer's mailbox: reads the page (GET), then decides (POST). */
  async decide(outcome: string, reason: string, extra: Record<string, unknown> = {}, exclude?: string): Promise<{ sub: string; kind: string }> {
    const link = this.newDecisionLink(exclude);
    if (!link) throw new Error('no new decision link in any reviewer mailbox');
    this.usedLinks.add(link.decisionId);
    const page = await this.api.expect<{ kind: string; status: string }>(200, link.sub, 'GET', `/v1/decisions/${link.decisionId}`);
    await this.api.expect(200, link.sub, 'POST', `/v1/decisions/${link.decisionId}`, { outcome, reason, ...extra });
    this.log(link.sub, `${page.kind}: ${outcome} — ${reason}`);
    return { sub: link.sub, kind: page.kind };
  }

  /**
   * Takes an institution from application to ACTIVE site: applies with every
   * file, passes material review, site visit and final decision (Art.4) through
   * the reviewers' e-mailed links. The institution's ACTIVE site as its list shows it.
   */
  async accredit<T extends { siteId: string; status: string } = { siteId: string; status: string; activatedAt: string }>(inst: DemoInstitution): Promise<T> {
    const id = await this.apply(inst);
    await this.submit(inst, id);
    await this.decide('approve-for-visit', 'Materials complete and consistent with Art.9-11.');
    const visit = await this.decide('approve', 'Rooms, PCs and cameras as declared.', { recommendation: 'approve', findings: [] });
    await this.decide('approve', 'Review and site visit both passed (Art.4).', {}, visit.sub);
    const sites = await this.api.expect<{ items: T[] }>(200, inst.user.sub, 'GET', '/v1/sites');
    const site = sites.items.find((s) => s.status === 'ACTIVE');
    if (!site) throw new Error(`${inst.name} has no ACTIVE site after its final approval`);
    return site;
  }

  /** The findings of the application's latest screening, as the applicant reads them (Art.4). */
  async findings(inst: DemoInstitution, id: string): Promise<Array<{ code: string; article: string; severity: string; zh: string; en: string }>> {
    const detail = await this.api.expect<{ screening?: { findings: Array<{ code: string; article: string; severity: string; zh: string; en: string }> } }>(200, inst.user.sub, 'GET', `/v1/applications/${id}`);
    return detail.screening?.findings ?? [];
  }
}

/** The three institutions of the demo. */
export function demoInstitutions(): { pilot: DemoInstitution; nonPilot: DemoInstitution; second: DemoInstitution } {
  return {
    pilot: {
      user: { sub: 'demo-applicant', email: 'manager@gdcv.edu.cn', name: '陈晓梅', groups: ['applicant'], label: 'Applicant' },
      creditCode: '12440100455861238H',
      name: '广州南方商贸职业技术学院',
      provinceCode: '440000',
      cityCode: '440100',
      onRegister: true,
    },
    nonPilot: {
      user: { sub: 'demo-applicant-enterprise', email: 'hr@kuajing-training.example', name: '周企业', groups: ['applicant'], label: 'Applicant (enterprise)' },
      creditCode: creditCode('91440101MA5CQ8T1X'),
      name: '广州跨境培训科技有限公司',
      provinceCode: '440000',
      cityCode: '440100',
      onRegister: false,
    },
    second: {
      user: { sub: 'demo-applicant-xiamen', email: 'kaowu@xmhw.edu.cn', name: '林海', groups: ['applicant'], label: 'Applicant (Xiamen)' },
      creditCode: '12350200MB01397659',
      name: '厦门海湾职业技术学院',
      provinceCode: '350000',
      cityCode: '350200',
      onRegister: true,
    },
  };
}

/** The sites of the demo's second part, the site's working life (Art.12–23). */
export function siteLifeInstitutions(): { hangzhou: DemoInstitution; wuhan: DemoInstitution; chengdu: DemoInstitution; xian: DemoInstitution } {
  return {
    hangzhou: {
      user: { sub: 'demo-applicant-hangzhou', email: 'kaowu@hzsm.edu.cn', name: '沈嘉禾', groups: ['applicant'], label: 'Applicant (Hangzhou)' },
      creditCode: creditCode('12330100MB0271846'),
      name: '杭州商贸职业学院',
      provinceCode: '330000',
      cityCode: '330100',
      onRegister: true,
    },
    wuhan: {
      user: { sub: 'demo-applicant-wuhan', email: 'kaowu@whjm.edu.cn', name: '胡志远', groups: ['applicant'], label: 'Applicant (Wuhan)' },
      creditCode: creditCode('12420100MB1538207'),
      name: '武汉江汉经贸职业学院',
      provinceCode: '420000',
      cityCode: '420100',
      onRegister: true,
    },
    chengdu: {
      user: { sub: 'demo-applicant-chengdu', email: 'kaowu@cdtf.edu.cn', name: '罗晓川', groups: ['applicant'], label: 'Applicant (Chengdu)' },
      creditCode: creditCode('12510100MB0946213'),
      name: '成都天府跨境电商职业学院',
      provinceCode: '510000',
      cityCode: '510100',
      onRegister: true,
    },
    xian: {
      user: { sub: 'demo-applicant-xian', email: 'kaowu@xasl.edu.cn', name: '韩秦川', groups: ['applicant'], label: "Applicant (Xi'an)" },
      creditCode: creditCode('12610100MB0815372'),
      name: '西安丝路商贸职业学院',
      provinceCode: '610000',
      cityCode: '610100',
      onRegister: true,
    },
  };
}

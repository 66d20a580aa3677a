import { type Bilingual, type Block, type RenderedMail, deadlineText, renderMail } from './layout.ts';

/**
 * The e-mails of a site's withdrawal (Art.22) and revocation (Art.23,
 * Art.21): to the site, to the deciding admin and to the provincial
 * education authority. Pure renderers. No personal data beyond what the
 * register shows (institution, site number, province): never a person's
 * name, ID number or contact.
 */

export type RevocationCauseName = 'inactivity' | 'standards-breach' | 'misconduct' | 'failed-rectification';

/** Each cause in the regulation's words, with its article. */
export const REVOCATION_CAUSE_LABELS: Readonly<Record<RevocationCauseName, Bilingual & { article: string }>> = Object.freeze({
  inactivity: { zh: '两年内未能正常开展工作', en: 'not operating normally for two years', article: 'Art.23(1)' },
  'standards-breach': { zh: '未按考核标准及制度组织实施、提供后续服务', en: 'not following the standards and rules or providing follow-up service', article: 'Art.23(2)' },
  misconduct: { zh: '有违法、违纪行为并在社会上造成不良影响', en: 'breaking laws or rules with a bad public effect', article: 'Art.23(3)' },
  'failed-rectification': { zh: '整改后仍不符合要求', en: 'still failing after rectification', article: 'Art.21' },
});

/** The site a message is about, as the register shows it. */
export interface SiteRef {
  readonly institutionName: string;
  readonly certificateNumber: string;
}

const siteLine = (s: SiteRef): Block => ({
  kind: 'paragraph',
  zh: `考核站点：${s.institutionName}（编号 ${s.certificateNumber}）`,
  en: `Exam site: ${s.institutionName} (number ${s.certificateNumber})`,
});

const causeLine = (cause: RevocationCauseName): Block => {
  const c = REVOCATION_CAUSE_LABELS[cause];
  return { kind: 'paragraph', zh: `事由：${c.zh}（${c.article}）`, en: `Cause: ${c.en} (${c.article})` };
};

/** Asks an admin to decide on a site's withdrawal or revocation; the link carries the random decision id, never the task token. */
export function siteDecisionRequestMail(input: SiteRef & { kind: 'withdrawal' | 'revocation'; cause?: RevocationCauseName; deadline: string; link: string }): RenderedMail {
  const due = deadlineText(input.deadline);
  const what: Block =
    input.kind === 'withdrawal'
      ? { kind: 'paragraph', zh: '以下考核站点申请退出（《考核站点管理办法》第二十二条），请审批：同意或不同意。', en: 'The exam site below asks to withdraw (Art.22). Please agree or decline.' }
      : {
          kind: 'paragraph',
          zh: '以下考核站点的撤销资格案件待决定：撤销或不予撤销。立案人不得作出决定。',
          en: 'A case to revoke the exam site below awaits a decision: revoke or dismiss. The admin who opened the case may not decide it.',
        };
  return renderMail(
    input.kind === 'withdrawal' ? { zh: '【考核站点】待办：退出申请审批', en: "Exam site: decide on a site's withdrawal" } : { zh: '【考核站点】待办：撤销资格决定', en: 'Exam site: decide on a revocation' },
    [what, siteLine(input), ...(input.cause ? [causeLine(input.cause)] : []), { kind: 'paragraph', zh: `截止时间：${due.zh}`, en: `Due: ${due.en}` }, { kind: 'link', href: input.link, zh: '打开待办', en: 'Open the task' }],
  );
}

/** The outcome of a withdrawal request, to the site. */
export function withdrawalOutcomeMail(input: SiteRef & { outcome: 'withdrawn' | 'declined' | 'refused' | 'lapsed'; reason?: string; link: string }): RenderedMail {
  const bodies: Record<typeof input.outcome, { subject: Bilingual; text: Bilingual }> = {
    withdrawn: {
      subject: { zh: '【考核站点】退出申请已同意', en: 'Exam site: withdrawal agreed' },
      text: { zh: '贵单位的考核站点退出申请已获同意，自即日起不再承担考务组织实施工作（第二十二条）。', en: 'Your withdrawal has been agreed: from now on the site has no further exam duties (Art.22).' },
    },
    declined: {
      subject: { zh: '【考核站点】退出申请未获同意', en: 'Exam site: withdrawal declined' },
      text: { zh: '贵单位的考核站点退出申请未获同意，站点继续正常运行。', en: 'Your withdrawal request was declined; the site stays active.' },
    },
    refused: {
      subject: { zh: '【考核站点】退出申请未能办理', en: 'Exam site: withdrawal could not be completed' },
      text: {
        zh: '同意时本站点仍有已安排或正在进行的考试，须在没有组织考试的情况下方可退出（第二十二条）。请处理完毕后重新申请。',
        en: 'When it was agreed, the site still had an exam session scheduled or in progress; a site may withdraw only with no exam organised (Art.22). Please ask again once none is left.',
      },
    },
    lapsed: {
      subject: { zh: '【考核站点】退出申请已过期', en: 'Exam site: withdrawal request lapsed' },
      text: { zh: '管理员未在期限内处理贵单位的退出申请，申请已过期，可重新提交。', en: 'No administrator decided on your withdrawal request in time; it has lapsed and you may ask again.' },
    },
  };
  const body = bodies[input.outcome];
  return renderMail(body.subject, [
    { kind: 'paragraph', ...body.text },
    siteLine(input),
    ...(input.reason ? [{ kind: 'paragraph' as const, zh: `说明：${input.reason}`, en: `Reason given: ${input.reason}` }] : []),
    { kind: 'link', href: input.link, zh: '查看考核站点', en: 'Open the exam site' },
  ]);
}

/** Tells the site a revocation case was opened: the cause, the reason, and the end of its window (or that it is urgent). */
export function revocationNoticeMail(input: SiteRef & { cause: RevocationCauseName; reason: string; windowEndsAt?: string; urgentReason?: string; link: string }): RenderedMail {
  const window: Block = input.windowEndsAt
    ? {
        kind: 'paragraph',
        zh: `贵单位可在 ${deadlineText(input.windowEndsAt).zh} 前通过平台提交陈述申辩（文字及附件），逾期视为放弃。`,
        en: `You may submit a representation (text and files) on the portal until ${deadlineText(input.windowEndsAt).en}; after that the case is decided without it.`,
      }
    : {
        kind: 'paragraph',
        zh: `因情况紧急（${input.urgentReason ?? ''}），本案不设陈述申辩期，将由另一名管理员直接决定。`,
        en: `As the case is urgent (${input.urgentReason ?? ''}), there is no representation window; another administrator decides it directly.`,
      };
  return renderMail({ zh: '【考核站点】撤销资格立案通知', en: 'Exam site: notice of a revocation case' }, [
    { kind: 'paragraph', zh: '培训评价组织已对贵单位考核站点立案，拟撤销其资格。', en: 'The organisation has opened a case to revoke your exam site.' },
    siteLine(input),
    causeLine(input.cause),
    { kind: 'paragraph', zh: `理由：${input.reason}`, en: `Reason: ${input.reason}` },
    window,
    { kind: 'link', href: input.link, zh: '查看并陈述申辩', en: 'Read the case and answer' },
  ]);
}

/** Tells the site it was revoked: why, and that it must inform the candidates of its cancelled sessions. */
export function siteRevokedMail(input: SiteRef & { cause: RevocationCauseName; article: string; revokedAt: string; sessionsCancelled: number; link: string }): RenderedMail {
  const at = deadlineText(input.revokedAt);
  const blocks: Block[] = [
    { kind: 'paragraph', zh: `贵单位考核站点资格已于 ${at.zh} 撤销（${input.article}）。`, en: `Your exam site's accreditation was revoked on ${at.en} (${input.article}).` },
    siteLine(input),
    causeLine(input.cause),
  ];
  if (input.sessionsCancelled > 0) {
    blocks.push({
      kind: 'paragraph',
      zh: `已安排的 ${input.sessionsCancelled} 场考试已取消。请立即通知已报名的考生。`,
      en: `The ${input.sessionsCancelled} scheduled exam session(s) are cancelled. Please inform the registered candidates at once.`,
    });
  }
  blocks.push({ kind: 'link', href: input.link, zh: '查看考核站点', en: 'Open the exam site' });
  return renderMail({ zh: '【考核站点】考核站点资格已撤销', en: 'Exam site: accreditation revoked' }, blocks);
}

/** Tells the site its revocation case ended without revocation (dismissed, or undecided in time). */
export function revocationClosedMail(input: SiteRef & { outcome: 'dismissed' | 'overdue'; reason?: string; link: string }): RenderedMail {
  const text: Bilingual =
    input.outcome === 'dismissed'
      ? { zh: '经审查，决定不撤销贵单位考核站点资格，本案结案。', en: 'After review the case was dismissed: the site keeps its accreditation.' }
      : { zh: '本撤销案件未在期限内作出决定，已结案，站点资格不变。', en: 'The revocation case was not decided in time and is closed; the site keeps its accreditation.' };
  return renderMail({ zh: '【考核站点】撤销资格案件已结案', en: 'Exam site: revocation case closed' }, [
    { kind: 'paragraph', ...text },
    siteLine(input),
    ...(input.reason ? [{ kind: 'paragraph' as const, zh: `说明：${input.reason}`, en: `Reason given: ${input.reason}` }] : []),
    { kind: 'link', href: input.link, zh: '查看考核站点', en: 'Open the exam site' },
  ]);
}

/** The notice to the provincial education authority (Art.21 "向省级教育行政部门……报备"; policy for the Art.23 causes). */
export function authorityRevocationMail(input: SiteRef & { provinceName: Bilingual; cityCode: string; institutionId: string; cause: RevocationCauseName; article: string; revokedAt: string }): RenderedMail {
  const at = deadlineText(input.revokedAt);
  const c = REVOCATION_CAUSE_LABELS[input.cause];
  return renderMail({ zh: `【考核站点报备】${input.institutionName}考核站点资格已撤销`, en: `Exam-site notice: ${input.institutionName} revoked` }, [
    {
      kind: 'paragraph',
      zh: `${input.provinceName.zh}教育行政部门：根据《考核站点管理办法》，现将贵省以下考核站点资格撤销情况报备如下。`,
      en: `To the education authority of ${input.provinceName.en}: under the exam-site measures we notify you that the exam site below has been revoked.`,
    },
    {
      kind: 'list',
      zh: [`单位：${input.institutionName}（统一社会信用代码 ${input.institutionId}）`, `考核站点编号：${input.certificateNumber}`, `所在地市代码：${input.cityCode}`, `撤销事由：${c.zh}（${input.article}）`, `撤销时间：${at.zh}`],
      en: [`Institution: ${input.institutionName} (credit code ${input.institutionId})`, `Exam-site number: ${input.certificateNumber}`, `City code: ${input.cityCode}`, `Cause: ${c.en} (${input.article})`, `Revoked: ${at.en}`],
    },
  ]);
}

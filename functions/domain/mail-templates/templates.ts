import { type Block, type Bilingual, type FindingLine, type RenderedMail, deadlineText, findingsList, renderMail } from './layout.ts';

/**
 * The e-mails of the accreditation process (pure renderers). Each names the
 * application and institution, and cites the article the step rests on.
 */

export type DecisionKind =
  | 'applicant-correction'
  | 'material-review'
  | 'site-visit'
  | 'final-decision'
  | 'withdrawal'
  | 'revocation'
  | 'assessment'
  | 'sanction-confirmation'
  | 'rectification-review';

/** What a decision task asks for, in both languages. */
export const DECISION_KIND_LABELS: Readonly<Record<DecisionKind, Bilingual>> = Object.freeze({
  'applicant-correction': { zh: '补正申请材料', en: 'correction of the application' },
  'material-review': { zh: '申请材料审核', en: 'material review' },
  'site-visit': { zh: '实地考察', en: 'site visit' },
  'final-decision': { zh: '终审决定', en: 'final decision' },
  withdrawal: { zh: '考核站点退出申请审批', en: "decision on a site's withdrawal" },
  revocation: { zh: '撤销考核站点资格决定', en: 'decision on revoking a site' },
  assessment: { zh: '考核站点综合能力评估', en: "assessment of a site's evaluation" },
  'sanction-confirmation': { zh: '暂停考试复核确认', en: 'confirmation of an exam suspension' },
  'rectification-review': { zh: '整改复评', en: "review of a site's rectification" },
});

interface ApplicationRef {
  readonly applicationId: string;
  readonly institutionName: string;
}

const appLine = (a: ApplicationRef): Block => ({
  kind: 'paragraph',
  zh: `申请单位：${a.institutionName}；申请编号：${a.applicationId}`,
  en: `Applicant: ${a.institutionName}; application ${a.applicationId}`,
});

/** Asks the assignee to decide; the link carries the random decision id, never the task token. */
export function decisionRequestMail(input: ApplicationRef & { kind: DecisionKind; findingsCount: number; deadline: string; link: string }): RenderedMail {
  const label = DECISION_KIND_LABELS[input.kind];
  const due = deadlineText(input.deadline);
  return renderMail({ zh: `【考核站点】待办：${label.zh}`, en: `Exam site: ${label.en} requested` }, [
    { kind: 'paragraph', zh: `您好，请完成以下考核站点申请的${label.zh}（《考核站点管理办法》第四条）。`, en: `Please complete the ${label.en} of the exam-site application below (Art.4).` },
    appLine(input),
    {
      kind: 'paragraph',
      zh: `机器初审发现 ${input.findingsCount} 项问题；请在 ${due.zh} 前作出决定。`,
      en: `Screening recorded ${input.findingsCount} finding(s); please decide before ${due.en}.`,
    },
    { kind: 'link', href: input.link, zh: '打开待办（需登录）', en: 'Open the task (sign-in required)' },
  ]);
}

/** Reminds the assignee of a pending decision before its deadline. */
export function decisionReminderMail(input: ApplicationRef & { kind: DecisionKind; deadline: string; link: string }): RenderedMail {
  const label = DECISION_KIND_LABELS[input.kind];
  const due = deadlineText(input.deadline);
  return renderMail({ zh: `【考核站点】提醒：${label.zh}即将到期`, en: `Exam site reminder: ${label.en} due soon` }, [
    { kind: 'paragraph', zh: `以下申请的${label.zh}尚未完成，截止时间为 ${due.zh}。`, en: `The ${label.en} below is still pending; it is due ${due.en}.` },
    appLine(input),
    { kind: 'link', href: input.link, zh: '打开待办（需登录）', en: 'Open the task (sign-in required)' },
  ]);
}

/** Tells the admins a decision task expired; `overdue` when no further escalation follows. */
export function decisionEscalatedMail(input: ApplicationRef & { kind: DecisionKind; escalation: number; maxEscalations: number; overdue: boolean; adminLink: string }): RenderedMail {
  const label = DECISION_KIND_LABELS[input.kind];
  const next: Block = input.overdue
    ? {
        kind: 'paragraph',
        zh: `已超时 ${input.escalation} 次，申请已标记为“停滞”并保持当前状态：请管理员在管理看板中恢复（重新分派审核）或关闭该申请。`,
        en: `It has timed out ${input.escalation} times; the application is marked stalled and keeps its status: resume it (reassign the review) or close it from the admin dashboard.`,
      }
    : {
        kind: 'paragraph',
        zh: `这是第 ${input.escalation} 次升级（最多 ${input.maxEscalations} 次）；系统已重新分派任务，必要时请改派。`,
        en: `This is escalation ${input.escalation} of at most ${input.maxEscalations}; a new task was assigned; reassign it if needed.`,
      };
  return renderMail({ zh: `【考核站点】升级：${label.zh}超时`, en: `Exam site escalation: ${label.en} overdue` }, [
    { kind: 'paragraph', zh: `以下申请的${label.zh}未在期限内完成，任务已过期。`, en: `The ${label.en} below was not completed in time; the task expired.` },
    appLine(input),
    next,
    { kind: 'link', href: input.adminLink, zh: '查看申请', en: 'Open the application' },
  ]);
}

/** The application is returned for correction: every finding with its article, and the deadline. */
export function applicationReturnedMail(input: ApplicationRef & { findings: readonly FindingLine[]; reason?: string; deadline: string; round: number; maxRounds: number; link: string }): RenderedMail {
  const due = deadlineText(input.deadline);
  const blocks: Block[] = [
    { kind: 'paragraph', zh: '您提交的考核站点申请需要补正（《考核站点管理办法》第三条、第四条）。', en: 'Your exam-site application has been returned for correction (Art.3, Art.4).' },
    appLine(input),
  ];
  if (input.reason) blocks.push({ kind: 'paragraph', zh: `审核意见：${input.reason}`, en: `Reviewer's note: ${input.reason}` });
  blocks.push(
    { kind: 'paragraph', zh: `需补正的问题（共 ${input.findings.length} 项）：`, en: `Findings to correct (${input.findings.length}):` },
    findingsList(input.findings),
    {
      kind: 'paragraph',
      zh: `请在 ${due.zh} 前修改并重新提交；这是第 ${input.round} 次退回（最多 ${input.maxRounds} 次），逾期未提交的申请将被关闭。`,
      en: `Please correct and resubmit before ${due.en}. This is return ${input.round} of at most ${input.maxRounds}; an application not resubmitted in time is closed.`,
    },
    { kind: 'link', href: input.link, zh: '修改申请（需登录）', en: 'Edit the application (sign-in required)' },
  );
  return renderMail({ zh: '【考核站点】申请需补正', en: 'Exam site application returned for correction' }, blocks);
}

/** Refused at screening: not a pilot college (Art.3(2)). */
export function applicationRefusedMail(input: ApplicationRef & { findings: readonly FindingLine[] }): RenderedMail {
  return renderMail({ zh: '【考核站点】申请未予受理', en: 'Exam site application refused' }, [
    {
      kind: 'paragraph',
      zh: '根据《考核站点管理办法》第三条第二款，试点期间仅试点院校可以申报考核站点，暂不支持非试点院校和企业单位申报。您的申请未予受理。',
      en: 'Under Art.3(2), during the pilot only pilot colleges may apply for an exam site; non-pilot colleges and enterprises cannot. Your application is refused.',
    },
    appLine(input),
    findingsList(input.findings),
  ]);
}

/** Rejected after review or at the final decision; a new application may follow. */
export function applicationRejectedMail(input: ApplicationRef & { reason: string; article: string }): RenderedMail {
  return renderMail({ zh: '【考核站点】申请未通过', en: 'Exam site application rejected' }, [
    { kind: 'paragraph', zh: `您的考核站点申请未通过（${input.article}）。`, en: `Your exam-site application was rejected (${input.article}).` },
    appLine(input),
    { kind: 'paragraph', zh: `理由：${input.reason}`, en: `Reason: ${input.reason}` },
    { kind: 'paragraph', zh: '条件具备后，贵单位可以提交新的申请。', en: 'Your institution may submit a new application once it meets the standard.' },
  ]);
}

/** Closed: the correction deadline passed, or the last return round was used (policy). */
export function applicationClosedMail(input: ApplicationRef & { why: 'deadline' | 'rounds' | 'stalled'; maxRounds: number; findings: readonly FindingLine[]; reason?: string }): RenderedMail {
  const why: Block =
    input.why === 'deadline'
      ? { kind: 'paragraph', zh: '补正期限已过，未收到重新提交的申请，申请已关闭。', en: 'The correction deadline passed without a resubmission; the application is closed.' }
      : input.why === 'stalled'
        ? {
            kind: 'paragraph',
            zh: `贵单位申请的审核未能完成，培训评价组织已关闭该申请。说明：${input.reason ?? ''}`,
            en: `The review of your application could not be completed and the organisation has closed it. Note: ${input.reason ?? ''}`,
          }
        : {
          kind: 'paragraph',
          zh: `申请已被退回 ${input.maxRounds} 次，仍未符合要求，申请已关闭。`,
          en: `The application was returned ${input.maxRounds} times and still does not meet the standard; it is closed.`,
        };
  const blocks: Block[] = [why, appLine(input)];
  if (input.findings.length > 0) blocks.push(findingsList(input.findings));
  blocks.push({ kind: 'paragraph', zh: '贵单位可以提交新的申请。', en: 'Your institution may submit a new application.' });
  return renderMail({ zh: '【考核站点】申请已关闭', en: 'Exam site application closed' }, blocks);
}

/** Approved: the site is active and may hold exams (Art.4, Art.5). */
export function siteActivatedMail(input: ApplicationRef & { certificateNumber: string; activatedAt: string; link: string }): RenderedMail {
  const at = deadlineText(input.activatedAt);
  return renderMail({ zh: '【考核站点】申请已通过，站点已启用', en: 'Exam site approved and active' }, [
    {
      kind: 'paragraph',
      zh: `恭喜！经材料审核和实地考察，贵单位的考核站点申请已通过（《考核站点管理办法》第四条），自 ${at.zh} 起可组织本校学生及社会人员参加考核（第五条）。`,
      en: `Your exam-site application has been approved after material review and site visit (Art.4). From ${at.en} the site may run exams for its own students and the public (Art.5).`,
    },
    appLine(input),
    { kind: 'paragraph', zh: `考核站点编号：${input.certificateNumber}`, en: `Exam-site number: ${input.certificateNumber}` },
    {
      kind: 'paragraph',
      zh: '请注意：连续两年未正常开展考核工作的站点将被撤销（第二十三条第一款）。',
      en: 'Note: a site that holds no exams for two years is revoked (Art.23(1)).',
    },
    { kind: 'link', href: input.link, zh: '查看考核站点', en: 'Open the exam site' },
  ]);
}

import { type Bilingual, type Block, type RenderedMail, deadlineText, renderMail } from './layout.ts';

/**
 * The e-mails of an assessment and a rectification (Art.21): to the
 * reviewer who decides, and to the site. Pure renderers; the site is named
 * as the register shows it, never a person.
 */

interface SiteRef {
  readonly institutionName: string;
  readonly certificateNumber: string;
}

const siteLine = (s: SiteRef): Block => ({
  kind: 'paragraph',
  zh: `考核站点：${s.institutionName}（编号 ${s.certificateNumber}）`,
  en: `Exam site: ${s.institutionName} (number ${s.certificateNumber})`,
});

const ASK: Readonly<Record<'assessment' | 'sanction-confirmation' | 'rectification-review', { subject: Bilingual; body: Bilingual }>> = {
  assessment: {
    subject: { zh: '【考核站点】待办：综合能力评估', en: "Exam site: assess a site's evaluation" },
    body: { zh: '请根据考核站点提交的检查评估汇报材料，按评估标准进行综合能力评估（《考核站点管理办法》第二十一条）。', en: "Please assess the site's evaluation report against the rubric (Art.21)." },
  },
  'sanction-confirmation': {
    subject: { zh: '【考核站点】待办：暂停考试复核确认', en: 'Exam site: confirm an exam suspension' },
    body: {
      zh: '另一名评估人员建议暂停该考核站点的考试并限期整改，须由第二人确认（第二十一条）。不予确认时，站点限期整改但不暂停考试。',
      en: 'Another reviewer proposes to suspend this site from exams with a rectification deadline; a second person must confirm (Art.21). If you reject it, the site rectifies without a suspension.',
    },
  },
  'rectification-review': {
    subject: { zh: '【考核站点】待办：整改复评', en: "Exam site: review a site's rectification" },
    body: { zh: '考核站点已提交整改报告，请复评：通过则恢复，未通过则依第二十一条提请取消考核站点资质。', en: "The site submitted its rectification report. Review it: passed, the site is restored; failed, its revocation is proposed under Art.21." },
  },
};

/** Asks a reviewer to decide; the link carries the random decision id, never the task token. */
export function supervisionDecisionRequestMail(input: SiteRef & { kind: 'assessment' | 'sanction-confirmation' | 'rectification-review'; deadline: string; link: string }): RenderedMail {
  const ask = ASK[input.kind];
  const due = deadlineText(input.deadline);
  return renderMail(ask.subject, [
    { kind: 'paragraph', ...ask.body },
    siteLine(input),
    { kind: 'paragraph', zh: `请于 ${due.zh} 前处理。`, en: `Please decide by ${due.en}.` },
    { kind: 'link', href: input.link, zh: '打开待办（需登录）', en: 'Open the task (sign-in required)' },
  ]);
}

/** Tells the site the outcome of its assessment (Art.21), with the ladder's escalation when one applied. */
export function assessmentOutcomeMail(
  input: SiteRef & { campaignTitle: string; outcome: Bilingual; escalations: readonly Bilingual[]; reason: string; pendingConfirmation: boolean; link: string },
): RenderedMail {
  const blocks: Block[] = [
    { kind: 'paragraph', zh: `检查评估“${input.campaignTitle}”的综合能力评估结论：${input.outcome.zh}（第二十一条）。`, en: `The assessment of "${input.campaignTitle}": ${input.outcome.en} (Art.21).` },
    siteLine(input),
    { kind: 'paragraph', zh: `评估意见：${input.reason}`, en: `Reviewer's note: ${input.reason}` },
  ];
  if (input.escalations.length > 0) {
    blocks.push({ kind: 'list', zh: input.escalations.map((e) => `升级：${e.zh}`), en: input.escalations.map((e) => `Escalated: ${e.en}`) });
  }
  if (input.pendingConfirmation) blocks.push({ kind: 'paragraph', zh: '暂停考试须经第二人确认，确认结果将另行通知。', en: 'A second person must confirm the suspension; you will be told the result.' });
  blocks.push({ kind: 'link', href: input.link, zh: '查看评估结果', en: 'Open the assessment' });
  return renderMail({ zh: `【考核站点】综合能力评估结果：${input.outcome.zh}`, en: `Exam-site assessment: ${input.outcome.en}` }, blocks);
}

/** Art.21 "限期整改": the deadline of the rectification, with or without an exam suspension. */
export function rectificationOpenedMail(input: SiteRef & { suspended: boolean; deadline: string; reason: string; link: string }): RenderedMail {
  const due = deadlineText(input.deadline);
  return renderMail(
    input.suspended ? { zh: '【考核站点】暂停考试并限期整改通知', en: 'Exam site: suspended from exams, rectification due' } : { zh: '【考核站点】限期整改通知', en: 'Exam site: rectification due' },
    [
      siteLine(input),
      input.suspended
        ? { kind: 'paragraph', zh: '依《考核站点管理办法》第二十一条，贵站点暂停考试：整改通过前不得安排或组织考试，已安排的考试已取消。', en: 'Under Art.21 your site is suspended from exams: it may not schedule or hold a session until its rectification passes; scheduled sessions were cancelled.' }
        : { kind: 'paragraph', zh: '依《考核站点管理办法》第二十一条，贵站点须限期整改。', en: 'Under Art.21 your site must put things right by a deadline.' },
      { kind: 'paragraph', zh: `原因：${input.reason}`, en: `Why: ${input.reason}` },
      { kind: 'paragraph', zh: `请于 ${due.zh} 前提交整改报告。逾期未提交或整改后仍不符合要求的，将取消考核站点资质。`, en: `Submit your rectification report by ${due.en}. A site that misses the deadline or still fails after rectification is revoked.` },
      { kind: 'link', href: input.link, zh: '提交整改报告', en: 'Submit the rectification report' },
    ],
  );
}

/** The end of a rectification: passed (restored when suspended), failed or missed (revocation proposed, Art.21). */
export function rectificationOutcomeMail(input: SiteRef & { outcome: 'passed' | 'failed' | 'missed'; restored: boolean; reason?: string; link: string }): RenderedMail {
  const subject: Bilingual =
    input.outcome === 'passed'
      ? { zh: '【考核站点】整改复评通过', en: 'Exam site: rectification passed' }
      : input.outcome === 'failed'
        ? { zh: '【考核站点】整改复评未通过', en: 'Exam site: rectification failed' }
        : { zh: '【考核站点】整改报告逾期未提交', en: 'Exam site: rectification report not submitted' };
  const body: Block =
    input.outcome === 'passed'
      ? { kind: 'paragraph', zh: input.restored ? '整改复评通过，贵站点已恢复考试（第二十一条）。' : '整改复评通过（第二十一条）。', en: input.restored ? 'Your rectification passed; the site may hold exams again (Art.21).' : 'Your rectification passed (Art.21).' }
      : {
          kind: 'paragraph',
          zh: '依第二十一条“整改后仍不符合要求的，取消其考核站点认证资质”，已提请撤销贵站点资质；贵站点将收到立案通知，可在期限内陈述申辩。',
          en: 'Under Art.21 a site that still fails after rectification is revoked: a revocation case was opened; you will be told of it and may answer within its window.',
        };
  return renderMail(subject, [
    siteLine(input),
    body,
    ...(input.reason ? [{ kind: 'paragraph' as const, zh: `复评意见：${input.reason}`, en: `Reviewer's note: ${input.reason}` }] : []),
    { kind: 'link', href: input.link, zh: '查看考核站点', en: 'Open the exam site' },
  ]);
}

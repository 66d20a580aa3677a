import { deadlineText, renderMail, type RenderedMail } from './layout.ts';

/** What the supervision e-mails say of a site's evaluation. */
interface EvaluationRef {
  readonly institutionName: string;
  readonly campaignTitle: string;
  readonly deadline: string;
  readonly link: string;
}

const contents = {
  zh: '汇报材料须包括：考试场地及设备设施情况、考务组织情况、考试违纪违规及考试事故情况，以及下一阶段工作计划（第二十条）。',
  en: 'The report covers the exam venue and equipment, the organisation of the exams, violations and incidents, and the next-stage work plan (Art.20).',
};

/** Art.19–20: the notice of an evaluation, with its deadline and what to submit. */
export function evaluationNoticeMail(input: EvaluationRef): RenderedMail {
  const due = deadlineText(input.deadline);
  return renderMail({ zh: `【考核站点】检查评估通知：${input.campaignTitle}`, en: `Exam-site evaluation: ${input.campaignTitle}` }, [
    {
      kind: 'paragraph',
      zh: `${input.institutionName}：培训评价组织对考核站点考务实施情况开展检查评估（《考核站点管理办法》第十九条）。请于 ${due.zh} 前提交检查评估汇报材料及下一阶段工作计划。`,
      en: `${input.institutionName}: the organisation is evaluating how its exam sites run their exams (Art.19). Please submit your evaluation report and next-stage work plan by ${due.en}.`,
    },
    { kind: 'paragraph', ...contents },
    { kind: 'paragraph', zh: '逾期未提交视为评估不合格（第二十条“在规定的时间内”）。', en: 'A report not submitted by the deadline counts as a failed evaluation (Art.20).' },
    { kind: 'link', href: input.link, zh: '填写检查评估汇报', en: 'Write the evaluation report' },
  ]);
}

/** A reminder before the deadline to a site that has not submitted. */
export function evaluationReminderMail(input: EvaluationRef): RenderedMail {
  const due = deadlineText(input.deadline);
  return renderMail({ zh: `【考核站点】检查评估汇报即将截止：${input.campaignTitle}`, en: `Evaluation report due soon: ${input.campaignTitle}` }, [
    {
      kind: 'paragraph',
      zh: `${input.institutionName}：您的检查评估汇报尚未提交，截止时间为 ${due.zh}。`,
      en: `${input.institutionName}: your evaluation report has not been submitted yet; it is due by ${due.en}.`,
    },
    { kind: 'paragraph', ...contents },
    { kind: 'link', href: input.link, zh: '填写检查评估汇报', en: 'Write the evaluation report' },
  ]);
}

/** Art.20: the deadline passed without a report; recorded as a failed evaluation. */
export function evaluationMissedMail(input: EvaluationRef): RenderedMail {
  const due = deadlineText(input.deadline);
  return renderMail({ zh: `【考核站点】检查评估汇报逾期未提交：${input.campaignTitle}`, en: `Evaluation report not submitted: ${input.campaignTitle}` }, [
    {
      kind: 'paragraph',
      zh: `${input.institutionName}：检查评估汇报截止时间 ${due.zh} 已过，贵站点未提交，按第二十条记为评估不合格，培训评价组织将依第二十一条处理。`,
      en: `${input.institutionName}: the deadline of ${due.en} passed without your report. Under Art.20 this is recorded as a failed evaluation; the organisation will act under Art.21.`,
    },
    { kind: 'link', href: input.link, zh: '查看考核站点', en: 'Open the exam site' },
  ]);
}

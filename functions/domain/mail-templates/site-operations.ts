import { deadlineText, renderMail, type RenderedMail } from './layout.ts';

/**
 * Mail of the site's working life (Art.13–14, Art.23(1)): zh-CN first,
 * English second, no personal data of candidates.
 */

/**
 * The two-year rule's warning (Art.23(1), policy: 90 and 30 days before):
 * the site is told when it will be revoked unless it holds an exam session.
 */
export function inactivityWarningMail(input: { certificateNumber: string; institutionName: string; daysBefore: number; deadline: string; link: string }): RenderedMail {
  const at = deadlineText(input.deadline);
  return renderMail({ zh: `【考核站点】两年未组织考试将被撤销：剩余 ${input.daysBefore} 天`, en: `Exam site: revocation for inactivity in ${input.daysBefore} days` }, [
    {
      kind: 'paragraph',
      zh: `${input.institutionName}考核站点（编号 ${input.certificateNumber}）自上次组织考试（或站点启用）以来尚未正常开展考核工作。依据《考核站点管理办法》第二十三条第一款，两年内未能正常开展工作的考核站点将被撤消资格。`,
      en: `The exam site of ${input.institutionName} (number ${input.certificateNumber}) has held no exam session since its last one (or its activation). Under Art.23(1), a site that does not operate normally for two years is revoked.`,
    },
    {
      kind: 'paragraph',
      zh: `如在 ${at.zh} 之前仍未组织并记录一场考试，站点资格将被撤销。`,
      en: `Unless a session is held and recorded before ${at.en}, the site will be revoked.`,
    },
    { kind: 'link', href: input.link, zh: '安排考试', en: 'Schedule a session' },
  ]);
}

import type { Bilingual } from './api.ts';

/**
 * Labels of the values the API returns (statuses, kinds, outcomes) and of
 * the choices of the form. Field labels come from
 * schemas/application-form.schema.ts (`fieldLabels`), not from here.
 */
const L = (zh: string, en: string): Bilingual => ({ zh, en });

export const APPLICATION_STATUS_LABELS: Record<string, Bilingual> = {
  DRAFT: L('草稿', 'Draft'),
  SUBMITTED: L('已提交', 'Submitted'),
  SCREENING: L('形式审查中', 'Screening'),
  UNDER_REVIEW: L('材料审核中', 'Under review'),
  RETURNED: L('退回补正', 'Returned for correction'),
  SITE_VISIT: L('实地考察', 'Site visit'),
  DECISION: L('待最终决定', 'Awaiting final decision'),
  APPROVED: L('已批准', 'Approved'),
  REJECTED: L('未批准', 'Rejected'),
  CLOSED: L('已关闭', 'Closed'),
};

export const DECISION_KIND_LABELS: Record<string, Bilingual> = {
  'applicant-correction': L('申请单位补正', 'Correction by the applicant'),
  'material-review': L('材料审核', 'Material review'),
  'site-visit': L('实地考察', 'Site visit'),
  'final-decision': L('最终决定', 'Final decision'),
  withdrawal: L('考核站点退出申请审批', "Decision on a site's withdrawal"),
  revocation: L('撤销考核站点资格决定', 'Decision on revoking a site'),
  assessment: L('综合能力评估', 'Assessment of an evaluation'),
  'sanction-confirmation': L('暂停考试复核确认', 'Confirmation of an exam suspension'),
  'rectification-review': L('整改复评', 'Review of a rectification'),
};

export const OUTCOME_LABELS: Record<string, Bilingual> = {
  'approve-for-visit': L('通过，进入实地考察', 'Approve for a site visit'),
  return: L('退回补正', 'Return for correction'),
  reject: L('不予批准', 'Reject'),
  approve: L('批准', 'Approve'),
  resubmitted: L('已重新提交', 'Resubmitted'),
  refuse: L('不符合申请条件', 'Refused'),
  pass: L('通过', 'Passed'),
  close: L('关闭', 'Closed'),
  agree: L('同意退出', 'Agree to the withdrawal'),
  decline: L('不同意', 'Decline'),
  revoke: L('撤销资格', 'Revoke'),
  dismiss: L('不予撤销', 'Dismiss the case'),
  // Art.21: assessment, confirmation, rectification review.
  warning: L('合格，给予警告', 'Pass with a warning'),
  rectify: L('限期整改', 'Rectification with a deadline'),
  'suspend-and-rectify': L('暂停考试并限期整改', 'Exam suspension and rectification'),
  'propose-revocation': L('提请取消考核站点资质', 'Propose revocation'),
  confirm: L('确认暂停', 'Confirm the suspension'),
  fail: L('未通过', 'Failed'),
};

export const DECISION_STATUS_LABELS: Record<string, Bilingual> = {
  pending: L('待处理', 'Pending'),
  decided: L('已决定', 'Decided'),
  expired: L('已过期', 'Expired'),
  reassigned: L('已改派', 'Reassigned'),
};

export const EVIDENCE_STATUS_LABELS: Record<string, Bilingual> = {
  missing: L('缺少', 'Missing'),
  pending: L('校验中', 'Being checked'),
  valid: L('有效', 'Valid'),
  invalid: L('无效', 'Invalid'),
};

export const EVIDENCE_TAG_LABELS: Record<string, Bilingual> = {
  'exam-room': L('考场', 'Exam room'),
  equipment: L('设备设施', 'Equipment'),
  'exam-office': L('考务办公室', 'Exam-affairs office'),
  management: L('管理制度', 'Management rules'),
  safety: L('安全制度', 'Safety rules'),
  confidentiality: L('保密制度', 'Confidentiality rules'),
  other: L('其他', 'Other'),
};

export const SEVERITY_LABELS: Record<string, Bilingual> = {
  blocking: L('不符合', 'Not met'),
  advisory: L('建议', 'Advisory'),
};

/** Choices of the form's enumerations, by enum value. */
export const CHOICE_LABELS: Record<string, Bilingual> = {
  'higher-vocational-college': L('高等职业院校', 'Higher vocational college'),
  undergraduate: L('本科院校', 'Undergraduate institution'),
  'secondary-vocational': L('中等职业学校', 'Secondary vocational school'),
  enterprise: L('企业', 'Enterprise'),
  'every-seat': L('每个考位就座（考位间距不小于 1 米）', 'Every seat used (seats at least 1 m apart)'),
  'alternate-seat': L('隔位而坐（同时容纳考位数的一半）', 'Alternate seating (half the seats at once)'),
  leader: L('考点负责人', 'Leader'),
  'patrol-inspector': L('巡考员', 'Patrol inspector'),
  invigilator: L('监考员', 'Invigilator'),
  'exam-executor': L('考务执行人员', 'Exam executor'),
  'technical-support': L('技术支持人员', 'Technical support'),
  logistics: L('后勤保障人员', 'Logistics'),
  'celeron-pentium': L('赛扬/奔腾', 'Celeron / Pentium'),
  'core-i3': L('酷睿 i3', 'Core i3'),
  'core-i5': L('酷睿 i5', 'Core i5'),
  'core-i7': L('酷睿 i7', 'Core i7'),
  'core-i9': L('酷睿 i9', 'Core i9'),
  'windows-7': L('Windows 7', 'Windows 7'),
  'windows-8': L('Windows 8', 'Windows 8'),
  'windows-8.1': L('Windows 8.1', 'Windows 8.1'),
  'windows-10': L('Windows 10', 'Windows 10'),
  'windows-11': L('Windows 11', 'Windows 11'),
  'zh-CN': L('简体中文', 'Simplified Chinese'),
  'zh-TW': L('繁体中文', 'Traditional Chinese'),
  en: L('英文', 'English'),
  none: L('未安装', 'None'),
  'acl-ip': L('基于 IP 的访问控制', 'IP access control'),
  'acl-url-wildcard': L('URL 通配符访问控制', 'URL wildcard access control'),
  'dns-filter': L('DNS 过滤', 'DNS filtering'),
  'keyword-filter': L('关键字过滤', 'Keyword filtering'),
  'per-user-time-policy': L('按用户/时间的策略', 'Per-user and time policies'),
  'behaviour-management': L('上网行为管理', 'Behaviour management'),
  'domain-filter-notice': L('域名过滤提示', 'Domain filter notice'),
  'web-management': L('Web 管理', 'Web management'),
  'remote-management': L('远程管理', 'Remote management'),
  'fixed-lan-ip': L('固定局域网 IP', 'Fixed LAN IP'),
  'exam-paper-leak': L('试卷泄密', 'Exam paper leak'),
  stampede: L('踩踏', 'Stampede'),
  other: L('其他', 'Other'),
};

/** A label, or the raw value when none is known. */
export function labelOf(table: Record<string, Bilingual>, value: string | undefined): Bilingual {
  if (!value) return { zh: '', en: '' };
  return table[value] ?? { zh: value, en: value };
}

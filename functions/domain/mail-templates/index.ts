export { escapeHtml, beijingTime, deadlineText, renderMail, findingsList, type RenderedMail, type Bilingual, type Block, type FindingLine } from './layout.ts';
export {
  DECISION_KIND_LABELS,
  decisionRequestMail,
  decisionReminderMail,
  decisionEscalatedMail,
  applicationReturnedMail,
  applicationRefusedMail,
  applicationRejectedMail,
  applicationClosedMail,
  siteActivatedMail,
  type DecisionKind,
} from './templates.ts';
export {
  REVOCATION_CAUSE_LABELS,
  siteDecisionRequestMail,
  withdrawalOutcomeMail,
  revocationNoticeMail,
  siteRevokedMail,
  revocationClosedMail,
  authorityRevocationMail,
  type RevocationCauseName,
  type SiteRef,
} from './site-exit.ts';
export { inactivityWarningMail } from './site-operations.ts';

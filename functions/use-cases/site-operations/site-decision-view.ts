import type { DecisionRecord } from '../../adapters/stores/decisions.ts';
import { openSessionsOf } from '../../adapters/stores/sessions.ts';
import { getRevocation, getWithdrawal } from '../../adapters/stores/site-cases.ts';
import { getSite } from '../../adapters/stores/sites.ts';
import { siteDecisionRequestMail, type RenderedMail } from '../../domain/mail-templates/index.ts';
import { portalLink } from '../accreditation/workflow-step.ts';

/** The site and case fields a decision record carries for a withdrawal or revocation decision. */
type SiteDecision = Pick<DecisionRecord, 'kind' | 'decisionId' | 'deadline'> & { siteId?: unknown; caseId?: unknown };

const idOf = (value: unknown) => (typeof value === 'string' && value ? value : undefined);

/**
 * What the deciding admin reads beside a withdrawal or revocation decision:
 * the site, and the request (with the sessions still open, Art.22) or the
 * case (cause, reason, urgency, the site's representation). Undefined for
 * other decisions. Never the task token, never who opened the case.
 */
export async function siteCaseOfDecision(decision: SiteDecision) {
  const siteId = idOf(decision.siteId);
  const caseId = idOf(decision.caseId);
  if (!siteId || (decision.kind !== 'withdrawal' && decision.kind !== 'revocation')) return undefined;
  const site = await getSite(siteId);
  if (!site) return undefined;
  const summary = { site: { siteId, certificateNumber: site.certificateNumber, institutionName: site.institutionName, status: site.status } };
  if (decision.kind === 'withdrawal') {
    const request = caseId ? await getWithdrawal(siteId, caseId) : undefined;
    if (!request) return summary;
    return { ...summary, withdrawal: { withdrawalId: request.withdrawalId, reason: request.reason, requestedAt: request.requestedAt, openSessions: (await openSessionsOf(siteId)).length } };
  }
  const revocation = caseId ? await getRevocation(siteId, caseId) : undefined;
  if (!revocation) return summary;
  return {
    ...summary,
    revocation: {
      revocationId: revocation.revocationId,
      cause: revocation.cause,
      article: revocation.article,
      reason: revocation.reason,
      evidenceIds: revocation.evidenceIds,
      urgentReason: revocation.urgentReason,
      representation: revocation.representation
        ? { text: revocation.representation.text, evidenceIds: revocation.representation.evidenceIds, submittedAt: revocation.representation.submittedAt }
        : null,
    },
  };
}

/** The e-mail asking an admin to decide a site's withdrawal or revocation, with the link to its page (never the task token). */
export async function siteDecisionRequestMailFor(decision: SiteDecision): Promise<RenderedMail> {
  const siteId = idOf(decision.siteId);
  const site = siteId ? await getSite(siteId) : undefined;
  const caseId = idOf(decision.caseId);
  const cause = decision.kind === 'revocation' && siteId && caseId ? (await getRevocation(siteId, caseId))?.cause : undefined;
  return siteDecisionRequestMail({
    kind: decision.kind === 'withdrawal' ? 'withdrawal' : 'revocation',
    institutionName: site?.institutionName ?? '',
    certificateNumber: site?.certificateNumber ?? '',
    ...(cause ? { cause } : {}),
    deadline: decision.deadline,
    link: portalLink(`/decisions/${decision.decisionId}`),
  });
}

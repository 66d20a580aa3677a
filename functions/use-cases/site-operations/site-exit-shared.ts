import type { SiteRecord } from '../../adapters/stores/sites.ts';
import type { Actor } from '../../adapters/stores/table.ts';
import { DomainError, NotFoundError } from '../../domain/errors.ts';
import type { Refusal } from '../../domain/site-operations/operating-rules.ts';
import { getSite } from '../../adapters/stores/sites.ts';
import { applicantEmails } from '../accreditation/workflow-step.ts';
import { isStaff } from '../applications/access.ts';
import { requireMembership } from '../registry/membership.ts';
import type { Caller } from '../../shared/identity.ts';
import type { WorkflowAudit } from '../../../schemas/api/accreditation.schema.ts';

/**
 * What withdrawal and revocation share: the site as its members or staff
 * may see it, refusals as API errors, the step's actor, the site's e-mail
 * addresses.
 */

/** A rule of the operating rules refused the request (409 with its code and article). */
export class SiteRuleRefusedError extends DomainError {
  constructor(refusal: Refusal) {
    super(refusal.code, 'conflict', refusal.zh, refusal.en, refusal.article);
  }
}

/** The site, for a member of its institution (another institution's answers 404) or for staff. */
export async function siteForCaller(caller: Caller, siteId: string, options: { staff: boolean; member: boolean }): Promise<SiteRecord> {
  const site = await getSite(siteId);
  if (!site) throw new NotFoundError('Site', '考核站点');
  if (isStaff(caller)) {
    if (options.staff) return site;
    throw new NotFoundError('Site', '考核站点');
  }
  const membership = await requireMembership(caller);
  if (!options.member || membership.creditCode !== site.institutionId) throw new NotFoundError('Site', '考核站点');
  return site;
}

/** The site or a 404 (inside a workflow: a configuration fault, not retried). */
export async function mustGetSite(siteId: string): Promise<SiteRecord> {
  const site = await getSite(siteId);
  if (!site) throw new NotFoundError('Site', '考核站点');
  return site;
}

/** The e-mail addresses of the site's institution (its members). */
export function siteEmails(site: SiteRecord): Promise<string[]> {
  return applicantEmails(site.institutionId);
}

/** Who decided, from the decision the workflow holds: the admin, or the timer. */
export function deciderActor(decidedBy: string | undefined, fallback: Actor): Actor {
  if (!decidedBy) return fallback;
  if (decidedBy.startsWith('system:')) return { kind: 'system', id: decidedBy };
  return { kind: 'user', id: decidedBy, role: 'admin' };
}

/** The workflow step as actor. */
export function stepActor(workflow: 'site-withdrawal' | 'site-revocation', audit: WorkflowAudit): Actor {
  return { kind: 'system', id: `workflow:${workflow}`, role: audit.stateName };
}

import { EVIDENCE_KIND_SPECS, EVIDENCE_KINDS, type EvidenceKind, type EvidenceKindSpec } from '../../../schemas/evidence.schema.ts';
import { getApplication } from '../../adapters/stores/applications.ts';
import { getMembership } from '../../adapters/stores/staff.ts';
import { getPilotCollege } from '../../adapters/stores/register.ts';
import { getSite } from '../../adapters/stores/sites.ts';
import { listDecisionsOfApplication } from '../../adapters/stores/decisions.ts';
import { type Actor } from '../../adapters/stores/table.ts';
import { ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import { appConfig } from '../../shared/env.ts';
import { actorOf, type Group, type Principal } from '../../shared/identity.ts';
import {
  ApplicationNotEditableError,
  EvidenceKindUnknownError,
  NotAssignedVisitorError,
  SiteDocumentsClosedError,
  SiteNotAccreditedError,
  SiteVisitNotInProgressError,
} from './evidence-errors.ts';

/**
 * Who may see and change an application's evidence. Tenancy comes from the
 * membership record keyed by the token's `sub` (never from a token claim);
 * an applicant asking about another institution's application gets 404, as
 * if it did not exist.
 */

/** The claim the identity provider puts groups in (`cognito:groups` unless configured). */
export function groupsClaim(): string {
  const identity = appConfig().identity;
  return identity.kind === 'oidc' ? identity.groupsClaim : 'cognito:groups';
}

/** What the evidence area needs from an application record (owned by the accreditation area). */
export interface ApplicationView {
  readonly id: string;
  readonly status: string;
  readonly creditCode: string;
  /** The site the approval created (Art.4), once APPROVED. */
  readonly siteId?: string;
}

/** The application, or 404. */
export async function loadApplication(applicationId: string): Promise<ApplicationView> {
  const application = await getApplication(applicationId);
  if (!application) throw new NotFoundError('Application', '申请');
  return { id: applicationId, status: application.status, creditCode: application.creditCode, ...(application.siteId ? { siteId: application.siteId } : {}) };
}

/** The institution (credit code) a signed-in user acts for: only from the membership record keyed by `sub`. */
export async function institutionOf(sub: string): Promise<string | undefined> {
  return (await getMembership(sub))?.creditCode;
}

/** True when the application's institution is on the pilot register (Art.3(2): no legal-person certificate needed). */
export async function isPilotCollege(application: ApplicationView): Promise<boolean> {
  const entry = application.creditCode ? await getPilotCollege(application.creditCode) : undefined;
  return entry?.active === true;
}

/** True when the principal is an applicant member of the application's institution. */
export async function isApplicantOf(principal: Principal, application: ApplicationView): Promise<boolean> {
  if (!principal.groups.includes('applicant') || !application.creditCode) return false;
  return (await institutionOf(principal.sub)) === application.creditCode;
}

export function isStaff(principal: Principal): boolean {
  return principal.groups.includes('reviewer') || principal.groups.includes('admin');
}

/** How a reader sees an application's evidence. */
export type ReaderRole = 'staff' | 'applicant';

/**
 * Reviewers and admins read every application's evidence; an applicant only
 * its institution's (404 otherwise); anyone else is refused.
 */
export async function authoriseRead(principal: Principal, applicationId: string): Promise<{ application: ApplicationView; role: ReaderRole }> {
  if (!isStaff(principal) && !principal.groups.includes('applicant')) throw new ForbiddenError();
  const application = await loadApplication(applicationId);
  if (isStaff(principal)) return { application, role: 'staff' };
  if (await isApplicantOf(principal, application)) return { application, role: 'applicant' };
  throw new NotFoundError('Application', '申请');
}

/** Applicants change their evidence while the application is a draft or returned for correction (Art.4). */
export const APPLICANT_EDITABLE_STATUSES: readonly string[] = ['DRAFT', 'RETURNED'];

/** The kind's rules, or 400 for a kind that does not exist. */
export function kindSpec(kind: string): EvidenceKindSpec {
  if (!(EVIDENCE_KINDS as readonly string[]).includes(kind)) throw new EvidenceKindUnknownError(kind);
  return EVIDENCE_KIND_SPECS[kind as EvidenceKind];
}

/** Site statuses in which the site's later-life files may still be added: not after it left the register (Art.22, Art.23). */
export const SITE_DOCUMENT_STATUSES: readonly string[] = ['ACTIVE', 'SUSPENDED'];

/**
 * The accredited site of an application, for the kinds of the site's later
 * life: the application must be APPROVED with its site ACTIVE or SUSPENDED
 * (a WITHDRAWN or REVOKED site adds nothing more to its record).
 */
async function openSiteOf(application: ApplicationView, spec: EvidenceKindSpec): Promise<void> {
  const site = application.status === 'APPROVED' && application.siteId ? await getSite(application.siteId) : undefined;
  if (!site) throw new SiteNotAccreditedError(spec, application.status);
  if (!SITE_DOCUMENT_STATUSES.includes(site.status)) throw new SiteDocumentsClosedError(spec, site.status);
}

/**
 * May this principal add or remove files of this kind now? Site documents
 * (Art.20, Art.21, Art.23): a member of the site's institution while the
 * site is ACTIVE or SUSPENDED; staff never. Case evidence (Art.23): an admin,
 * same site statuses. Applicant kinds:
 * an applicant of the institution while DRAFT or RETURNED. Site-visit photos
 * (Art.4): the reviewer assigned to the pending site-visit task while the
 * application is in SITE_VISIT.
 */
export async function authoriseChange(principal: Principal, application: ApplicationView, spec: EvidenceKindSpec): Promise<Actor> {
  if (spec.uploadedBy === 'site') {
    if (isStaff(principal) || !principal.groups.includes('applicant')) {
      throw new ForbiddenError("Only the site's own members upload its documents.", '只有考核站点所属单位的人员可以上传站点文件。');
    }
    if (!(await isApplicantOf(principal, application))) throw new NotFoundError('Application', '申请');
    await openSiteOf(application, spec);
    return actorOf(principal, 'applicant');
  }
  if (spec.uploadedBy === 'admin') {
    if (!principal.groups.includes('admin')) throw new ForbiddenError('Only an administrator adds revocation case evidence.', '只有管理员可以上传撤销案件证据。');
    await openSiteOf(application, spec);
    return actorOf(principal, 'admin');
  }
  if (spec.uploadedBy === 'reviewer') {
    if (!principal.groups.includes('reviewer')) throw new ForbiddenError('Only a reviewer adds site-visit photos.', '只有审核人员可以上传实地考察照片。');
    if (application.status !== 'SITE_VISIT') throw new SiteVisitNotInProgressError(application.status);
    const decisions = await listDecisionsOfApplication(application.id);
    const assigned = decisions.some((d) => d.kind === 'site-visit' && d.status === 'pending' && d.assigneeSub === principal.sub);
    if (!assigned) throw new NotAssignedVisitorError();
    return actorOf(principal, 'reviewer');
  }
  if (!principal.groups.includes('applicant')) throw new ForbiddenError('Only the applicant institution uploads its evidence.', '只有申请单位可以上传支撑材料。');
  if (!(await isApplicantOf(principal, application))) throw new NotFoundError('Application', '申请');
  if (!APPLICANT_EDITABLE_STATUSES.includes(application.status)) throw new ApplicationNotEditableError(application.status);
  return actorOf(principal, 'applicant');
}

/** The role a staff reader acted in, for the audit trail. */
export function readerGroup(principal: Principal, role: ReaderRole): Group {
  if (role === 'applicant') return 'applicant';
  return principal.groups.includes('reviewer') ? 'reviewer' : 'admin';
}

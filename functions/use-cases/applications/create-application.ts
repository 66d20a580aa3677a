import { ulid } from 'ulid';
import { type ApplicationRecord, createApplication as createApplicationRecord, getApplication, getOpenApplicationId } from '../../adapters/stores/applications.ts';
import { listSitesOfInstitution } from '../../adapters/stores/sites.ts';
import { DomainError } from '../../domain/errors.ts';
import { CURRENT_STANDARD_VERSION } from '../../domain/screening/standard-versions.ts';
import { nowMs } from '../../shared/clock.ts';
import { actorOf, type Caller } from '../../shared/identity.ts';
import { requireMembership } from '../registry/membership.ts';
import { applicationView, type ApplicationView, CLOSED_STATUSES } from './access.ts';

/** An institution has at most one open application; a rejected or closed one may be followed by a new one. */
export class ApplicationAlreadyOpenError extends DomainError {
  constructor(applicationId: string) {
    super(
      'APPLICATION_ALREADY_OPEN',
      'conflict',
      '贵单位已有一份尚未办结的申请，请继续办理该申请。',
      'Your institution already has an open application; continue with it.',
      undefined,
      { applicationId },
    );
  }
}

/** An institution that already runs an exam site (ACTIVE or SUSPENDED) does not apply again (Art.5: the accreditation is of the institution). */
export class SiteAlreadyAccreditedError extends DomainError {
  constructor(siteId: string, certificateNumber: string) {
    super(
      'SITE_ALREADY_ACCREDITED',
      'conflict',
      `贵单位已是认证考核站点（证书编号 ${certificateNumber}），无需再次申报。`,
      `Your institution is already an accredited exam site (certificate ${certificateNumber}); no new application is needed.`,
      'Art.5',
      { siteId, certificateNumber },
    );
  }
}

/**
 * Opens a DRAFT application for the caller's institution (from the
 * membership, never from the token), with the institution section prefilled
 * and the current standard version recorded. Eligibility (Art.3(2)) is not
 * judged here but at screening, from the pilot register.
 */
export async function createApplication(caller: Caller): Promise<ApplicationView> {
  const membership = await requireMembership(caller);
  const current = (await listSitesOfInstitution(membership.creditCode)).find((s) => s.status === 'ACTIVE' || s.status === 'SUSPENDED');
  if (current) throw new SiteAlreadyAccreditedError(current.siteId, current.certificateNumber);
  const openId = await getOpenApplicationId(membership.creditCode);
  if (openId) {
    const open = await getApplication(openId);
    if (open && !CLOSED_STATUSES.includes(open.status)) throw new ApplicationAlreadyOpenError(open.id);
  }
  const createdMs = nowMs();
  const at = new Date(createdMs).toISOString();
  const record: ApplicationRecord = {
    id: ulid(createdMs),
    creditCode: membership.creditCode,
    institutionName: membership.institutionName,
    provinceCode: membership.provinceCode,
    cityCode: membership.cityCode,
    status: 'DRAFT',
    version: 1,
    standardVersion: CURRENT_STANDARD_VERSION,
    form: {
      institution: {
        name: membership.institutionName,
        creditCode: membership.creditCode,
        provinceCode: membership.provinceCode,
        cityCode: membership.cityCode,
      },
    },
    round: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: caller.sub,
  };
  const outcome = await createApplicationRecord(
    record,
    { key: { at, key: caller.requestId }, event: { actor: actorOf(caller, 'applicant'), action: 'application-created', to: 'DRAFT', article: 'Art.3' } },
    openId,
  );
  if (outcome === 'open') {
    // Another request opened one between our read and our write.
    throw new ApplicationAlreadyOpenError((await getOpenApplicationId(membership.creditCode)) ?? '');
  }
  return applicationView(record);
}

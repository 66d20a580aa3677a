import { getSite, type SiteRecord } from '../../adapters/stores/sites.ts';
import { ForbiddenError, NotFoundError } from '../../domain/errors.ts';
import type { Caller } from '../../shared/identity.ts';
import { isStaff } from '../applications/access.ts';
import { requireMembership } from '../registry/membership.ts';

/** Another institution's site answers as if it did not exist (no hint that it does). */
const siteNotFound = () => new NotFoundError('Site', '考核站点');

/**
 * A site the caller may read: reviewers and admins read every site; a
 * college reads its own (tenancy from the membership record, never the
 * token), another institution's is 404.
 */
export async function readableSite(caller: Caller, siteId: string): Promise<{ site: SiteRecord; staff: boolean }> {
  const staff = isStaff(caller);
  const [site, membership] = await Promise.all([getSite(siteId), staff ? undefined : requireMembership(caller)]);
  if (!site) throw siteNotFound();
  if (membership && membership.creditCode !== site.institutionId) throw siteNotFound();
  return { site, staff };
}

/**
 * A site the caller acts for: a member of its institution. Staff are never
 * members of an institution, so they read a site's records but never
 * write them for it (403); another institution's site is 404.
 */
export async function ownSite(caller: Caller, siteId: string): Promise<SiteRecord> {
  if (isStaff(caller)) {
    throw new ForbiddenError("Only the site's own members record its duties.", '仅考核站点本单位人员可记录其工作职责。');
  }
  const { site } = await readableSite(caller, siteId);
  return site;
}

import type { z } from 'zod/mini';
import type { siteTimelineEventSchema } from '../../../schemas/api/sites.schema.ts';
import { listSiteAuditPage } from '../../adapters/stores/sites.ts';
import type { Page } from '../../adapters/stores/table.ts';
import type { Caller } from '../../shared/identity.ts';
import { toTimeline } from '../applications/timeline.ts';
import { readableSite } from './site-access.ts';

export type SiteTimelineEvent = z.infer<typeof siteTimelineEventSchema>;

const STAFF_ROLES = new Set(['reviewer', 'admin']);

/** How a person acting for the college is shown: by role, never by name. */
const SITE_MEMBER = { zh: '考核站点人员', en: 'Site staff' } as const;

/**
 * A site's timeline (its audit trail, oldest first, paged): who, when, what,
 * from → to, the article and the reason. Readable by reviewers and admins
 * and by the site's own members (another institution: 404). Actors appear as
 * their role, the organisation's staff with their name; no id, no e-mail,
 * no details (they may hold notes or names).
 */
export async function getSiteTimeline(caller: Caller, siteId: string, page: { cursor?: string; limit?: number }): Promise<Page<SiteTimelineEvent>> {
  await readableSite(caller, siteId);
  const out = await listSiteAuditPage(siteId, page);
  const events = await toTimeline(out.items, false);
  return {
    items: events.map((e) => {
      const staffActor = e.actor.kind === 'user' && STAFF_ROLES.has(e.actor.role ?? '');
      const displayName = e.actor.kind === 'system' || staffActor ? e.actor.displayName : SITE_MEMBER;
      return {
        at: e.at,
        action: e.action,
        actor: { kind: e.actor.kind, ...(e.actor.role ? { role: e.actor.role } : {}), displayName },
        ...(e.from ? { from: e.from } : {}),
        ...(e.to ? { to: e.to } : {}),
        ...(e.article ? { article: e.article } : {}),
        ...(e.reason ? { reason: e.reason } : {}),
      };
    }),
    cursor: out.cursor,
  };
}

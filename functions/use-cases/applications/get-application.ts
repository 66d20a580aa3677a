import type { z } from 'zod/mini';
import type { applicationDetailSchema } from '../../../schemas/api/applications.schema.ts';
import { applicationAuditPage, applicationAuditTrail } from '../../adapters/stores/applications.ts';
import { type Page } from '../../adapters/stores/table.ts';
import { type Caller, requireGroup } from '../../shared/identity.ts';
import { applicationView, isStaff, loadVisibleApplication } from './access.ts';
import { DECISION_TARGETS, type TimelineEvent, toTimeline } from './timeline.ts';

export type ApplicationDetail = z.infer<typeof applicationDetailSchema>;

/**
 * An application as its applicant reads the result on the platform (Art.4):
 * status, form, the standard version, the latest screening result with the
 * articles of its findings, the decisions with their reasons, and the whole
 * timeline. Another institution's application is 404.
 */
export async function getApplicationDetail(caller: Caller, id: string): Promise<ApplicationDetail> {
  const app = await loadVisibleApplication(caller, id);
  const timeline = await toTimeline(await applicationAuditTrail(id), isStaff(caller));
  return {
    application: applicationView(app),
    ...(app.screening ? { screening: app.screening } : {}),
    decisions: timeline.filter((e) => e.to !== undefined && DECISION_TARGETS.includes(e.to)),
    timeline,
  };
}

/** The full audit trail of an application, one page at a time (reviewers and admins). */
export async function getApplicationAudit(caller: Caller, id: string, page: { cursor?: string; limit?: number }): Promise<Page<TimelineEvent>> {
  requireGroup(caller, 'reviewer', 'admin');
  await loadVisibleApplication(caller, id);
  const out = await applicationAuditPage(id, page);
  return { items: await toTimeline(out.items, true), cursor: out.cursor };
}

import { ulid } from 'ulid';
import { getSite, siteCreationOps, type SiteRecord } from '../../adapters/stores/sites.ts';
import { transitionApplication, type ApplicationRecord } from '../../adapters/stores/applications.ts';
import { assertTransition } from '../../domain/application-lifecycle.ts';
import { accreditedRooms, getStandard } from '../../domain/screening/index.ts';
import { applicationFormSchema, pruneEmpty, upgradeStoredForm } from '../../../schemas/application-form.schema.ts';
import { siteActivatedMail } from '../../domain/mail-templates/index.ts';
import type { ActivateSiteTaskInput } from '../../../schemas/api/accreditation.schema.ts';
import type { ApplicationDecided } from '../../../schemas/events/application-decided.schema.ts';
import type { SiteActivated } from '../../../schemas/events/site-activated.schema.ts';
import { armInactivityTimer, timerUpdateOf } from '../site-operations/inactivity-timer.ts';
import {
  applicantEmails,
  mailIdOf,
  mustGetApplication,
  portalLink,
  sendMail,
  stepAuditKey,
  stepKeyOf,
  workflowActor,
} from './workflow-step.ts';

const DAY_MS = 86_400_000;
/** Art.23(1) timer: the first milestone is the warning 90 days before the inactivity limit. */
const FIRST_WARNING_DAYS = 90;

/** `CBEC-<provinceCode>-<year>-<last 6 characters of the site's ULID>`, the year in Beijing time. */
export function certificateNumber(provinceCode: string, activatedAt: string, siteId: string): string {
  const year = new Date(Date.parse(activatedAt) + 8 * 3600_000).getUTCFullYear();
  return `CBEC-${provinceCode}-${year}-${siteId.slice(-6)}`;
}

/**
 * The first inactivity milestone (Art.23(1), policy `inactivityDays`):
 * activatedAt + inactivityDays − 90 days (never before the activation).
 */
export function firstMilestoneAt(activatedAt: string, inactivityDays: number): string {
  return new Date(Date.parse(activatedAt) + Math.max(inactivityDays - FIRST_WARNING_DAYS, 0) * DAY_MS).toISOString();
}

/**
 * DECISION → APPROVED and, in the same transaction, the ACTIVE site with its
 * audit item (Art.4: review and visit done; Art.5: the site may hold exams).
 * The SiteActivated and ApplicationDecided events are published by the
 * workflow after this step (retried there until they go out).
 */
export async function activateSite(input: ActivateSiteTaskInput): Promise<{ applicationDecided: ApplicationDecided; siteActivated: SiteActivated }> {
  const app: ApplicationRecord = await mustGetApplication(input.applicationId);
  const key = stepAuditKey(input.audit);
  const actor = workflowActor(input.audit);
  const activatedAt = key.at;
  let site: SiteRecord | undefined = app.status === 'APPROVED' && app.siteId ? await getSite(app.siteId) : undefined;
  if (!site) {
    const siteId = ulid(Date.parse(activatedAt));
    // Art.9(2): the site is accredited for the rooms that meet the standard it was screened against.
    const form = applicationFormSchema.safeParse(pruneEmpty(upgradeStoredForm(app.form)));
    const rooms = form.success ? accreditedRooms(form.data.examRooms, getStandard(app.screening?.standardVersion ?? app.standardVersion)) : [];
    const candidate: SiteRecord = {
      siteId,
      certificateNumber: certificateNumber(app.provinceCode, activatedAt, siteId),
      status: 'ACTIVE',
      version: 0,
      institutionId: app.creditCode,
      institutionName: app.institutionName,
      provinceCode: app.provinceCode,
      cityCode: app.cityCode,
      applicationId: app.id,
      activatedAt,
      accreditedRooms: rooms,
      lastExamAt: null,
      // Art.23(1): the two-year period runs from the activation; its first milestone is the T-90 warning.
      ...timerUpdateOf({ anchorAt: activatedAt, suspendedMs: 0, warned: [] }),
      createdAt: activatedAt,
      updatedAt: activatedAt,
    };
    const reason = input.decision?.reason ?? 'approved';
    const { record, replayed } = await transitionApplication({
      id: app.id,
      triggers: ['approve'],
      set: { siteId, decision: { outcome: 'approve', reason, article: 'Art.4', decidedBy: input.decision?.decidedBy ?? null }, decidedAt: activatedAt },
      audit: { key, event: { actor, reason, details: { siteId, decidedBy: input.decision?.decidedBy ?? null } } },
      extra: siteCreationOps(candidate, { key, event: { actor, action: 'activate', article: 'Art.5', reason: `application ${app.id} approved`, details: { applicationId: app.id } } }),
    });
    site = replayed && record.siteId ? await getSite(record.siteId) : candidate;
    if (!site) throw new Error('the approved application names no readable site');
  }
  // The site's one-time schedule at its first milestone (create-or-update: a retried step arms the same one).
  await armInactivityTimer(site.siteId);
  const eventId = `${input.audit.executionName}#${input.audit.stateName}`;
  await sendMail(
    await applicantEmails(app.creditCode),
    siteActivatedMail({ applicationId: app.id, institutionName: app.institutionName, certificateNumber: site.certificateNumber, activatedAt: site.activatedAt, link: portalLink(`/sites/${site.siteId}`) }),
    mailIdOf('site-activated', stepKeyOf(input.audit)),
    'site-activated',
  );
  return {
    applicationDecided: {
      version: 1,
      eventId,
      applicationId: app.id,
      institutionId: app.creditCode,
      status: 'APPROVED',
      outcome: 'approve',
      article: 'Art.4',
      decidedAt: site.activatedAt,
      siteId: site.siteId,
    },
    siteActivated: {
      version: 1,
      eventId,
      siteId: site.siteId,
      certificateNumber: site.certificateNumber,
      applicationId: app.id,
      institutionId: app.creditCode,
      institutionName: app.institutionName,
      provinceCode: site.provinceCode,
      cityCode: site.cityCode,
      activatedAt: site.activatedAt,
      nextMilestoneAt: site.nextMilestoneAt,
    },
  };
}

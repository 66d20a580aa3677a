import { createHash } from 'node:crypto';
import { enqueueMail } from '../../adapters/mailer.ts';
import { TransientError } from '../../domain/errors.ts';
import { getSite, updateSiteTimer, type SiteRecord } from '../../adapters/stores/sites.ts';
import { listInstitutionMembers } from '../../adapters/stores/staff.ts';
import type { Actor } from '../../adapters/stores/table.ts';
import { afterWarned, classifyFire, type FireVerdict, type Milestone, type MilestoneKind } from '../../domain/site-operations/inactivity.ts';
import { inactivityWarningMail } from '../../domain/mail-templates/index.ts';
import type { SiteMilestoneTaskInput } from '../../../schemas/api/sessions.schema.ts';
import { nowIso } from '../../shared/clock.ts';
import { appConfig } from '../../shared/env.ts';
import { logger } from '../../shared/logger.ts';
import { armInactivityTimer, inactivityPolicy, inactivityStateOf, timerUpdateOf } from './inactivity-timer.ts';
import { startRevocation } from './revocation.ts';

/**
 * The steps of `workflows/site-milestone`: each re-reads the site and
 * decides from what is stored now, so a stale, early, duplicate or late
 * fire does no harm. Idempotent: audit keys and mail ids come from the site,
 * the milestone and the step.
 */

/** The timer as the audit actor. */
const TIMER: Actor = { kind: 'system', id: 'timer:site-milestone', role: 'Art.23(1)' };

/** What a step returns to the workflow (`reason` is always present: the Choice reads it). */
export interface MilestoneStepResult {
  readonly action: 'warn' | 'revoke' | 'rearm' | 'none';
  readonly reason: string;
  readonly milestone?: Milestone;
}

function verdictOf(site: SiteRecord | undefined, fired: Milestone): FireVerdict {
  if (!site) return { action: 'rearm', reason: 'ended' };
  return classifyFire({ status: site.status, state: inactivityStateOf(site), policy: inactivityPolicy(), fired, now: nowIso() });
}

function resultOf(verdict: FireVerdict): MilestoneStepResult {
  if (verdict.action === 'rearm') return { action: 'rearm', reason: verdict.reason, ...(verdict.rearm ? { milestone: verdict.rearm } : {}) };
  return { action: verdict.action, reason: verdict.action === 'warn' ? 'due' : 'deadline', milestone: verdict.milestone };
}

/** A stable mail id: one warning per site, milestone and deadline, whatever retries or duplicate fires happen. */
export function warningMailId(siteId: string, kind: MilestoneKind, deadline: string): string {
  return `inactivity-warning-${createHash('sha256').update(`${siteId}#${kind}#${deadline}`).digest('hex').slice(0, 40)}`;
}

const daysBeforeOf = (kind: MilestoneKind): number => Number(kind.slice('warn-'.length));

/** Records the warning on the site (once per period), mails its members, arms the next milestone. */
async function warn(input: SiteMilestoneTaskInput): Promise<MilestoneStepResult> {
  const site = await getSite(input.siteId);
  const verdict = verdictOf(site, input.milestone as Milestone);
  if (verdict.action !== 'warn' || !site) {
    // Something changed since ClassifyFire (a session was held): arm what is due now, nothing else.
    await armInactivityTimer(input.siteId);
    return resultOf(verdict);
  }
  const { milestone, deadline } = verdict;
  const recorded = await updateSiteTimer(site, timerUpdateOf(afterWarned(inactivityStateOf(site), milestone.kind)), {
    key: { at: new Date(input.audit.enteredTime).toISOString(), key: `${input.audit.executionName}#${input.audit.stateName}` },
    event: { actor: TIMER, action: 'inactivity-warning', article: 'Art.23(1)', reason: `${milestone.kind}: revocation at ${deadline} unless a session is held`, details: { milestone: milestone.kind, deadline } },
  });
  // The site changed meanwhile (a concurrent write): the retry re-reads it.
  if (!recorded) throw new TransientError('the site changed while its warning was recorded; retry');
  const recipients = [...new Set((await listInstitutionMembers(site.institutionId)).map((m) => m.email).filter((e) => e.includes('@')))];
  if (recipients.length) {
    const mail = inactivityWarningMail({
      certificateNumber: site.certificateNumber,
      institutionName: site.institutionName,
      daysBefore: daysBeforeOf(milestone.kind),
      deadline,
      link: `${appConfig().portalOrigin.replace(/\/$/, '')}/sites/${site.siteId}/sessions`,
    });
    await enqueueMail({ id: warningMailId(site.siteId, milestone.kind, deadline), to: recipients, subject: mail.subject, text: mail.text, html: mail.html, tag: 'inactivity-warning' });
  } else {
    logger.warn('inactivity warning has no recipient; not mailed', { siteId: site.siteId, milestone: milestone.kind });
  }
  await armInactivityTimer(site.siteId);
  return { action: 'warn', reason: 'warned', milestone };
}

/** Deadline reached: the one revocation workflow takes over (cause inactivity, Art.23(1)). */
async function revoke(input: SiteMilestoneTaskInput): Promise<MilestoneStepResult> {
  const site = await getSite(input.siteId);
  const verdict = verdictOf(site, input.milestone as Milestone);
  if (verdict.action !== 'revoke' || !site) {
    await armInactivityTimer(input.siteId);
    return resultOf(verdict);
  }
  const state = inactivityStateOf(site);
  await startRevocation({
    siteId: site.siteId,
    cause: 'inactivity',
    reason: `No exam session held since ${state.anchorAt}; the two-year deadline ${verdict.milestone.at} has passed (Art.23(1)).`,
    openedBy: TIMER,
    auditKey: { at: new Date(input.audit.enteredTime).toISOString(), key: `${input.audit.executionName}#${input.audit.stateName}` },
  });
  return { action: 'revoke', reason: 'handed-to-revocation', milestone: verdict.milestone };
}

/** One step of the site-milestone workflow. */
export async function siteMilestoneStep(input: SiteMilestoneTaskInput): Promise<MilestoneStepResult> {
  switch (input.step) {
    case 'classify': {
      const result = resultOf(verdictOf(await getSite(input.siteId), input.milestone as Milestone));
      logger.info('site milestone fired', { siteId: input.siteId, fired: input.milestone.kind, action: result.action, reason: result.reason });
      return result;
    }
    case 'warn':
      return warn(input);
    case 'revoke':
      return revoke(input);
    case 'rearm':
      await armInactivityTimer(input.siteId);
      return { action: 'rearm', reason: 'rearmed' };
  }
}

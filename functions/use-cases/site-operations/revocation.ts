import { randomUUID } from 'node:crypto';
import { cancelOpenSessions } from '../../adapters/stores/sessions.ts';
import {
  createRevocation,
  endRevocation,
  endRevocationOps,
  getRevocation,
  markRevocationFailed,
  updateOpenRevocation,
  type RevocationRecord,
  type RevocationStatus,
} from '../../adapters/stores/site-cases.ts';
import { getSite, transitionSite, type SiteRecord } from '../../adapters/stores/sites.ts';
import type { Actor } from '../../adapters/stores/table.ts';
import { startWorkflow } from '../../adapters/workflows.ts';
import { ConflictError, DomainError, NotFoundError } from '../../domain/errors.ts';
import { authorityRevocationMail, revocationClosedMail, revocationNoticeMail, siteRevokedMail } from '../../domain/mail-templates/index.ts';
import { REVOCATION_CAUSES, representationWindowEnd, sameRevocationActor, type RevocationCause } from '../../domain/site-operations/revocation-causes.ts';
import { SITE_LIFECYCLE } from '../../domain/site-lifecycle.ts';
import type { SiteRevoked } from '../../../schemas/events/site-revoked.schema.ts';
import type { RevocationStepInput } from '../../../schemas/api/site-exit.schema.ts';
import { PROVINCES } from '../../../schemas/validators/region-codes.ts';
import { nowIso } from '../../shared/clock.ts';
import { appConfig } from '../../shared/env.ts';
import { logger } from '../../shared/logger.ts';
import { mailIdOf, portalLink, sendMail, stepAuditKey, stepKeyOf, workflowDeadlines } from '../accreditation/workflow-step.ts';
import { disarmInactivityTimer } from './inactivity-timer.ts';
import { deciderActor, mustGetSite, siteEmails, stepActor } from './site-exit-shared.ts';

const DAY_MS = 86_400_000;

/** The execution of a revocation case: one per case. */
export const revocationExecutionName = (revocationId: string) => `revocation-${revocationId}`;

/** The site cannot be revoked for this cause in its status (e.g. REVOKED already; inactivity while SUSPENDED: Art.23(1), time suspended does not count). */
export class SiteNotRevocableError extends DomainError {
  constructor(status: string, cause: RevocationCause) {
    super(
      'SITE_NOT_REVOCABLE',
      'conflict',
      `考核站点当前状态为 ${status}，不能以此事由撤销。`,
      `The site is ${status}; it cannot be revoked for ${cause}.`,
      REVOCATION_CAUSES[cause].article,
    );
  }
}

/** The site's province has no provincial education authority address: a configuration error, never a silent skip (Art.21). */
export class AuthorityAddressMissingError extends Error {
  constructor(provinceCode: string) {
    super(`no provincial education authority address for province ${provinceCode} (config provincialAuthorities, siteProvinces)`);
    this.name = 'AuthorityAddressMissingError';
  }
}

/** The four-eyes rule broke inside the workflow (the decision task should have excluded the opener). */
export class SameRevocationActorError extends ConflictError {
  constructor() {
    super('FOUR_EYES_REQUIRED', '立案的管理员不能决定同一撤销案件。', 'The admin who opened a revocation case may not decide it.');
  }
}

/** What `startRevocation` takes: the cause, why, and who opens the case. */
export interface StartRevocationInput {
  readonly siteId: string;
  readonly cause: RevocationCause;
  readonly reason: string;
  readonly evidenceIds?: string[];
  /** Skips the representation window (not for inactivity, which has none). */
  readonly urgent?: { readonly reason: string };
  readonly openedBy: Actor;
  /** Deterministic audit key of the opening (request id or workflow step); random when absent. */
  readonly auditKey?: { readonly at: string; readonly key: string };
}

function workflowInput(record: RevocationRecord, site: SiteRecord) {
  const d = workflowDeadlines();
  const route = record.cause === 'inactivity' ? 'inactivity' : record.urgentReason ? 'decide' : 'representation';
  return {
    revocationId: record.revocationId,
    siteId: site.siteId,
    applicationId: site.applicationId,
    institutionId: site.institutionId,
    cause: record.cause,
    route,
    openedBy: record.openedBy,
    deadlines: { representationSeconds: appConfig().deadlines.representationDays * 86_400, decisionSeconds: d.decisionSeconds, reminderSeconds: d.reminderSeconds },
  };
}

/**
 * Opens a revocation case and starts `workflows/site-revocation` (one for
 * every cause: Art.23(1) by the timer, Art.23(2)/(3) by an admin, Art.21 by
 * the supervision workflow). Idempotent per site, cause and open case: a
 * second start while one is open returns the open one.
 * @throws NotFoundError when the site does not exist; SiteNotRevocableError when its status has no row for the cause.
 */
export async function startRevocation(input: StartRevocationInput): Promise<{ revocationId: string; created: boolean }> {
  const site = await getSite(input.siteId);
  if (!site) throw new NotFoundError('Site', '考核站点');
  const rule = REVOCATION_CAUSES[input.cause];
  if (!SITE_LIFECYCLE.transitions.some((t) => t.trigger === rule.trigger && t.from === site.status)) throw new SiteNotRevocableError(site.status, input.cause);
  const revocationId = randomUUID();
  const at = input.auditKey?.at ?? nowIso();
  const record: RevocationRecord = {
    revocationId,
    siteId: site.siteId,
    cause: input.cause,
    article: rule.article,
    reason: input.reason,
    evidenceIds: input.evidenceIds ?? [],
    urgentReason: input.cause === 'inactivity' ? null : (input.urgent?.reason ?? null),
    openedBy: input.openedBy.kind === 'system' ? `system:${input.openedBy.id}` : input.openedBy.id,
    openedAt: at,
    status: 'open',
    executionName: revocationExecutionName(revocationId),
    windowEndsAt: null,
    representation: null,
    version: 1,
  };
  const { record: stored, created } = await createRevocation(record, {
    key: { at, key: input.auditKey?.key ?? `revocation-opened#${revocationId}` },
    event: {
      actor: input.openedBy,
      action: 'revocation-opened',
      article: rule.article,
      reason: input.reason,
      details: { revocationId, cause: input.cause, urgent: record.urgentReason !== null, evidence: record.evidenceIds.length },
    },
  });
  // Same name, same input: a start repeated while the case runs joins it.
  await startWorkflow('site-revocation', stored.executionName, workflowInput(stored, site)).catch((error: unknown) => {
    if (!(error instanceof Error && error.name === 'ExecutionAlreadyExists' && !created)) throw error;
  });
  logger.info('revocation opened', { siteId: site.siteId, revocationId: stored.revocationId, cause: input.cause, created });
  return { revocationId: stored.revocationId, created };
}

/**
 * Art.23(1) at the last moment: the site is still ACTIVE (a suspended one is
 * paused, an ended one gone) and its two years without a held session have
 * run (counted from the last session held, else from activation, plus any
 * time suspended).
 */
export function stillInactive(site: SiteRecord, now: string): boolean {
  if (site.status !== 'ACTIVE') return false;
  const anchor = Date.parse(site.lastExamAt ?? site.inactivitySince);
  const suspendedMs = typeof site.suspendedMs === 'number' ? site.suspendedMs : 0;
  return anchor + appConfig().deadlines.inactivityDays * DAY_MS + suspendedMs <= Date.parse(now);
}

/** The address of the site's provincial education authority; a missing one fails the step loudly (config error). */
function authorityAddress(site: SiteRecord): string {
  const address = appConfig().provincialAuthorities[site.provinceCode];
  if (!address) throw new AuthorityAddressMissingError(site.provinceCode);
  return address;
}

const siteRef = (site: SiteRecord) => ({ institutionName: site.institutionName, certificateNumber: site.certificateNumber });

/**
 * The steps of `workflows/site-revocation`, each idempotent: audit keys and
 * mail ids come from the step; a case that already ended answers as it
 * ended.
 */
export async function revocationStep(input: RevocationStepInput): Promise<Record<string, unknown>> {
  const record = await getRevocation(input.siteId, input.revocationId);
  if (!record) throw new NotFoundError('Revocation', '撤销案件');
  const key = stepAuditKey(input.audit);
  const at = key.at;
  const system = stepActor('site-revocation', input.audit);
  const answer = (status: RevocationStatus, extra: Record<string, unknown> = {}) => ({ revocationId: record.revocationId, status, ...extra });
  const article = record.article;
  const mail = async (site: SiteRecord, to: string[], rendered: Parameters<typeof sendMail>[1], tag: string) => sendMail(to, rendered, mailIdOf(tag, stepKeyOf(input.audit)), tag);

  switch (input.action) {
    case 'error':
      await markRevocationFailed(record, at, { key, event: { actor: system, action: 'revocation-failed', article, reason: String(input.failure?.Error ?? 'error'), details: { revocationId: record.revocationId } } });
      return answer('failed');

    case 'recheck': {
      if (record.status !== 'open') return answer(record.status, { stillInactive: false });
      const site = await mustGetSite(input.siteId);
      if (stillInactive(site, at)) return answer('open', { stillInactive: true });
      await endRevocation(record, 'spared', { sparedAt: at }, {
        key,
        event: { actor: system, action: 'revocation-spared', article, reason: `re-checked: status ${site.status}, last session held ${site.lastExamAt ?? 'none'}`, details: { revocationId: record.revocationId } },
      });
      return answer('spared', { stillInactive: false });
    }

    case 'open-representation': {
      const windowEndsAt = representationWindowEnd(at, (input.windowSeconds ?? 0) / 86_400, false) ?? at;
      const opened = await updateOpenRevocation(
        record,
        { set: { status: 'representation' satisfies RevocationStatus, taskToken: input.taskToken, windowEndsAt } },
        { key, event: { actor: system, action: 'representation-window-opened', article, reason: `the site may answer until ${windowEndsAt}`, details: { revocationId: record.revocationId, windowEndsAt } } },
      );
      // A retried step (new token) keeps the window it opened and refreshes the token.
      if (!opened && record.status === 'representation' && input.taskToken) {
        await updateOpenRevocation(record, { set: { taskToken: input.taskToken } }, { key: { at, key: `${key.key}#token-${input.taskToken.slice(-12)}` }, event: { actor: system, action: 'representation-token-renewed', article } });
      }
      const site = await mustGetSite(input.siteId);
      const stored = (await getRevocation(input.siteId, input.revocationId)) ?? record;
      await mail(site, await siteEmails(site), revocationNoticeMail({ ...siteRef(site), cause: record.cause, reason: record.reason, windowEndsAt: stored.windowEndsAt ?? windowEndsAt, link: portalLink(`/sites/${site.siteId}`) }), 'revocation-notice');
      return answer('representation', { windowEndsAt: stored.windowEndsAt ?? windowEndsAt });
    }

    case 'window-lapsed':
      await updateOpenRevocation(record, { set: { status: 'deciding' satisfies RevocationStatus }, remove: ['taskToken'] }, {
        key,
        event: { actor: system, action: 'representation-window-lapsed', article, reason: 'the window ended without a representation', details: { revocationId: record.revocationId } },
      });
      return answer('deciding');

    case 'notify-urgent': {
      await updateOpenRevocation(record, { set: { status: 'deciding' satisfies RevocationStatus } }, {
        key,
        event: { actor: system, action: 'revocation-urgent', article, reason: record.urgentReason ?? '', details: { revocationId: record.revocationId } },
      });
      const site = await mustGetSite(input.siteId);
      await mail(site, await siteEmails(site), revocationNoticeMail({ ...siteRef(site), cause: record.cause, reason: record.reason, urgentReason: record.urgentReason ?? '', link: portalLink(`/sites/${site.siteId}`) }), 'revocation-notice');
      return answer('deciding');
    }

    case 'revoke':
      return revoke(record, input, key);

    case 'dismiss':
    case 'overdue': {
      const status: RevocationStatus = input.action === 'dismiss' ? 'dismissed' : 'overdue';
      const decision = input.decision ?? undefined;
      await endRevocation(record, status, { decidedAt: at, ...(decision?.decidedBy ? { decidedBy: decision.decidedBy } : {}), ...(decision?.reason ? { decisionReason: decision.reason } : {}) }, {
        key,
        event: { actor: deciderActor(input.action === 'dismiss' ? decision?.decidedBy : undefined, system), action: `revocation-${status}`, article, reason: decision?.reason ?? 'no decision after the escalations', details: { revocationId: record.revocationId } },
      });
      const site = await mustGetSite(input.siteId);
      await mail(site, await siteEmails(site), revocationClosedMail({ ...siteRef(site), outcome: status === 'dismissed' ? 'dismissed' : 'overdue', reason: decision?.reason, link: portalLink(`/sites/${site.siteId}`) }), `revocation-${status}`);
      return answer(status);
    }
  }
}

/**
 * RevokeSite: → REVOKED by the cause's lifecycle row, with the case's end,
 * in one transaction; then sessions cancelled, timer removed, the site and
 * the provincial authority mailed; returns the SiteRevoked event. The
 * authority's address is checked first, so a configuration gap changes
 * nothing.
 */
async function revoke(record: RevocationRecord, input: RevocationStepInput, key: { at: string; key: string }): Promise<Record<string, unknown>> {
  const at = key.at;
  const site = await mustGetSite(input.siteId);
  const authority = authorityAddress(site);
  const decision = input.decision ?? undefined;
  const decidedBy = decision?.decidedBy;
  if (record.cause !== 'inactivity' && decidedBy && sameRevocationActor(record.openedBy, decidedBy)) throw new SameRevocationActorError();
  if (record.status !== 'revoked') {
    const cancelled = await cancelOpenSessions(site.siteId, { at, article: record.article, revocationId: record.revocationId });
    await transitionSite({
      siteId: site.siteId,
      trigger: REVOCATION_CAUSES[record.cause].trigger,
      audit: {
        key,
        event: {
          actor: deciderActor(decidedBy, stepActor('site-revocation', input.audit)),
          reason: record.reason,
          details: { revocationId: record.revocationId, cause: record.cause, openedBy: record.openedBy, decisionReason: decision?.reason ?? null, sessionsCancelled: cancelled.length },
        },
      },
      extra: endRevocationOps(record, 'revoked', { decidedAt: at, decidedBy: decidedBy ?? 'system', ...(decision?.reason ? { decisionReason: decision.reason } : {}), sessionsCancelled: cancelled.length }),
    });
  }
  const stored = (await getRevocation(site.siteId, record.revocationId)) ?? record;
  const sessionsCancelled = stored.sessionsCancelled ?? 0;
  const revokedAt = stored.decidedAt ?? at;
  await disarmInactivityTimer(site.siteId);
  const link = portalLink(`/sites/${site.siteId}`);
  await sendMail(await siteEmails(site), siteRevokedMail({ ...siteRef(site), cause: record.cause, article: record.article, revokedAt, sessionsCancelled, link }), mailIdOf('site-revoked', stepKeyOf(input.audit)), 'site-revoked');
  const province = PROVINCES.find((p) => p.code === site.provinceCode);
  await sendMail(
    [authority],
    authorityRevocationMail({
      ...siteRef(site),
      provinceName: { zh: province?.zh ?? site.provinceCode, en: province?.en ?? site.provinceCode },
      cityCode: site.cityCode,
      institutionId: site.institutionId,
      cause: record.cause,
      article: record.article,
      revokedAt,
    }),
    mailIdOf('authority-revocation', stepKeyOf(input.audit)),
    'authority-revocation',
  );
  const siteRevoked: SiteRevoked = {
    version: 1,
    eventId: `${input.audit.executionName}#${input.audit.stateName}`,
    siteId: site.siteId,
    certificateNumber: site.certificateNumber,
    institutionId: site.institutionId,
    provinceCode: site.provinceCode,
    cityCode: site.cityCode,
    revocationId: record.revocationId,
    cause: record.cause,
    article: record.article,
    revokedAt,
    sessionsCancelled,
  };
  logger.info('site revoked', { siteId: site.siteId, revocationId: record.revocationId, cause: record.cause });
  return { revocationId: record.revocationId, status: 'revoked', siteRevoked };
}

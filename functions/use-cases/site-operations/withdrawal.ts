import { randomUUID } from 'node:crypto';
import { openSessionsOf } from '../../adapters/stores/sessions.ts';
import { createWithdrawal, endWithdrawal, endWithdrawalOps, getWithdrawal, markWithdrawalFailed, type WithdrawalRecord, type WithdrawalStatus } from '../../adapters/stores/site-cases.ts';
import { transitionSite } from '../../adapters/stores/sites.ts';
import { startWorkflow } from '../../adapters/workflows.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { withdrawalOutcomeMail } from '../../domain/mail-templates/index.ts';
import { refuseWithdrawal } from '../../domain/site-operations/operating-rules.ts';
import type { WorkflowAudit } from '../../../schemas/api/accreditation.schema.ts';
import type { WithdrawalBody, WithdrawalStepInput } from '../../../schemas/api/site-exit.schema.ts';
import { nowIso } from '../../shared/clock.ts';
import { actorOf, requireGroup, type Caller } from '../../shared/identity.ts';
import { logger } from '../../shared/logger.ts';
import { mailIdOf, portalLink, sendMail, stepAuditKey, stepKeyOf, workflowDeadlines } from '../accreditation/workflow-step.ts';
import { disarmInactivityTimer } from './inactivity-timer.ts';
import { deciderActor, mustGetSite, SiteRuleRefusedError, siteEmails, siteForCaller, stepActor } from './site-exit-shared.ts';

/** The execution of a withdrawal request: one per request. */
export const withdrawalExecutionName = (withdrawalId: string) => `withdrawal-${withdrawalId}`;

/** What a withdrawal request looks like to its site and to staff. */
export function withdrawalView(w: WithdrawalRecord) {
  return {
    withdrawalId: w.withdrawalId,
    siteId: w.siteId,
    status: w.status,
    reason: w.reason,
    requestedAt: w.requestedAt,
    ...(w.decidedAt ? { decidedAt: w.decidedAt } : {}),
    ...(w.decisionReason ? { decisionReason: w.decisionReason } : {}),
  };
}

/**
 * `POST /v1/sites/{siteId}/withdrawal` by a member of the site's
 * institution (Art.22). Refused while the site is not ACTIVE or has a
 * session scheduled or in progress ("在没有组织考试的情况下"). One open
 * request per site: asking again returns the pending one.
 */
export async function requestWithdrawal(caller: Caller, siteId: string, body: WithdrawalBody, requestId: string) {
  requireGroup(caller, 'applicant');
  const site = await siteForCaller(caller, siteId, { staff: false, member: true });
  const refusal = refuseWithdrawal(site.status, await openSessionsOf(siteId));
  if (refusal) throw new SiteRuleRefusedError(refusal);
  const withdrawalId = randomUUID();
  const at = nowIso();
  const record: WithdrawalRecord = {
    withdrawalId,
    siteId,
    status: 'pending',
    reason: body.reason,
    requestedBy: caller.sub,
    requestedAt: at,
    executionName: withdrawalExecutionName(withdrawalId),
    version: 1,
  };
  const { record: stored, created } = await createWithdrawal(record, {
    key: { at, key: requestId },
    event: { actor: actorOf(caller, 'applicant'), action: 'withdrawal-requested', article: 'Art.22', reason: body.reason, details: { withdrawalId } },
  });
  const d = workflowDeadlines();
  // The same name and input while it runs: a retried request starts it once.
  await startWorkflow('site-withdrawal', stored.executionName, {
    withdrawalId: stored.withdrawalId,
    siteId,
    applicationId: site.applicationId,
    institutionId: site.institutionId,
    deadlines: { decisionSeconds: d.decisionSeconds, reminderSeconds: d.reminderSeconds },
  }).catch((error: unknown) => {
    if (!(error instanceof Error && error.name === 'ExecutionAlreadyExists' && !created)) throw error;
  });
  logger.info('withdrawal requested', { siteId, withdrawalId: stored.withdrawalId, created });
  return { ...withdrawalView(stored), alreadyPending: !created };
}

async function mailOutcome(siteId: string, outcome: 'withdrawn' | 'declined' | 'refused' | 'lapsed', reason: string | undefined, audit: WorkflowAudit) {
  const site = await mustGetSite(siteId);
  await sendMail(
    await siteEmails(site),
    withdrawalOutcomeMail({ institutionName: site.institutionName, certificateNumber: site.certificateNumber, outcome, reason, link: portalLink(`/sites/${siteId}`) }),
    mailIdOf(`withdrawal-${outcome}`, stepKeyOf(audit)),
    `withdrawal-${outcome}`,
  );
}

/**
 * The steps of `workflows/site-withdrawal`. Each is idempotent: a retried
 * step finds the request already ended (or its audit item written) and
 * answers the same; mail ids come from the step.
 */
export async function withdrawalStep(input: WithdrawalStepInput): Promise<{ withdrawalId: string; status: WithdrawalStatus; code?: string }> {
  const record = await getWithdrawal(input.siteId, input.withdrawalId);
  if (!record) throw new NotFoundError('Withdrawal', '退出申请');
  const key = stepAuditKey(input.audit);
  const at = key.at;
  const decision = input.decision ?? undefined;
  const actor = deciderActor(decision?.decidedBy, stepActor('site-withdrawal', input.audit));
  const decided = { decidedBy: decision?.decidedBy ?? actor.id, decidedAt: at, ...(decision?.reason ? { decisionReason: decision.reason } : {}) };
  const done = (status: WithdrawalStatus, code?: string) => ({ withdrawalId: record.withdrawalId, status, ...(code ? { code } : {}) });

  if (input.action === 'error') {
    await markWithdrawalFailed(record, at, { key, event: { actor: stepActor('site-withdrawal', input.audit), action: 'withdrawal-failed', article: 'Art.22', reason: String(input.failure?.Error ?? 'error'), details: { withdrawalId: record.withdrawalId } } });
    return done('failed');
  }
  if (record.status !== 'pending') return done(record.status);

  if (input.action === 'agree') {
    const site = await mustGetSite(input.siteId);
    // Art.22, again at agreement: a session scheduled since the request stops it.
    const refusal = refuseWithdrawal(site.status, await openSessionsOf(input.siteId));
    if (refusal) {
      await endWithdrawal(record, 'refused', { ...decided, refusalCode: refusal.code }, { key, event: { actor, action: 'withdrawal-refused', article: 'Art.22', reason: refusal.en, details: { withdrawalId: record.withdrawalId, code: refusal.code } } });
      await mailOutcome(input.siteId, 'refused', undefined, input.audit);
      return done('refused', refusal.code);
    }
    await transitionSite({
      siteId: input.siteId,
      trigger: 'withdraw',
      audit: { key, event: { actor, reason: decision?.reason ?? record.reason, details: { withdrawalId: record.withdrawalId, requestedBy: record.requestedBy, requestReason: record.reason } } },
      extra: endWithdrawalOps(record, 'withdrawn', decided),
    });
    await disarmInactivityTimer(input.siteId);
    await mailOutcome(input.siteId, 'withdrawn', decision?.reason, input.audit);
    logger.info('site withdrawn', { siteId: input.siteId, withdrawalId: record.withdrawalId });
    return done('withdrawn');
  }
  const status: WithdrawalStatus = input.action === 'decline' ? 'declined' : 'lapsed';
  await endWithdrawal(record, status, decided, {
    key,
    event: { actor, action: `withdrawal-${status}`, article: 'Art.22', reason: decision?.reason ?? (status === 'lapsed' ? 'no decision after the escalations' : ''), details: { withdrawalId: record.withdrawalId } },
  });
  await mailOutcome(input.siteId, status, decision?.reason, input.audit);
  return done(status);
}

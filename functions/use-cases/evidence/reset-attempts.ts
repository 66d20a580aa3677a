import { getEvidenceAttemptsReset, listEvidenceRecords, recordEvidenceAttemptsReset } from '../../adapters/stores/evidence.ts';
import { attemptLimit, usesAttempt } from '../../domain/evidence-requirements.ts';
import { nowIso, nowMs } from '../../shared/clock.ts';
import { actorOf, requireGroup, type Principal } from '../../shared/identity.ts';
import { CLOSED_STATUSES } from '../applications/access.ts';
import { kindSpec, loadApplication } from './access.ts';
import { ApplicationEndedError } from './evidence-errors.ts';

export interface ResetAttemptsInput {
  readonly principal: Principal;
  readonly applicationId: string;
  readonly kind: string;
  readonly reason: string;
}

/** A kind's upload attempts of one application after a reset (or a reset with nothing to reset). */
export interface AttemptsView {
  readonly applicationId: string;
  readonly kind: string;
  readonly attemptLimit: number;
  readonly attemptsUsed: number;
  /** False when nothing was used since the last reset: nothing written (a retried reset is a no-op). */
  readonly reset: boolean;
  readonly resetAt?: string;
  readonly resetBy?: string;
}


/**
 * `POST /v1/applications/{applicationId}/evidence-kinds/{kind}/reset-attempts`
 * (admin): the way out when a college used up a kind's upload attempts
 * (policy, {@link attemptLimit}): uploads requested after now count again.
 * Audited with who, when and why. Idempotent: when no attempt was used since
 * the last reset, nothing is written and the answer says `reset: false`.
 */
export async function resetEvidenceAttempts(input: ResetAttemptsInput): Promise<AttemptsView> {
  requireGroup(input.principal, 'admin');
  const spec = kindSpec(input.kind);
  const application = await loadApplication(input.applicationId);
  // An application that ended takes no uploads any more: a reset would mean nothing.
  if ((CLOSED_STATUSES as readonly string[]).includes(application.status)) throw new ApplicationEndedError(application.status);

  const atMs = nowMs();
  const [items, previous] = await Promise.all([listEvidenceRecords(application.id, spec.kind), getEvidenceAttemptsReset(application.id, spec.kind)]);
  const used = items.filter((item) => usesAttempt(item, atMs, previous?.resetAt)).length;
  const base = { applicationId: application.id, kind: spec.kind, attemptLimit: attemptLimit(spec) };
  const last = previous ? { resetAt: previous.resetAt, resetBy: previous.resetBy } : {};
  if (used === 0) return { ...base, attemptsUsed: 0, reset: false, ...last };

  const resetAt = nowIso();
  const recorded = await recordEvidenceAttemptsReset(
    { applicationId: application.id, kind: spec.kind, resetAt, resetBy: input.principal.sub, reason: input.reason },
    previous?.resetAt,
    {
      key: { at: resetAt, key: `evidence-attempts-reset#${spec.kind}` },
      event: {
        actor: actorOf(input.principal, 'admin'),
        action: 'evidence-attempts-reset',
        reason: input.reason,
        details: { kind: spec.kind, attemptsUsed: used, attemptLimit: attemptLimit(spec) },
      },
    },
  );
  if (!recorded) {
    // Another admin reset it at the same moment: theirs stands, and the count is zero either way.
    const latest = await getEvidenceAttemptsReset(application.id, spec.kind);
    return { ...base, attemptsUsed: 0, reset: false, ...(latest ? { resetAt: latest.resetAt, resetBy: latest.resetBy } : {}) };
  }
  return { ...base, attemptsUsed: 0, reset: true, resetAt, resetBy: input.principal.sub };
}

import type { RevocationRecord } from '../../adapters/stores/site-cases.ts';
import { getRevocation, listCasesOfSite, takeRepresentation } from '../../adapters/stores/site-cases.ts';
import { sendTaskSuccess } from '../../adapters/workflows.ts';
import { DomainError, NotFoundError } from '../../domain/errors.ts';
import { REVOCATION_CAUSES } from '../../domain/site-operations/revocation-causes.ts';
import { CITABLE_KINDS, checkCitedEvidence } from '../evidence/cite-evidence.ts';
import type { OpenRevocationBody, RepresentationBody } from '../../../schemas/api/site-exit.schema.ts';
import { nowIso } from '../../shared/clock.ts';
import { actorOf, requireGroup, type Caller } from '../../shared/identity.ts';
import { logger } from '../../shared/logger.ts';
import { startRevocation } from './revocation.ts';
import { siteForCaller } from './site-exit-shared.ts';
import { withdrawalView } from './withdrawal.ts';

/** The window is closed: it ended, the site already answered, or the case is urgent or decided (409). */
export class RepresentationClosedError extends DomainError {
  constructor() {
    super('REPRESENTATION_CLOSED', 'conflict', '陈述申辩期已结束或已提交，不能再提交。', 'The representation window is closed or an answer was already given.');
  }
}

/** A case as its site and staff read it: never the task token, never who opened or decided it. */
export function revocationView(r: RevocationRecord) {
  return {
    revocationId: r.revocationId,
    siteId: r.siteId,
    cause: r.cause,
    article: r.article,
    reason: r.reason,
    evidenceIds: r.evidenceIds,
    urgentReason: r.urgentReason,
    openedAt: r.openedAt,
    status: r.status,
    windowEndsAt: r.windowEndsAt ?? null,
    representation: r.representation ? { text: r.representation.text, evidenceIds: r.representation.evidenceIds, submittedAt: r.representation.submittedAt } : null,
    ...(r.decidedAt ? { decidedAt: r.decidedAt } : {}),
    ...(r.decisionReason ? { decisionReason: r.decisionReason } : {}),
  };
}

/**
 * `POST /v1/admin/sites/{siteId}/revocations` (admin): opens a case for
 * Art.23(2) or Art.23(3) with reason and evidence, urgent or with a window.
 */
export async function openRevocation(caller: Caller, siteId: string, body: OpenRevocationBody) {
  requireGroup(caller, 'admin');
  const site = await siteForCaller(caller, siteId, { staff: true, member: false });
  await checkCitedEvidence(site.applicationId, body.evidenceIds ?? [], CITABLE_KINDS.revocation, REVOCATION_CAUSES[body.cause].article);
  const { revocationId, created } = await startRevocation({
    siteId,
    cause: body.cause,
    reason: body.reason,
    evidenceIds: body.evidenceIds,
    urgent: body.urgent,
    openedBy: actorOf(caller, 'admin'),
    auditKey: { at: nowIso(), key: caller.requestId },
  });
  return { revocationId, alreadyOpen: !created };
}

/** `GET /v1/sites/{siteId}/cases`: its members and staff. */
export async function listSiteCases(caller: Caller, siteId: string) {
  await siteForCaller(caller, siteId, { staff: true, member: true });
  const { withdrawals, revocations } = await listCasesOfSite(siteId);
  return { withdrawals: withdrawals.map(withdrawalView), revocations: revocations.map(revocationView) };
}

/**
 * `POST /v1/sites/{siteId}/revocations/{revocationId}/representation` by a
 * member of the site: stored once, within the window, then the waiting
 * workflow goes on to the decision (policy: due process).
 */
export async function submitRepresentation(caller: Caller, siteId: string, revocationId: string, body: RepresentationBody) {
  requireGroup(caller, 'applicant');
  const site = await siteForCaller(caller, siteId, { staff: false, member: true });
  const record = await getRevocation(siteId, revocationId);
  if (!record) throw new NotFoundError('Revocation', '撤销案件');
  const now = nowIso();
  if (record.status !== 'representation' || !record.windowEndsAt || record.windowEndsAt <= now) throw new RepresentationClosedError();
  await checkCitedEvidence(site.applicationId, body.evidenceIds ?? [], CITABLE_KINDS.site, record.article);
  const representation = { text: body.text, evidenceIds: body.evidenceIds ?? [], submittedBy: caller.sub, submittedAt: now };
  const token = await takeRepresentation(record, representation, now, {
    key: { at: now, key: caller.requestId },
    event: { actor: actorOf(caller, 'applicant'), action: 'representation-submitted', article: record.article, reason: 'representation within the window', details: { revocationId, files: representation.evidenceIds.length } },
  });
  if (!token) throw new RepresentationClosedError();
  const delivered = await sendTaskSuccess(token, { answered: true, submittedAt: now });
  logger.info('representation submitted', { siteId, revocationId, delivered });
  return revocationView({ ...record, representation, status: 'deciding' });
}

import { getApplication } from '../../adapters/stores/applications.ts';
import { getDecision, listDecisionsOfApplication, type DecisionRecord } from '../../adapters/stores/decisions.ts';
import { listEvidenceRecords } from '../../adapters/stores/evidence.ts';
import { type Item } from '../../adapters/stores/table.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { DECISION_OUTCOMES, type DecisionStatus } from '../../../schemas/api/accreditation.schema.ts';
import { nowMs } from '../../shared/clock.ts';
import type { Principal } from '../../shared/identity.ts';
import { FourEyesRequiredError, NotAssigneeError, fourEyesKind } from './decision-errors.ts';
import { siteCaseOfDecision } from '../site-operations/site-decision-view.ts';
import { supervisionCaseOfDecision } from '../supervision/supervision-decision-view.ts';

/** What each status says on the page. */
const STATUS_MESSAGES: Readonly<Record<DecisionStatus, { zh: string; en: string }>> = {
  pending: { zh: '待处理。', en: 'Waiting for your decision.' },
  decided: { zh: '此事项已作出决定。', en: 'This decision has been made.' },
  expired: { zh: '此待办已过期，已升级给管理员处理。', en: 'This task has expired and was escalated to the administrators.' },
  reassigned: { zh: '此待办已改派给其他人员。', en: 'This task was reassigned to someone else.' },
};

/** A decision as the API shows it: never the task token. */
export function decisionSummary(d: DecisionRecord, now = nowMs()) {
  const status: DecisionStatus = d.status === 'pending' && d.deadlineMs <= now ? 'expired' : d.status;
  return {
    decisionId: d.decisionId,
    kind: d.kind,
    status,
    statusMessage: STATUS_MESSAGES[status],
    applicationId: d.applicationId,
    institutionName: d.institutionName,
    createdAt: d.createdAt,
    deadline: d.deadline,
  };
}

/**
 * Loads a decision for a caller: the assignee (a reviewer), or an admin when
 * `adminMayRead`. The visitor of a final decision is refused as such.
 */
export async function loadDecisionFor(principal: Principal, decisionId: string, adminMayRead: boolean): Promise<DecisionRecord> {
  const decision = await getDecision(decisionId);
  if (!decision) throw new NotFoundError('Decision', '待办事项');
  if (adminMayRead && principal.groups.includes('admin')) return decision;
  const fourEyes = fourEyesKind(decision.kind);
  if (fourEyes && decision.excludedSub === principal.sub) throw new FourEyesRequiredError(fourEyes);
  const staffRole = principal.groups.includes('reviewer') || principal.groups.includes('admin');
  if (!staffRole || decision.assigneeSub !== principal.sub) throw new NotAssigneeError();
  return decision;
}

/**
 * `GET /v1/decisions/{decisionId}`: what is to be decided. Reads only (mail
 * scanners open links): a pending decision past its deadline is shown as
 * expired without being written.
 */
export async function getDecisionView(principal: Principal, decisionId: string) {
  const decision = await loadDecisionFor(principal, decisionId, true);
  const summary = decisionSummary(decision);
  const [app, evidence, siblings, siteCase, supervision] = await Promise.all([
    getApplication(decision.applicationId),
    listEvidenceRecords(decision.applicationId),
    decision.kind === 'final-decision' ? listDecisionsOfApplication(decision.applicationId) : Promise.resolve([] as DecisionRecord[]),
    siteCaseOfDecision(decision),
    supervisionCaseOfDecision(decision),
  ]);
  const visit = siblings
    .filter((d) => d.kind === 'site-visit' && d.status === 'decided')
    .sort((a, b) => (a.decidedAt ?? '').localeCompare(b.decidedAt ?? ''))
    .at(-1);
  return {
    ...summary,
    ...(siteCase ? { siteCase } : {}),
    ...(supervision ? { supervision } : {}),
    allowedOutcomes: summary.status === 'pending' ? DECISION_OUTCOMES[decision.kind] : [],
    ...(decision.status === 'decided' ? { outcome: decision.outcome, reason: decision.reason, decidedAt: decision.decidedAt, decidedBy: decision.decidedBy } : {}),
    application: app
      ? {
          id: app.id,
          status: app.status,
          round: app.round,
          institutionName: app.institutionName,
          creditCode: app.creditCode,
          provinceCode: app.provinceCode,
          cityCode: app.cityCode,
          standardVersion: app.screening?.standardVersion ?? app.standardVersion,
          screeningOutcome: app.screening?.outcome,
        }
      : undefined,
    findings: app?.screening?.findings ?? [],
    evidence: evidence.map((e: Item) => ({
      itemId: e.itemId,
      kind: e.kind,
      status: e.status,
      reasonCodes: e.reasonCodes ?? [],
      tags: e.tags ?? [],
      fileName: e.fileName,
    })),
    ...(decision.kind === 'final-decision'
      ? {
          visitReport: visit
            ? {
                visitorSub: visit.decidedBy,
                recommendation: (visit.output as { recommendation?: string } | undefined)?.recommendation ?? visit.outcome,
                summary: visit.reason,
                findings: (visit.output as { findings?: unknown[] } | undefined)?.findings ?? [],
                recordedAt: visit.decidedAt,
              }
            : null,
        }
      : {}),
  };
}

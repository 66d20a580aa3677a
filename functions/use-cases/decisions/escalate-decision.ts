import { appendApplicationAudit } from '../../adapters/stores/applications.ts';
import { expireDecision, listDecisionsOfApplication } from '../../adapters/stores/decisions.ts';
import { listActiveAdmins } from '../../adapters/stores/staff.ts';
import { decisionEscalatedMail } from '../../domain/mail-templates/index.ts';
import type { EscalateDecisionTaskInput } from '../../../schemas/api/accreditation.schema.ts';
import { nowIso } from '../../shared/clock.ts';
import { mailIdOf, mustGetApplication, portalLink, sendMail, stepAuditKey, stepKeyOf, workflowActor } from '../accreditation/workflow-step.ts';

/** Recipients per message (the mail schema's and SES's limit). */
const MAX_RECIPIENTS = 50;

/**
 * `EscalateDecision` of the decision-task workflow, after its task timed out:
 * the pending task of that kind is marked expired (its link then says so),
 * the admins are told, the escalation is audited. Returns how many tasks this
 * decision-task execution has seen time out (its expired decisions, counted
 * from the store: a retried step counts the same) and whether that is more
 * than `maxEscalations` allows (`overdue`: no new task follows).
 */
export async function escalateDecision(input: EscalateDecisionTaskInput): Promise<{ timeouts: number; overdue: boolean }> {
  const app = await mustGetApplication(input.applicationId);
  const decisions = await listDecisionsOfApplication(app.id);
  const expired = decisions.filter((d) => d.kind === input.kind && (d.status === 'pending' || (d.status === 'decided' && d.delivered === false)));
  const at = nowIso();
  for (const decision of expired) await expireDecision(decision, at);
  const expiredIds = new Set(expired.map((d) => d.decisionId));
  const ofThisTask = (d: { stepKey: string }) => d.stepKey.startsWith(`${input.audit.executionName}#`);
  const timeouts = decisions.filter((d) => ofThisTask(d) && (d.status === 'expired' || expiredIds.has(d.decisionId))).length;
  const overdue = timeouts > input.maxEscalations;
  await appendApplicationAudit(app.id, {
    key: stepAuditKey(input.audit),
    event: {
    actor: workflowActor(input.audit),
    action: overdue ? 'decision-overdue' : 'decision-escalated',
    article: 'Art.4',
    reason: `${input.kind} task timed out (${timeouts} of at most ${input.maxEscalations} escalations)`,
    details: { kind: input.kind, escalation: timeouts, expiredAssignees: expired.map((d) => d.assigneeSub) },
  } });
  const admins = await listActiveAdmins();
  const content = decisionEscalatedMail({
    kind: input.kind,
    applicationId: app.id,
    institutionName: app.institutionName,
    escalation: timeouts,
    maxEscalations: input.maxEscalations,
    overdue,
    adminLink: portalLink(overdue ? '/admin/dashboard' : `/applications/${app.id}`),
  });
  // A message carries at most 50 recipients (mail schema, SES); a large admin team gets several, each with a stable id.
  for (let i = 0; i < admins.length; i += MAX_RECIPIENTS) {
    const id = mailIdOf('decision-escalated', stepKeyOf(input.audit));
    await sendMail(
      admins.slice(i, i + MAX_RECIPIENTS).map((a) => a.email),
      content,
      i === 0 ? id : `${id}-${i / MAX_RECIPIENTS}`,
      'decision-escalated',
    );
  }
  return { timeouts, overdue };
}

import { appendAudit, expireDecision, keys, listActiveAdmins, listDecisionsOfApplication } from '../../adapters/repository.ts';
import { decisionEscalatedMail } from '../../domain/mail-templates/index.ts';
import type { EscalateTaskInput, Escalations } from '../../../schemas/api/accreditation.schema.ts';
import { nowIso } from '../../shared/clock.ts';
import { mailIdOf, mustGetApplication, portalLink, sendMail, stepAuditKey, stepKeyOf, workflowActor } from '../accreditation/workflow-step.ts';

/** Recipients per message (the mail schema's and SES's limit). */
const MAX_RECIPIENTS = 50;

/**
 * `Escalate…` after a decision task timed out: the pending task of that kind
 * is marked expired (its link then says so), the admins are told, the
 * escalation is audited, and the stage's count goes up by one. The workflow
 * compares the count with its bound (a count over `maxEscalations` ends it
 * with `ReviewOverdue`).
 */
export async function escalateDecision(input: EscalateTaskInput): Promise<Escalations> {
  const app = await mustGetApplication(input.applicationId);
  const count = input.escalations[input.stage] + 1;
  const overdue = count > input.maxEscalations;
  const expired = (await listDecisionsOfApplication(app.id)).filter(
    (d) => d.kind === input.kind && (d.status === 'pending' || (d.status === 'decided' && d.delivered === false)),
  );
  const at = nowIso();
  for (const decision of expired) await expireDecision(decision, at);
  await appendAudit(keys.application(app.id), stepAuditKey(input.audit), {
    actor: workflowActor(input.audit),
    action: overdue ? 'decision-overdue' : 'decision-escalated',
    article: 'Art.4',
    reason: `${input.kind} task timed out (${count} of at most ${input.maxEscalations} escalations)`,
    details: { kind: input.kind, escalation: count, expiredAssignees: expired.map((d) => d.assigneeSub) },
  });
  const admins = await listActiveAdmins();
  const content = decisionEscalatedMail({
    kind: input.kind,
    applicationId: app.id,
    institutionName: app.institutionName,
    escalation: count,
    maxEscalations: input.maxEscalations,
    overdue,
    adminLink: portalLink(`/applications/${app.id}`),
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
  return { ...input.escalations, [input.stage]: count };
}

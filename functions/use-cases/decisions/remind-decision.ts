import { getDecision } from '../../adapters/stores/decisions.ts';
import { getStaff } from '../../adapters/stores/staff.ts';
import { decisionReminderMail } from '../../domain/mail-templates/index.ts';
import type { RemindTaskInput } from '../../../schemas/api/accreditation.schema.ts';
import { nowMs } from '../../shared/clock.ts';
import { mailIdOf, portalLink, sendMail, stepKeyOf } from '../accreditation/workflow-step.ts';

/** `RemindDecision`: mails the assignee only while the decision is still pending and not past its deadline. */
export async function remindDecision(input: RemindTaskInput): Promise<{ reminded: boolean }> {
  const decision = await getDecision(input.decisionId);
  if (!decision || decision.status !== 'pending' || decision.deadlineMs <= nowMs() || decision.kind === 'applicant-correction') {
    return { reminded: false };
  }
  const staff = await getStaff(decision.assigneeSub);
  await sendMail(
    [staff?.email],
    decisionReminderMail({
      kind: decision.kind,
      applicationId: decision.applicationId,
      institutionName: decision.institutionName,
      deadline: decision.deadline,
      link: portalLink(`/decisions/${decision.decisionId}`),
    }),
    mailIdOf('decision-reminder', stepKeyOf(input.audit)),
    'decision-reminder',
  );
  return { reminded: true };
}

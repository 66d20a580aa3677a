import { randomBytes } from 'node:crypto';
import { getStaff } from '../../adapters/stores/staff.ts';
import { listDecisionsOfApplication, openDecision, type DecisionRecord } from '../../adapters/stores/decisions.ts';
import { applicationRows, type ApplicationRecord } from '../../adapters/stores/applications.ts';
import type { ApplicationTrigger } from '../../domain/application-lifecycle.ts';
import { applicationReturnedMail, decisionRequestMail } from '../../domain/mail-templates/index.ts';
import type { DecisionKind, OpenDecisionTaskInput } from '../../../schemas/api/accreditation.schema.ts';
import type { Finding } from '../../../schemas/findings.schema.ts';
import { appConfig } from '../../shared/env.ts';
import { logger } from '../../shared/logger.ts';
import {
  applicantEmails,
  findingLines,
  mailIdOf,
  mustGetApplication,
  portalLink,
  sendMail,
  stepAuditKey,
  stepKeyOf,
  workflowActor,
} from '../accreditation/workflow-step.ts';
import { activeReviewer, leastLoadedReviewer } from './assignment.ts';
import { scheduleReminder } from './reminders.ts';
import { isSiteDecisionKind, isSupervisionDecisionKind } from '../../../schemas/api/accreditation.schema.ts';
import { siteDecisionRequestMailFor } from '../site-operations/site-decision-view.ts';
import { supervisionDecisionRequestMailFor } from '../supervision/supervision-decision-view.ts';

/** The application status change a decision task brings (Art.4): none for the correction (ReturnToApplicant did it). */
const STEP_TRIGGERS: Readonly<Record<DecisionKind, ApplicationTrigger | undefined>> = {
  'applicant-correction': undefined,
  'material-review': 'screening-passed',
  'site-visit': 'review-passed',
  'final-decision': 'site-visit-recorded',
  // A site's withdrawal or revocation changes no application; its own workflow changes the site.
  withdrawal: undefined,
  revocation: undefined,
  // Supervision (Art.21) decides on a site; its workflows change the site.
  assessment: undefined,
  'sanction-confirmation': undefined,
  'rectification-review': undefined,
};

/** A decision id: 32 random bytes, base64url (unguessable; it is in e-mail links, the token never is). */
export function newDecisionId(): string {
  return randomBytes(32).toString('base64url');
}

type App = ApplicationRecord;

/**
 * The assignee's `sub`: the institution for a correction; otherwise the
 * preferred reviewer (the visitor the material reviewer named, or the one an
 * admin named when resuming) when active and not excluded, on the first task
 * of a decision-task execution only (after an escalation someone else gets
 * it); else the least-loaded active reviewer other than the excluded one
 * (four-eyes: the visitor never takes the final decision).
 */
async function chooseAssignee(input: OpenDecisionTaskInput, firstTask: boolean, stepKey: string): Promise<{ sub: string; email?: string }> {
  if (input.kind === 'applicant-correction') return { sub: `INST#${input.institutionId}` };
  const excluded = input.excludedSub ? [input.excludedSub] : [];
  if (input.preferredAssigneeSub && firstTask && !excluded.includes(input.preferredAssigneeSub)) {
    const preferred = await activeReviewer(input.preferredAssigneeSub);
    if (preferred) return { sub: preferred.sub, email: preferred.email };
  }
  const reviewer = await leastLoadedReviewer(input.kind, excluded, stepKey);
  return { sub: reviewer.sub, email: reviewer.email };
}

/**
 * The task function of every `.waitForTaskToken` state: stores the decision
 * (with the token, which leaves the server only towards Step Functions),
 * applies the application's status change for the step, mails the assignee a
 * link with the random decision id and starts the reminder. A retry of the
 * same step reuses the decision it opened (new token, same link).
 */
export async function openDecisionTask(input: OpenDecisionTaskInput): Promise<{ opened: true; kind: DecisionKind; deadline: string }> {
  const app = (await mustGetApplication(input.applicationId)) as App;
  const key = stepAuditKey(input.audit);
  const stepKey = stepKeyOf(input.audit);
  const trigger = STEP_TRIGGERS[input.kind];
  const step = trigger ? applicationRows(trigger)[0] : undefined;
  // Re-entry after an escalation: the application is already where this step puts it.
  const reentry = step !== undefined && app.status === step.to;
  // The first task of this execution (a decision-task child opens one per escalation round).
  const firstTask = !(await listDecisionsOfApplication(app.id)).some((d) => d.stepKey.startsWith(`${input.audit.executionName}#`) && d.stepKey !== stepKey);
  const assignee = await chooseAssignee(input, firstTask, stepKey);
  const createdAt = key.at;
  const deadlineMs = Date.parse(createdAt) + input.timeoutSeconds * 1000;
  const record: DecisionRecord & { reminderSeconds?: number } = {
    decisionId: newDecisionId(),
    kind: input.kind,
    applicationId: app.id,
    institutionId: app.creditCode,
    institutionName: app.institutionName,
    assigneeSub: assignee.sub,
    excludedSub: input.excludedSub ?? null,
    status: 'pending',
    createdAt,
    deadline: new Date(deadlineMs).toISOString(),
    deadlineMs,
    stepKey,
    taskToken: input.taskToken,
    findingsCount: input.kind === 'applicant-correction' ? (app.lastReturn?.findings.length ?? 0) : (app.screening?.findings.length ?? 0),
    ...(input.subject?.siteId ? { siteId: input.subject.siteId, ...(input.subject.caseId ? { caseId: input.subject.caseId } : {}) } : {}),
    ...(input.reminderSeconds !== undefined ? { reminderSeconds: input.reminderSeconds } : {}),
  };
  const transition = step && app.status === step.from ? { trigger: step.trigger, expectedVersion: app.version } : undefined;
  const event = {
    actor: workflowActor(input.audit),
    action: transition ? step!.trigger : 'decision-task-opened',
    article: transition ? step!.article : 'Art.4',
    reason: `${input.kind} task opened, due ${record.deadline}`,
    details: { kind: input.kind, assigneeSub: assignee.sub, deadline: record.deadline },
  };
  const { record: stored, replayed } = await openDecision({ record, transition, audit: { key, event } });
  logger.info('decision task opened', { kind: input.kind, applicationId: app.id, replayed });

  const mailId = mailIdOf(`decision-${input.kind}`, stepKey);
  if (input.kind === 'applicant-correction') {
    const returned: { findings: Finding[]; reason?: string } = app.lastReturn ?? { findings: [] };
    await sendMail(
      await applicantEmails(app.creditCode),
      applicationReturnedMail({
        applicationId: app.id,
        institutionName: app.institutionName,
        findings: findingLines(returned.findings),
        reason: returned.reason,
        deadline: stored.deadline,
        round: app.returnCount ?? 1,
        maxRounds: appConfig().deadlines.maxReturnRounds,
        link: portalLink(`/applications/${app.id}`),
      }),
      mailId,
      'application-returned',
    );
  } else {
    const email = stored.assigneeSub === assignee.sub ? assignee.email : (await getStaff(stored.assigneeSub))?.email;
    await sendMail(
      [email],
      isSiteDecisionKind(stored.kind)
        ? await siteDecisionRequestMailFor(stored)
        : isSupervisionDecisionKind(stored.kind)
          ? await supervisionDecisionRequestMailFor(stored)
          : decisionRequestMailFor(stored),
      mailId,
      'decision-request',
    );
    await scheduleReminder(stored.decisionId, stored.deadlineMs, input.reminderSeconds);
  }
  return { opened: true, kind: input.kind, deadline: stored.deadline };
}

/** The e-mail asking the assignee of a decision to decide, with the link to its page (never the task token). */
export function decisionRequestMailFor(decision: Pick<DecisionRecord, 'kind' | 'applicationId' | 'institutionName' | 'findingsCount' | 'deadline' | 'decisionId'>) {
  return decisionRequestMail({
    kind: decision.kind,
    applicationId: decision.applicationId,
    institutionName: decision.institutionName,
    findingsCount: decision.findingsCount ?? 0,
    deadline: decision.deadline,
    link: portalLink(`/decisions/${decision.decisionId}`),
  });
}

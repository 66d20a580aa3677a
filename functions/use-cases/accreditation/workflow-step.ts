import { createHash } from 'node:crypto';
import { type ApplicationRecord, getApplication } from '../../adapters/stores/applications.ts';
import type { Actor, AuditKey } from '../../adapters/stores/table.ts';
import { listInstitutionMembers, listMembersOfInstitutions } from '../../adapters/stores/staff.ts';
import { enqueueMail, enqueueMails } from '../../adapters/mailer.ts';
import type { FindingLine, RenderedMail } from '../../domain/mail-templates/index.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { ApplicationStatus } from '../../domain/application-lifecycle.ts';
import type { WorkflowAudit } from '../../../schemas/api/accreditation.schema.ts';
import type { Finding } from '../../../schemas/findings.schema.ts';
import { appConfig } from '../../shared/env.ts';
import { logger } from '../../shared/logger.ts';

/**
 * What every task function of the accreditation workflow shares: the
 * deterministic audit key of a step, the system actor, mail, deadlines.
 */

/** `AuditKey` of a workflow step: a retried task (same execution, state, entry) writes its audit item once. */
export function stepAuditKey(audit: WorkflowAudit, suffix?: string): AuditKey {
  return { at: new Date(audit.enteredTime).toISOString(), key: `${audit.executionName}#${audit.stateName}${suffix ? `#${suffix}` : ''}` };
}

/** A step identity unique across re-entries of the same state (loops). */
export function stepKeyOf(audit: WorkflowAudit): string {
  return `${audit.executionName}#${audit.stateName}#${new Date(audit.enteredTime).toISOString()}`;
}

/** The workflow as audit actor. */
export function workflowActor(audit: WorkflowAudit): Actor {
  return { kind: 'system', id: 'workflow:accreditation', role: audit.stateName };
}

/** The application or a 404 (a configuration fault inside a workflow: not retried). */
export async function mustGetApplication(applicationId: string): Promise<ApplicationRecord> {
  const app = await getApplication(applicationId);
  if (!app) throw new NotFoundError('Application', '申请');
  return app;
}

/** Deadlines of the workflow in seconds, from the typed config (TimeoutSecondsPath reads them). */
export function workflowDeadlines(): { returnSeconds: number; reviewSeconds: number; reminderSeconds: number; siteVisitSeconds: number; decisionSeconds: number } {
  const d = appConfig().deadlines;
  const day = 86_400;
  return {
    returnSeconds: d.returnDays * day,
    reviewSeconds: d.reviewDays * day,
    reminderSeconds: d.reminderHours * 3600,
    siteVisitSeconds: d.siteVisitDays * day,
    decisionSeconds: d.decisionDays * day,
  };
}

/** A link into the portal. */
export function portalLink(path: string): string {
  return `${appConfig().portalOrigin.replace(/\/$/, '')}${path}`;
}

/** A stable mail id from the step (dedupe on redelivery, nothing personal in it). */
export function mailIdOf(tag: string, stepKey: string): string {
  return `${tag}-${createHash('sha256').update(stepKey).digest('hex').slice(0, 40)}`;
}

/** The distinct e-mail addresses among `to`; with none it logs, so a directory gap is seen but does not fail the step. */
function recipientsOf(to: readonly (string | undefined)[], tag: string): string[] {
  const recipients = [...new Set(to.filter((x): x is string => typeof x === 'string' && x.includes('@')))];
  if (recipients.length === 0) logger.warn('mail has no recipient; not sent', { tag });
  return recipients;
}

/** Enqueues a rendered mail; with no recipient it logs and sends nothing (a directory gap must not fail the step). */
export async function sendMail(to: readonly (string | undefined)[], mail: RenderedMail, id: string, tag: string): Promise<void> {
  const recipients = recipientsOf(to, tag);
  if (recipients.length === 0) return;
  await enqueueMail({ id, to: recipients, subject: mail.subject, text: mail.text, html: mail.html, tag });
}

/** A mail for {@link sendMails}: the arguments of {@link sendMail}. */
export interface OutgoingMail {
  readonly to: readonly (string | undefined)[];
  readonly mail: RenderedMail;
  readonly id: string;
  readonly tag: string;
}

/** {@link sendMail} for many mails (a page of a campaign), enqueued ten to a request. */
export async function sendMails(mails: readonly OutgoingMail[]): Promise<void> {
  const messages = mails.flatMap(({ to, mail, id, tag }) => {
    const recipients = recipientsOf(to, tag);
    return recipients.length === 0 ? [] : [{ id, to: recipients, subject: mail.subject, text: mail.text, html: mail.html, tag }];
  });
  await enqueueMails(messages);
}

/** The e-mail addresses of an institution's members (its site managers). */
export async function applicantEmails(creditCode: string): Promise<string[]> {
  return (await listInstitutionMembers(creditCode)).map((m) => m.email);
}

/** {@link applicantEmails} of many institutions at once (a page of a campaign), by credit code. */
export async function applicantEmailsOf(creditCodes: readonly string[]): Promise<Map<string, string[]>> {
  const members = await listMembersOfInstitutions(creditCodes);
  return new Map([...members.entries()].map(([code, list]) => [code, list.map((m) => m.email)]));
}

/** Findings as mail lines (article first, policy marked). */
export function findingLines(findings: readonly Pick<Finding, 'article' | 'zh' | 'en' | 'basis'>[]): FindingLine[] {
  return findings.map((f) => ({ ...(f.article ? { article: f.article } : {}), ...(f.basis === 'policy' ? { policy: true } : {}), zh: f.zh, en: f.en || f.zh }));
}

/** The statuses an application must be in when a step runs, for clear errors. */
export type StepFrom = readonly ApplicationStatus[];

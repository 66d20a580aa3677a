/**
 * How long a workflow can live, from its configured deadlines.
 *
 * A Step Functions Standard execution lives at most one year (365 days): an
 * execution still waiting then is ended by the service, and the application
 * it carries is stuck. Every bounded process is therefore checked, at synth
 * and at cold start (the config schema runs {@link deadlineLifetimeProblems}),
 * against {@link MAX_WORKFLOW_LIFETIME_DAYS}: the sum of the longest path
 * through the workflow, every wait at its deadline and every loop at its
 * bound. Each workflow lists the steps of its worst path; one function adds
 * them up and explains the sum.
 *
 * Pure: no AWS, no clock.
 */
/**
 * The deadline settings a worst path reads (a structural slice of the
 * config's `deadlines`, so this validator sits below `schemas/config.schema.ts`
 * that applies it).
 */
export interface Deadlines {
  readonly returnDays: number;
  readonly maxReturnRounds: number;
  readonly reviewDays: number;
  readonly siteVisitDays: number;
  readonly decisionDays: number;
  readonly reminderHours: number;
  /** Days a site has to answer a revocation notice (due process, policy); 14 when absent. */
  readonly representationDays?: number;
}

/** The Standard-execution limit of Step Functions, days. */
export const STANDARD_EXECUTION_MAX_DAYS = 365;

/**
 * The most a workflow's deadlines may add up to, days: a year less 35 days
 * of margin for what no deadline bounds (retries, mail and queue delays, a
 * task reopened by an admin near its end).
 */
export const MAX_WORKFLOW_LIFETIME_DAYS = 330;

/**
 * How often a decision task (review, site visit, final decision) is reopened
 * after its deadline passes before the workflow gives up: the accreditation
 * ASL's `maxEscalations` (admins alerted, the task reopened, at most twice).
 * A test checks the ASL files against it.
 */
export const DECISION_REOPENS = 2;

/** One step of a worst-case path: `count` waits of `days` each. */
export interface LifetimeStep {
  /** What waits, as the message names it: `material review`. */
  readonly label: string;
  /** Days of one wait (a configured deadline). */
  readonly days: number;
  /** How many times the path waits for it (default 1). */
  readonly count?: number;
  /** What the count is, for the message: `return rounds`, `attempts`. */
  readonly countLabel?: string;
  /** The setting the days come from: `deadlines.reviewDays`. */
  readonly setting?: string;
}

/** The lifetime of a workflow's worst-case path, summed and explained. */
export interface WorkflowLifetime {
  readonly workflow: string;
  readonly totalDays: number;
  readonly limitDays: number;
  readonly withinLimit: boolean;
  /** `worst case 282 days = 3 return rounds × 14 d correction (deadlines.returnDays) + …` */
  readonly explanation: string;
}

const days = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/**
 * Adds up the steps of a workflow's worst-case path and says whether the
 * sum stays within `limitDays` (default {@link MAX_WORKFLOW_LIFETIME_DAYS}).
 * Every later workflow (withdrawal, revocation, evaluation) describes its
 * own worst path as steps and calls this.
 */
export function workflowLifetime(
  workflow: string,
  steps: readonly LifetimeStep[],
  limitDays: number = MAX_WORKFLOW_LIFETIME_DAYS,
): WorkflowLifetime {
  const totalDays = steps.reduce((sum, step) => sum + (step.count ?? 1) * step.days, 0);
  const terms = steps
    .filter((step) => (step.count ?? 1) > 0)
    .map((step) => {
      const count = step.count ?? 1;
      const times = count === 1 && !step.countLabel ? '' : `${days(count)}${step.countLabel ? ` ${step.countLabel}` : ''} × `;
      return `${times}${days(step.days)} d ${step.label}${step.setting ? ` (${step.setting})` : ''}`;
    });
  return {
    workflow,
    totalDays,
    limitDays,
    withinLimit: totalDays <= limitDays,
    explanation: `worst case ${days(totalDays)} days = ${terms.join(' + ') || '0'}`,
  };
}

/** The message of a workflow that may outlive its execution. */
export function lifetimeProblem(lifetime: WorkflowLifetime): string {
  return (
    `${lifetime.workflow}: ${lifetime.explanation}; more than ${days(lifetime.limitDays)} days ` +
    `(a Step Functions Standard execution ends after ${STANDARD_EXECUTION_MAX_DAYS}): shorten these deadlines or rounds`
  );
}

/**
 * The worst path through `workflows/accreditation/accreditation.asl.json` (each review a `decision-task` child, reopened at most `maxEscalations` times): every return
 * round comes back from the material review after the reviewer let the
 * deadline pass and the task was reopened each time, and the applicant
 * corrects on the last day; then the last round's review, the site visit and
 * the final decision each run to their last reopening. (A return at
 * screening comes sooner: the machine returns at once.) Escalation counts
 * start again at each round's screening.
 */
export function accreditationWorstPath(deadlines: Deadlines, reopens: number = DECISION_REOPENS): LifetimeStep[] {
  const attempts = reopens + 1;
  const rounds = deadlines.maxReturnRounds;
  return [
    { label: 'material review before each return', days: deadlines.reviewDays, count: rounds * attempts, countLabel: `attempts (${rounds} return rounds × ${attempts})`, setting: 'deadlines.reviewDays' },
    { label: 'correction', days: deadlines.returnDays, count: rounds, countLabel: 'return rounds', setting: 'deadlines.returnDays' },
    { label: 'material review', days: deadlines.reviewDays, count: attempts, countLabel: 'attempts', setting: 'deadlines.reviewDays' },
    { label: 'site visit', days: deadlines.siteVisitDays, count: attempts, countLabel: 'attempts', setting: 'deadlines.siteVisitDays' },
    { label: 'final decision', days: deadlines.decisionDays, count: attempts, countLabel: 'attempts', setting: 'deadlines.decisionDays' },
  ];
}

/**
 * The worst path through `workflows/decision-reminder/decision-reminder.asl.json`: it waits
 * until `reminderHours` before the deadline of the longest reviewer task,
 * then mails (the applicant's correction has no reminder). Started with
 * each task, it never outlives the task.
 */
export function decisionReminderWorstPath(deadlines: Deadlines): LifetimeStep[] {
  const tasks: Array<[string, number, string]> = [
    ['material review', deadlines.reviewDays, 'deadlines.reviewDays'],
    ['site visit', deadlines.siteVisitDays, 'deadlines.siteVisitDays'],
    ['final decision', deadlines.decisionDays, 'deadlines.decisionDays'],
  ];
  const [label, longest, setting] = tasks.reduce((a, b) => (b[1] > a[1] ? b : a));
  const wait = Math.max(0, longest - deadlines.reminderHours / 24);
  return [{ label: `wait until the reminder of the longest task (${label} less deadlines.reminderHours)`, days: wait, setting }];
}

/**
 * The worst path through `workflows/site-withdrawal/site-withdrawal.asl.json`:
 * the admin's decision runs to its last reopening.
 */
export function siteWithdrawalWorstPath(deadlines: Deadlines, reopens: number = DECISION_REOPENS): LifetimeStep[] {
  return [{ label: 'withdrawal decision', days: deadlines.decisionDays, count: reopens + 1, countLabel: 'attempts', setting: 'deadlines.decisionDays' }];
}

/**
 * The worst path through `workflows/site-revocation/site-revocation.asl.json`:
 * the whole representation window, then the admin's decision to its last
 * reopening.
 */
export function siteRevocationWorstPath(deadlines: Deadlines, reopens: number = DECISION_REOPENS): LifetimeStep[] {
  return [
    { label: 'representation window', days: deadlines.representationDays ?? 14, setting: 'deadlines.representationDays' },
    { label: 'revocation decision', days: deadlines.decisionDays, count: reopens + 1, countLabel: 'attempts', setting: 'deadlines.decisionDays' },
  ];
}

/**
 * Every workflow whose worst path outlives {@link MAX_WORKFLOW_LIFETIME_DAYS}
 * with these deadlines, one message each naming the sum; empty when all fit.
 */
export function deadlineLifetimeProblems(deadlines: Deadlines): string[] {
  return [
    workflowLifetime('accreditation', accreditationWorstPath(deadlines)),
    workflowLifetime('decision-reminder', decisionReminderWorstPath(deadlines)),
    workflowLifetime('site-withdrawal', siteWithdrawalWorstPath(deadlines)),
    workflowLifetime('site-revocation', siteRevocationWorstPath(deadlines)),
  ]
    .filter((lifetime) => !lifetime.withinLimit)
    .map(lifetimeProblem);
}

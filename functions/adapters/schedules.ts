import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand, UpdateScheduleCommand, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import { requireEnv, stateMachineArn } from '../shared/env.ts';
import { schedulerClient } from './aws-clients.ts';

/**
 * The only code that calls EventBridge Scheduler: one one-time `at(...)`
 * schedule per name in the system's schedule group, whose target is the
 * universal `aws-sdk:sfn:startExecution` with a deterministic execution
 * name. A schedule that fires twice (Scheduler delivers at least once)
 * asks Step Functions for the same name again, and nothing new starts.
 */

/** What a one-time schedule starts, and when. */
export interface OneTimeSchedule {
  /** Schedule name in the group (`[0-9A-Za-z_.-]`, ≤ 64). */
  readonly name: string;
  /** When it fires (ISO-8601, UTC; Scheduler has second precision). */
  readonly at: string;
  /** The workflow it starts (a name of `workflows/`). */
  readonly workflow: string;
  /** The execution name (≤ 80, `[0-9A-Za-z_-]`): the same for every fire of this schedule. */
  readonly executionName: string;
  /** The execution input; never personal data (it is stored by Scheduler and Step Functions). */
  readonly input: Record<string, unknown>;
  readonly description?: string;
}

/** A schedule as read back: when it fires and the execution it starts. */
export interface StoredSchedule {
  readonly at: string;
  readonly executionName?: string;
  readonly input?: Record<string, unknown>;
}

/** The universal target; the CDK app sets it per partition (`SCHEDULER_TARGET_ARN`), the default is the commercial one. */
function targetArn(): string {
  return process.env.SCHEDULER_TARGET_ARN ?? 'arn:aws:scheduler:::aws-sdk:sfn:startExecution';
}

/** `at(2027-03-01T08:00:00)`: Scheduler's one-time expression (UTC, no zone suffix, whole seconds). */
export function atExpression(iso: string): string {
  return `at(${new Date(iso).toISOString().slice(0, 19)})`;
}

/** The instant of an `at(...)` expression (UTC), or undefined for another expression. */
export function instantOfAt(expression: string | undefined): string | undefined {
  const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression ?? '');
  return match ? new Date(`${match[1]}Z`).toISOString() : undefined;
}

function request(schedule: OneTimeSchedule): CreateScheduleCommandInput {
  return {
    Name: schedule.name,
    GroupName: requireEnv('SCHEDULE_GROUP'),
    ScheduleExpression: atExpression(schedule.at),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    // Kept after it fires, so the next arm is an update and reconciliation can read what fired.
    ActionAfterCompletion: 'NONE',
    State: 'ENABLED',
    ...(schedule.description ? { Description: schedule.description.slice(0, 512) } : {}),
    Target: {
      Arn: targetArn(),
      RoleArn: requireEnv('SCHEDULER_ROLE_ARN'),
      Input: JSON.stringify({ StateMachineArn: stateMachineArn(schedule.workflow), Name: schedule.executionName, Input: JSON.stringify(schedule.input) }),
      // A fire that cannot start its execution is retried for a day; reconciliation repairs what is still lost.
      RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
    },
  };
}

const isNamed = (error: unknown, name: string): boolean => error instanceof Error && error.name === name;

/**
 * Creates the schedule or, when it exists, replaces it (UpdateSchedule
 * replaces the whole schedule: every field is sent again).
 */
export async function putOneTimeSchedule(schedule: OneTimeSchedule): Promise<void> {
  const input = request(schedule);
  try {
    await schedulerClient().send(new UpdateScheduleCommand(input));
  } catch (error) {
    if (!isNamed(error, 'ResourceNotFoundException')) throw error;
    try {
      await schedulerClient().send(new CreateScheduleCommand(input));
    } catch (raced) {
      // Another arm created it between the two calls: replace it with this one.
      if (!isNamed(raced, 'ConflictException')) throw raced;
      await schedulerClient().send(new UpdateScheduleCommand(input));
    }
  }
}

/** Deletes the schedule; false when there was none. */
export async function deleteOneTimeSchedule(name: string): Promise<boolean> {
  try {
    await schedulerClient().send(new DeleteScheduleCommand({ Name: name, GroupName: requireEnv('SCHEDULE_GROUP') }));
    return true;
  } catch (error) {
    if (isNamed(error, 'ResourceNotFoundException')) return false;
    throw error;
  }
}

/** The schedule as stored (when and what it starts), or undefined when there is none. */
export async function getOneTimeSchedule(name: string): Promise<StoredSchedule | undefined> {
  try {
    const out = await schedulerClient().send(new GetScheduleCommand({ Name: name, GroupName: requireEnv('SCHEDULE_GROUP') }));
    const at = instantOfAt(out.ScheduleExpression);
    if (!at) return undefined;
    let executionName: string | undefined;
    let input: Record<string, unknown> | undefined;
    try {
      const target = JSON.parse(out.Target?.Input ?? '{}') as { Name?: unknown; Input?: unknown };
      if (typeof target.Name === 'string') executionName = target.Name;
      if (typeof target.Input === 'string') input = JSON.parse(target.Input) as Record<string, unknown>;
    } catch {
      // An unreadable target is drift: the caller replaces it.
    }
    return { at, ...(executionName ? { executionName } : {}), ...(input ? { input } : {}) };
  } catch (error) {
    if (isNamed(error, 'ResourceNotFoundException')) return undefined;
    throw error;
  }
}

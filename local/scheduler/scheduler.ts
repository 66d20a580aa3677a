import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { VirtualClock, VirtualTimer } from '../clock.ts';
import { parseAtExpression } from './at-expression.ts';
import { type Schedule, type ScheduleGroup, type ScheduleRequest, type SchedulerApi, SchedulerServiceError } from './api.ts';
import { startSchedulerHttpServer } from './http.ts';

const REGION = 'us-east-1';
const ACCOUNT_ID = '000000000000';

/** What the scheduler needs of Step Functions: the local engine satisfies it. */
export interface ExecutionStarter {
  startExecution(input: { stateMachineArn: string; name?: string; input?: string }):
    | { executionArn: string; startDate: Date }
    | Promise<{ executionArn: string; startDate: Date }>;
}

/** One firing of a schedule (diagnostics). */
export interface FireRecord {
  scheduleArn: string;
  name: string;
  groupName: string;
  scheduledTime: Date;
  firedAt: Date;
  targetArn: string;
  outcome: 'started' | 'failed' | 'pending';
  executionArn?: string;
  error?: string;
}

/** Options of {@link LocalScheduler}. */
export interface LocalSchedulerOptions {
  clock: VirtualClock;
  /** Where `sfn:startExecution` targets go (the local Step Functions engine). */
  stepFunctions: ExecutionStarter;
  /**
   * When false, schedules may only go into groups created first (as on AWS,
   * where a missing group is ResourceNotFoundException). Default true: any
   * group name is accepted and created on first use.
   */
  autoCreateGroups?: boolean;
}

interface Stored {
  schedule: Schedule;
  at: number;
  timer?: VirtualTimer;
  fired: boolean;
}

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const UNIVERSAL_SFN = /^arn:aws[a-z-]*:scheduler:::aws-sdk:sfn:startExecution$/;
const STATE_MACHINE = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;

/**
 * EventBridge Scheduler for one-time `at(...)` schedules on the virtual clock:
 * a schedule fires exactly once when virtual time reaches it (an `advance`
 * past it fires it), starting a Step Functions execution through the
 * universal `aws-sdk:sfn:startExecution` target or a state machine target.
 */
export class LocalScheduler implements SchedulerApi {
  private readonly clock: VirtualClock;
  private readonly stepFunctions: ExecutionStarter;
  private readonly autoCreateGroups: boolean;
  private readonly schedules = new Map<string, Stored>();
  private readonly groups = new Map<string, { CreationDate: Date; LastModificationDate: Date }>();
  private readonly fires: FireRecord[] = [];
  private readonly listeners = new Set<(record: FireRecord) => void>();
  private server: Server | undefined;
  private readonly starting = new Set<Promise<unknown>>();

  constructor(options: LocalSchedulerOptions) {
    this.clock = options.clock;
    this.stepFunctions = options.stepFunctions;
    this.autoCreateGroups = options.autoCreateGroups ?? true;
    const now = new Date(this.clock.now());
    this.groups.set('default', { CreationDate: now, LastModificationDate: now });
  }

  /** CreateSchedule; ConflictException when the name is taken in its group. */
  createSchedule(request: ScheduleRequest): { ScheduleArn: string } {
    const groupName = this.groupFor(request.GroupName);
    const key = keyOf(groupName, request.Name);
    if (this.schedules.has(key)) throw new SchedulerServiceError('ConflictException', `Schedule ${request.Name} already exists.`);
    const now = new Date(this.clock.now());
    return { ScheduleArn: this.store(request, groupName, now).Arn };
  }

  /** UpdateSchedule: replaces the whole schedule; ResourceNotFoundException when it does not exist (or was deleted after firing). */
  updateSchedule(request: ScheduleRequest): { ScheduleArn: string } {
    const groupName = this.groupFor(request.GroupName);
    const existing = this.schedules.get(keyOf(groupName, request.Name));
    if (!existing) throw new SchedulerServiceError('ResourceNotFoundException', `Schedule ${request.Name} does not exist.`);
    return { ScheduleArn: this.store(request, groupName, existing.schedule.CreationDate).Arn };
  }

  /** GetSchedule. */
  getSchedule(name: string, groupName = 'default'): Schedule {
    return structuredClone(this.stored(name, groupName).schedule);
  }

  /** DeleteSchedule. */
  deleteSchedule(name: string, groupName = 'default'): void {
    const stored = this.stored(name, groupName);
    this.clock.clearTimer(stored.timer);
    this.schedules.delete(keyOf(stored.schedule.GroupName, name));
  }

  /** ListSchedules, by name. */
  listSchedules(filter: { groupName?: string; namePrefix?: string; state?: 'ENABLED' | 'DISABLED' } = {}): Schedule[] {
    return [...this.schedules.values()]
      .map((s) => s.schedule)
      .filter((s) => (!filter.groupName || s.GroupName === filter.groupName) && (!filter.namePrefix || s.Name.startsWith(filter.namePrefix)) && (!filter.state || s.State === filter.state))
      .sort((a, b) => a.Name.localeCompare(b.Name))
      .map((s) => structuredClone(s));
  }

  /** CreateScheduleGroup. */
  createScheduleGroup(name: string): { ScheduleGroupArn: string } {
    if (!NAME.test(name)) throw new SchedulerServiceError('ValidationException', `Invalid group name ${name}`);
    if (this.groups.has(name)) throw new SchedulerServiceError('ConflictException', `Schedule group ${name} already exists.`);
    const now = new Date(this.clock.now());
    this.groups.set(name, { CreationDate: now, LastModificationDate: now });
    return { ScheduleGroupArn: groupArn(name) };
  }

  /** GetScheduleGroup. */
  getScheduleGroup(name: string): ScheduleGroup {
    const group = this.groups.get(name);
    if (!group) throw new SchedulerServiceError('ResourceNotFoundException', `Schedule group ${name} does not exist.`);
    return { Arn: groupArn(name), Name: name, State: 'ACTIVE', ...group };
  }

  /** DeleteScheduleGroup: deletes its schedules too, as AWS does. */
  deleteScheduleGroup(name: string): void {
    if (name === 'default') throw new SchedulerServiceError('ValidationException', 'The default group cannot be deleted.');
    this.getScheduleGroup(name);
    for (const stored of [...this.schedules.values()]) if (stored.schedule.GroupName === name) this.deleteSchedule(stored.schedule.Name, name);
    this.groups.delete(name);
  }

  /** ListScheduleGroups. */
  listScheduleGroups(): ScheduleGroup[] {
    return [...this.groups.keys()].sort().map((name) => this.getScheduleGroup(name));
  }

  /** Every firing so far, oldest first. */
  fireHistory(): FireRecord[] {
    return this.fires.map((f) => ({ ...f }));
  }

  /** Schedules still to fire, soonest first (diagnostics). */
  upcoming(): Array<{ name: string; groupName: string; at: Date }> {
    return [...this.schedules.values()]
      .filter((s) => s.timer)
      .sort((a, b) => a.at - b.at)
      .map((s) => ({ name: s.schedule.Name, groupName: s.schedule.GroupName, at: new Date(s.at) }));
  }

  /** The earliest virtual instant a schedule is armed for (see `advanceInSteps`). */
  nextWakeUp(): number | undefined {
    let next: number | undefined;
    for (const stored of this.schedules.values()) if (stored.timer && (next === undefined || stored.at < next)) next = stored.at;
    return next;
  }

  /** Resolves once the targets of the schedules fired so far have been called. */
  async waitForIdle(): Promise<void> {
    while (this.starting.size > 0) await Promise.allSettled([...this.starting]);
  }

  /** Called after each firing; returns the unsubscribe function. */
  onFire(listener: (record: FireRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Serves the REST-JSON API on 127.0.0.1; `port` 0 picks a free port. Resolves with the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    if (this.server) throw new Error('already listening');
    const { server, port: bound } = await startSchedulerHttpServer(this, port, host);
    this.server = server;
    return bound;
  }

  /** Stops the endpoint and every pending timer. */
  async close(): Promise<void> {
    for (const stored of this.schedules.values()) this.clock.clearTimer(stored.timer);
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  // ------------------------------------------------------------------------

  private groupFor(groupName: string | undefined): string {
    const name = groupName ?? 'default';
    if (!this.groups.has(name)) {
      if (!this.autoCreateGroups) throw new SchedulerServiceError('ResourceNotFoundException', `Schedule group ${name} does not exist.`);
      this.createScheduleGroup(name);
    }
    return name;
  }

  private stored(name: string, groupName: string): Stored {
    const stored = this.schedules.get(keyOf(groupName, name));
    if (!stored) throw new SchedulerServiceError('ResourceNotFoundException', `Schedule ${name} does not exist.`);
    return stored;
  }

  private store(request: ScheduleRequest, groupName: string, creationDate: Date): Schedule {
    const at = validate(request);
    const key = keyOf(groupName, request.Name);
    const previous = this.schedules.get(key);
    this.clock.clearTimer(previous?.timer);
    const schedule: Schedule = {
      Arn: `arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:schedule/${groupName}/${request.Name}`,
      Name: request.Name,
      GroupName: groupName,
      ScheduleExpression: request.ScheduleExpression,
      ...(request.ScheduleExpressionTimezone ? { ScheduleExpressionTimezone: request.ScheduleExpressionTimezone } : {}),
      FlexibleTimeWindow: { ...request.FlexibleTimeWindow },
      Target: structuredClone(request.Target),
      ActionAfterCompletion: request.ActionAfterCompletion ?? 'NONE',
      State: request.State ?? 'ENABLED',
      ...(request.Description !== undefined ? { Description: request.Description } : {}),
      ...(request.StartDate ? { StartDate: new Date(request.StartDate) } : {}),
      ...(request.EndDate ? { EndDate: new Date(request.EndDate) } : {}),
      ...(request.KmsKeyArn ? { KmsKeyArn: request.KmsKeyArn } : {}),
      CreationDate: creationDate,
      LastModificationDate: new Date(this.clock.now()),
    };
    const stored: Stored = { schedule, at, fired: false };
    // A one-time schedule fires at its instant; FLEXIBLE windows fire at the start of the window here.
    if (schedule.State === 'ENABLED') stored.timer = this.clock.setTimer(at, () => this.fire(stored));
    this.schedules.set(key, stored);
    return schedule;
  }

  private fire(stored: Stored): void {
    const { schedule } = stored;
    const key = keyOf(schedule.GroupName, schedule.Name);
    if (this.schedules.get(key) !== stored || stored.fired) return;
    stored.fired = true;
    stored.timer = undefined;
    if (schedule.ActionAfterCompletion === 'DELETE') this.schedules.delete(key);
    const record: FireRecord = {
      scheduleArn: schedule.Arn,
      name: schedule.Name,
      groupName: schedule.GroupName,
      scheduledTime: new Date(stored.at),
      firedAt: new Date(this.clock.now()),
      targetArn: schedule.Target.Arn,
      outcome: 'pending',
    };
    this.fires.push(record);
    const settle = (outcome: { executionArn: string } | { error: unknown }) => {
      if ('executionArn' in outcome) {
        record.outcome = 'started';
        record.executionArn = outcome.executionArn;
      } else {
        const error = outcome.error;
        record.outcome = 'failed';
        record.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        console.warn(`[scheduler] ${schedule.Name} could not start its target: ${record.error}`);
      }
      for (const listener of this.listeners) listener({ ...record });
    };
    try {
      const started = this.stepFunctions.startExecution(startRequest(schedule, stored.at));
      if (started instanceof Promise) {
        const pending = started.then((out) => settle(out), (error: unknown) => settle({ error }));
        this.starting.add(pending);
        void pending.finally(() => this.starting.delete(pending));
      } else {
        settle(started);
      }
    } catch (error) {
      settle({ error });
    }
  }
}

function keyOf(groupName: string, name: string): string {
  return `${groupName}/${name}`;
}

function groupArn(name: string): string {
  return `arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:schedule-group/${name}`;
}

/** Validates a create/update request as the service does; returns the instant it fires. */
function validate(request: ScheduleRequest): number {
  const fail = (message: string): never => {
    throw new SchedulerServiceError('ValidationException', message);
  };
  if (typeof request.Name !== 'string' || !NAME.test(request.Name)) fail(`Invalid schedule name ${String(request.Name)}`);
  if (typeof request.ScheduleExpression !== 'string') fail('ScheduleExpression is required');
  const parsed = parseAtExpression(request.ScheduleExpression, request.ScheduleExpressionTimezone ?? 'UTC');
  if ('error' in parsed) return fail(parsed.error);
  const window = request.FlexibleTimeWindow;
  if (!window || (window.Mode !== 'OFF' && window.Mode !== 'FLEXIBLE')) fail('FlexibleTimeWindow.Mode must be OFF or FLEXIBLE');
  if (window.Mode === 'FLEXIBLE' && !(Number.isInteger(window.MaximumWindowInMinutes) && window.MaximumWindowInMinutes! >= 1 && window.MaximumWindowInMinutes! <= 1440)) {
    fail('FlexibleTimeWindow.MaximumWindowInMinutes must be 1..1440 when Mode is FLEXIBLE');
  }
  const target = request.Target;
  if (!target || typeof target.Arn !== 'string' || typeof target.RoleArn !== 'string') fail('Target.Arn and Target.RoleArn are required');
  if (!UNIVERSAL_SFN.test(target.Arn) && !STATE_MACHINE.test(target.Arn)) {
    fail(`Target ${target.Arn} is not supported by the local scheduler (use aws-sdk:sfn:startExecution or a state machine ARN)`);
  }
  if (target.Input !== undefined && typeof target.Input !== 'string') fail('Target.Input must be a string');
  if (request.ActionAfterCompletion !== undefined && request.ActionAfterCompletion !== 'NONE' && request.ActionAfterCompletion !== 'DELETE') {
    fail('ActionAfterCompletion must be NONE or DELETE');
  }
  if (request.State !== undefined && request.State !== 'ENABLED' && request.State !== 'DISABLED') fail('State must be ENABLED or DISABLED');
  return parsed.at;
}

/** The StartExecution call a firing makes, with the context attributes of a templated target substituted. */
function startRequest(schedule: Schedule, at: number): { stateMachineArn: string; name?: string; input?: string } {
  const input = (schedule.Target.Input ?? '')
    .replaceAll('<aws.scheduler.schedule-arn>', schedule.Arn)
    .replaceAll('<aws.scheduler.scheduled-time>', new Date(at).toISOString().replace('.000Z', 'Z'))
    .replaceAll('<aws.scheduler.execution-id>', randomUUID())
    .replaceAll('<aws.scheduler.attempt-number>', '1');
  if (STATE_MACHINE.test(schedule.Target.Arn)) return { stateMachineArn: schedule.Target.Arn, input: input || '{}' };
  let params: Record<string, unknown>;
  try {
    params = JSON.parse(input || '{}') as Record<string, unknown>;
  } catch {
    throw new SchedulerServiceError('ValidationException', 'the universal target Input is not JSON');
  }
  if (typeof params.StateMachineArn !== 'string') throw new SchedulerServiceError('ValidationException', 'StartExecution needs StateMachineArn');
  if (params.Input !== undefined && typeof params.Input !== 'string') throw new SchedulerServiceError('ValidationException', 'StartExecution Input must be a JSON string');
  if (params.Name !== undefined && typeof params.Name !== 'string') throw new SchedulerServiceError('ValidationException', 'StartExecution Name must be a string');
  return {
    stateMachineArn: params.StateMachineArn,
    ...(params.Name !== undefined ? { name: params.Name } : {}),
    ...(params.Input !== undefined ? { input: params.Input } : {}),
  };
}

import './polyfill.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ExecutionError, StateMachine, type RunOptions, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { functionArnPlaceholder, functions as catalogFunctions } from '../../functions/catalog.ts';
import type { VirtualClock, VirtualTimer } from '../clock.ts';
import {
  LOCAL_ACCOUNT_ID,
  LOCAL_PARTITION,
  LOCAL_REGION,
  functionNameOf,
  localFunctionArn,
  localStateMachineArn,
  parseExecutionArn,
  parseStateMachineArn,
} from './arns.ts';
import {
  CONTEXT_KEYS,
  SENTINEL,
  WRAP,
  compileDefinition,
  type CompiledDefinition,
  type Json,
  type JsonObject,
  type TaskSpec,
  type WaitSpec,
} from './definition.ts';
import { ExecutionClosedError, SfnServiceError, TaskError, lambdaFunctionError } from './errors.ts';
import type { ExecutionDescription, ExecutionStatus, HistoryEvent, StartExecutionInput, StartExecutionOutput, StepFunctionsApi } from './api.ts';
import { startSfnHttpServer } from './http.ts';
import { stateMachineArnPlaceholder, workflowFiles } from '../../workflows/index.ts';
import { nextRetryDelay } from './retry.ts';
import { advanceInSteps } from './stepping.ts';

/** Calls a Lambda function of the local stack by name; resolves with its return value, rejects with what it throws. */
export type InvokeFunction = (functionName: string, payload: unknown) => Promise<unknown>;

/** A PutEvents request entry, as the `events:putEvents` integration sends it (Detail as a JSON string). */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  Time?: string;
  TraceHeader?: string;
}

/** The PutEvents response; a non-zero `FailedEntryCount` fails the task with `EventBridge.FailedEntry`, as on AWS. */
export interface PutEventsResult {
  Entries?: Array<{ EventId?: string; ErrorCode?: string; ErrorMessage?: string }>;
  FailedEntryCount?: number;
}

/** Receives the entries of an `events:putEvents` task. */
export type PutEvents = (entries: PutEventsEntry[]) => Promise<PutEventsResult | void>;

/** Options of {@link LocalStepFunctions}. */
export interface LocalStepFunctionsOptions {
  /** The one clock of the local stack: Wait states, timeouts, retries and timestamps follow it. */
  clock: VirtualClock;
  /** Maps a function name (from a local function ARN) to the in-process handler. */
  invokeFunction: InvokeFunction;
  /** Target of `events:putEvents` tasks; without it such a task fails with `EventBridge.FailedEntry`. */
  putEvents?: PutEvents;
  /** Extra `definitionSubstitutions`, over the defaults (`Partition` and one `<Name>FunctionArn` per catalogued function). */
  substitutions?: Readonly<Record<string, string>>;
  /** Source of randomness for `JitterStrategy: FULL` (tests pin it). */
  random?: () => number;
}

/** A callback task waiting for SendTaskSuccess/Failure (diagnostics and tests). */
export interface PendingCallback {
  token: string;
  executionArn: string;
  stateName: string;
  functionName: string;
  /** The payload the function was invoked with (it carries the token). */
  payload: unknown;
  createdAt: Date;
  timeoutAt?: Date;
}

/** Notifications for tests and the local stack. */
export type EngineEvent =
  | { type: 'callback-submitted'; callback: PendingCallback }
  | { type: 'execution-closed'; execution: ExecutionDescription };

interface Machine {
  readonly name: string;
  readonly arn: string;
  readonly compiled: CompiledDefinition;
  readonly runner: StateMachine;
  readonly createdAt: number;
}

interface Execution {
  readonly arn: string;
  readonly name: string;
  readonly machine: Machine;
  readonly inputText: string;
  readonly inputValue: Json;
  readonly startMs: number;
  status: ExecutionStatus;
  output?: string;
  error?: string;
  cause?: string;
  stopMs?: number;
  readonly history: HistoryEvent[];
  /** The execution whose `states:startExecution` task started this one, if any. */
  readonly parentArn?: string;
  /** Rejects pending work (timers, callbacks, invocations) of this execution; the value is the state it belongs to. */
  readonly cancels: Map<(error: Error) => void, string | undefined>;
  abort?: () => void;
  readonly done: Promise<ExecutionDescription>;
  settle: (description: ExecutionDescription) => void;
}

interface Callback {
  readonly token: string;
  readonly exec: Execution;
  readonly stateName: string;
  readonly functionName: string;
  readonly payload: unknown;
  readonly createdAt: number;
  readonly timeoutAt?: number;
  readonly resolve: (output: Json) => void;
  readonly reject: (error: Error) => void;
  heartbeat?: () => void;
  submitted: boolean;
}

const TOKEN_BYTES = 64;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{86}$/;
const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
const LOCAL_ROLE_ARN = `arn:${LOCAL_PARTITION}:iam::${LOCAL_ACCOUNT_ID}:role/local-stepfunctions`;

/** The `definitionSubstitutions` CDK gives every state machine: the partition and every catalogued function's ARN. */
export function defaultSubstitutions(): Record<string, string> {
  const out: Record<string, string> = { Partition: LOCAL_PARTITION };
  for (const fn of catalogFunctions) out[functionArnPlaceholder(fn.name)] = localFunctionArn(fn.name);
  return out;
}

/**
 * The local Step Functions engine: the project's ASL files run by
 * aws-local-stepfunctions, with time, callbacks, timeouts and retries on the
 * virtual clock, behind the programmatic API below and an AWS-JSON endpoint
 * (`listen`) the real `@aws-sdk/client-sfn` talks to.
 */
export class LocalStepFunctions implements StepFunctionsApi {
  private readonly clock: VirtualClock;
  private readonly invokeFunction: InvokeFunction;
  private readonly putEventsTarget: PutEvents | undefined;
  private readonly substitutions: Readonly<Record<string, string>>;
  private readonly random: () => number;
  private readonly machines = new Map<string, Machine>();
  private readonly executions = new Map<string, Execution>();
  private readonly callbacks = new Map<string, Callback>();
  private readonly closedTokens = new Set<string>();
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  /** Virtual instants of this engine's armed timers, by timer id. */
  private readonly wakeUps = new Map<number, number>();
  private busy = 0;
  private idleWaiters: Array<() => void> = [];
  private server: Server | undefined;

  constructor(options: LocalStepFunctionsOptions) {
    this.clock = options.clock;
    this.invokeFunction = options.invokeFunction;
    this.putEventsTarget = options.putEvents;
    this.substitutions = { ...defaultSubstitutions(), ...options.substitutions };
    this.random = options.random ?? Math.random;
  }

  /**
   * Registers a state machine from an ASL file path, ASL text or a definition
   * object; substitutions apply as CDK's `definitionSubstitutions` do. Throws
   * when the definition cannot run here as on AWS. Returns its ARN.
   */
  register(name: string, source: string | object, substitutions: Readonly<Record<string, string>> = {}): string {
    const compiled = compileDefinition(name, source, { ...this.substitutions, ...substitutions });
    const runner = new StateMachine(compiled.runnable as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
    const arn = localStateMachineArn(name);
    this.machines.set(name, { name, arn, compiled, runner, createdAt: this.clock.now() });
    return arn;
  }

  /**
   * Registers every workflow folder of `dir` (`<name>/<name>.asl.json`, see
   * workflows/index.ts) under its folder name; each definition may name any of
   * them as `${<Pascal>StateMachineArn}` (a parent starting a child).
   */
  registerWorkflows(dir: string, substitutions: Readonly<Record<string, string>> = {}): string[] {
    const files = workflowFiles(dir);
    const arns = workflowArnSubstitutions(files.map((f) => f.name));
    return files.map((f) => this.register(f.name, f.file, { ...arns, ...substitutions }));
  }

  /** The ARN of a registered state machine. */
  stateMachineArn(name: string): string {
    const machine = this.machines.get(name);
    if (!machine) throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${localStateMachineArn(name)}'`);
    return machine.arn;
  }

  /** The definition of a registered machine after substitutions (what DescribeStateMachine returns). */
  describeStateMachine(stateMachineArn: string): { stateMachineArn: string; name: string; definition: string; creationDate: Date } {
    const machine = this.machineOf(stateMachineArn);
    return { stateMachineArn: machine.arn, name: machine.name, definition: JSON.stringify(machine.compiled.definition), creationDate: new Date(machine.createdAt) };
  }

  /** Registered state machines. */
  listStateMachines(): Array<{ stateMachineArn: string; name: string; creationDate: Date }> {
    return [...this.machines.values()].map((m) => ({ stateMachineArn: m.arn, name: m.name, creationDate: new Date(m.createdAt) }));
  }

  /**
   * Starts an execution. A Standard workflow's name is idempotent: the same
   * name and input while it runs returns the running execution; anything else
   * under a used name is `ExecutionAlreadyExists`.
   */
  startExecution(request: StartExecutionInput, parentArn?: string): StartExecutionOutput {
    const machine = this.machineOf(request.stateMachineArn);
    const name = request.name ?? randomUUID();
    if (!EXECUTION_NAME.test(name)) throw new SfnServiceError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = request.input ?? '{}';
    let inputValue: Json;
    try {
      inputValue = JSON.parse(inputText) as Json;
    } catch {
      throw new SfnServiceError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${inputText.slice(0, 100)}'`);
    }
    const arn = machine.arn.replace(':stateMachine:', ':execution:') + `:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && JSON.stringify(existing.inputValue) === JSON.stringify(inputValue)) {
        return { executionArn: arn, startDate: new Date(existing.startMs) };
      }
      throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    let settle!: (d: ExecutionDescription) => void;
    const done = new Promise<ExecutionDescription>((resolve) => (settle = resolve));
    const exec: Execution = {
      arn,
      name,
      machine,
      inputText,
      inputValue,
      startMs: this.clock.now(),
      status: 'RUNNING',
      history: [],
      cancels: new Map(),
      done,
      settle,
      ...(parentArn ? { parentArn } : {}),
    };
    this.executions.set(arn, exec);
    this.record(exec, 'ExecutionStarted', { input: inputText, inputDetails: { truncated: false }, roleArn: LOCAL_ROLE_ARN });
    this.run(exec).catch((error: unknown) => console.error('[stepfunctions] execution runner failed', error));
    return { executionArn: arn, startDate: new Date(exec.startMs) };
  }

  /** DescribeExecution. */
  describeExecution(executionArn: string): ExecutionDescription {
    return this.describe(this.executionOf(executionArn));
  }

  /** Resolves when the execution is no longer RUNNING (no real wait: it follows the execution and the virtual clock). */
  waitForCompletion(executionArn: string): Promise<ExecutionDescription> {
    return this.executionOf(executionArn).done;
  }

  /** StopExecution: the execution becomes ABORTED and its pending callbacks and timers are dropped. */
  stopExecution(executionArn: string, error?: string, cause?: string): { stopDate: Date } {
    const exec = this.executionOf(executionArn);
    if (exec.status === 'RUNNING') this.closeExecution(exec, 'ABORTED', { error, cause });
    return { stopDate: new Date(exec.stopMs ?? this.clock.now()) };
  }

  /** ListExecutions, newest first. */
  listExecutions(stateMachineArn: string, statusFilter?: ExecutionStatus): ExecutionDescription[] {
    const machine = this.machineOf(stateMachineArn);
    return [...this.executions.values()]
      .filter((e) => e.machine === machine && (!statusFilter || e.status === statusFilter))
      .sort((a, b) => b.startMs - a.startMs)
      .map((e) => this.describe(e));
  }

  /**
   * State transitions of an execution: the states it entered, and (with
   * `includeChildren`) those of every execution its `states:startExecution`
   * tasks started, recursively: what a lifecycle costs in Step Functions.
   */
  stateTransitions(executionArn: string, includeChildren = true): number {
    const exec = this.executionOf(executionArn);
    let count = exec.history.filter((e) => e.type.endsWith('StateEntered')).length;
    if (includeChildren) {
      for (const child of this.executions.values()) if (child.parentArn === exec.arn) count += this.stateTransitions(child.arn, true);
    }
    return count;
  }

  /** Executions started by `executionArn`'s `states:startExecution` tasks, oldest first. */
  childExecutions(executionArn: string): ExecutionDescription[] {
    const exec = this.executionOf(executionArn);
    return [...this.executions.values()].filter((e) => e.parentArn === exec.arn).sort((a, b) => a.startMs - b.startMs).map((e) => this.describe(e));
  }

  /** GetExecutionHistory, oldest first. */
  getExecutionHistory(executionArn: string): HistoryEvent[] {
    return this.executionOf(executionArn).history.map((e) => ({ ...e }));
  }

  /** SendTaskSuccess: `output` is the task result as a JSON string. */
  sendTaskSuccess(taskToken: string, output: string): void {
    const callback = this.openCallback(taskToken);
    let value: Json;
    try {
      value = JSON.parse(output) as Json;
    } catch {
      throw new SfnServiceError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    this.closeToken(taskToken);
    callback.resolve(value);
  }

  /** SendTaskFailure: the task fails with `error` and `cause` (both empty when not given, as on AWS). */
  sendTaskFailure(taskToken: string, error?: string, cause?: string): void {
    const callback = this.openCallback(taskToken);
    this.closeToken(taskToken);
    callback.reject(new TaskError(error ?? '', cause ?? ''));
  }

  /** SendTaskHeartbeat: restarts the HeartbeatSeconds timer of the task. */
  sendTaskHeartbeat(taskToken: string): void {
    this.openCallback(taskToken).heartbeat?.();
  }

  /** Callback tasks waiting for an answer, oldest first. */
  pendingCallbacks(): PendingCallback[] {
    return [...this.callbacks.values()].map((c) => this.describeCallback(c));
  }

  /** Subscribes to engine notifications; returns the unsubscribe function. */
  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves once every execution is parked (on a virtual timer or a callback)
   * or closed, and no function invocation is in flight: the moment to move the
   * virtual clock or answer a callback.
   */
  async waitForIdle(): Promise<void> {
    for (;;) {
      await nextTurn();
      if (this.busy === 0) {
        await nextTurn();
        if (this.busy === 0) return;
      }
      if (this.busy > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  /** The earliest virtual instant this engine has a timer armed for (Wait, timeout, heartbeat, retry backoff). */
  nextWakeUp(): number | undefined {
    let next: number | undefined;
    for (const at of this.wakeUps.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  /**
   * Moves the virtual clock forward by `ms`, stopping at each of this engine's
   * timers on the way so every reaction (a retry armed by a timer that fired)
   * happens at its exact instant. Resolves with the new virtual now, idle.
   */
  advanceClock(ms: number): Promise<number> {
    return advanceInSteps(this.clock, ms, [this]);
  }

  /** Serves the AWS-JSON API on 127.0.0.1; `port` 0 picks a free port. Resolves with the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    if (this.server) throw new Error('already listening');
    const { server, port: bound } = await startSfnHttpServer(this, port, host);
    this.server = server;
    return bound;
  }

  /** Stops the endpoint and drops every running execution (their pending work is rejected). */
  async close(): Promise<void> {
    for (const exec of this.executions.values()) if (exec.status === 'RUNNING') this.closeExecution(exec, 'ABORTED', { error: 'States.Runtime', cause: 'engine closed' });
    const server = this.server;
    this.server = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  // ---------------------------------------------------------------- running

  private async run(exec: Execution): Promise<void> {
    // Busy from the start until the library has had a turn to reach its first park (its overrides count themselves).
    this.busy++;
    let held = true;
    const releaseStart = () => {
      if (held) this.release();
      held = false;
    };
    try {
      await this.runLibrary(exec, releaseStart);
    } finally {
      releaseStart();
    }
  }

  private async runLibrary(exec: Execution, releaseStart: () => void): Promise<void> {
    const timeoutPrototype = await statesTimeoutPrototype();
    if (exec.status !== 'RUNNING') return;
    const { compiled } = exec.machine;
    const startIso = new Date(exec.startMs).toISOString();
    const context = {
      Execution: {
        Id: exec.arn,
        Name: exec.name,
        RoleArn: LOCAL_ROLE_ARN,
        StartTime: startIso,
        RedriveCount: 0,
        [CONTEXT_KEYS.startTime]: startIso,
        [CONTEXT_KEYS.input]: exec.inputValue,
      },
      StateMachine: { Id: exec.machine.arn, Name: exec.machine.name },
      State: { Name: SENTINEL.stateName, EnteredTime: SENTINEL.enteredTime, RetryCount: SENTINEL.retryCount },
      Task: { Token: SENTINEL.token },
    };
    const handlers: Record<string, (input: unknown) => Promise<Json>> = {};
    for (const [stateName, spec] of compiled.overridden) {
      handlers[stateName] = (input) => this.runState(exec, spec, input as Json, timeoutPrototype);
    }
    const options: RunOptions = {
      overrides: { taskResourceLocalHandlers: handlers as never, retryIntervalOverrides: { ...compiled.retryIntervalOverrides } },
      context,
      noThrowOnAbort: true,
    };
    const execution = exec.machine.runner.run(exec.inputValue as never, options);
    exec.abort = execution.abort;
    nextTurn().then(releaseStart, releaseStart);
    if (compiled.timeoutSeconds !== undefined) {
      this.parkUntil(exec, exec.startMs + compiled.timeoutSeconds * 1000, false).then(
        () => this.closeExecution(exec, 'TIMED_OUT', { error: 'States.Timeout', cause: `The execution exceeded its TimeoutSeconds of ${compiled.timeoutSeconds}` }),
        () => undefined,
      );
    }
    const consumed = (async () => {
      for await (const event of execution.eventLogs) this.recordLibraryEvent(exec, event as unknown as LibraryEvent);
    })();
    const [outcome] = await Promise.allSettled([execution.result, consumed]);
    if (exec.status !== 'RUNNING') return;
    if (outcome.status === 'fulfilled') {
      this.closeExecution(exec, 'SUCCEEDED', { output: JSON.stringify(outcome.value ?? null) });
    } else {
      const failure = outcome.reason instanceof ExecutionError ? (outcome.reason.cause as Error) : (outcome.reason as Error);
      const cause = (failure as { cause?: unknown }).cause;
      this.closeExecution(exec, 'FAILED', { error: failure?.name, cause: typeof cause === 'string' ? cause : failure?.message });
    }
  }

  /** The override of one Task or Wait state entry (the library calls it once per entry: Retry is ours). */
  private async runState(exec: Execution, spec: TaskSpec | WaitSpec, input: Json, timeoutPrototype: object): Promise<Json> {
    const enteredAt = this.clock.now();
    this.busy++;
    try {
      // One macrotask turn so the library's StateEntered event is recorded before our task events.
      await nextTurn();
      if (exec.status !== 'RUNNING') throw new ExecutionClosedError();
      const wrapper = (input ?? {}) as JsonObject;
      if (spec.kind === 'wait') {
        await this.parkUntil(exec, waitUntil(spec, wrapper, enteredAt), true, spec.name);
        return wrapper[WRAP.input] ?? null;
      }
      return await this.runTask(exec, spec, wrapper, enteredAt, timeoutPrototype);
    } finally {
      this.release();
    }
  }

  private async runTask(exec: Execution, spec: TaskSpec, input: JsonObject, enteredAt: number, timeoutPrototype: object): Promise<Json> {
    let params: Json = input;
    let timeoutSeconds = spec.timeoutSeconds;
    let heartbeatSeconds = spec.heartbeatSeconds;
    if (spec.wrapped) {
      params = input[WRAP.params] ?? null;
      if (WRAP.timeout in input) timeoutSeconds = positiveInteger(input[WRAP.timeout], 'TimeoutSecondsPath');
      if (WRAP.heartbeat in input) heartbeatSeconds = positiveInteger(input[WRAP.heartbeat], 'HeartbeatSecondsPath');
    }
    const attempts: number[] = [];
    for (let retryCount = 0; ; retryCount++) {
      const token = spec.integration === 'lambda-callback' ? randomBytes(TOKEN_BYTES).toString('base64url') : undefined;
      const resolved = resolveSentinels(params, {
        [SENTINEL.token]: token ?? '',
        [SENTINEL.stateName]: spec.name,
        [SENTINEL.enteredTime]: new Date(enteredAt).toISOString(),
        [SENTINEL.retryCount]: retryCount,
      });
      try {
        return await this.attempt(exec, spec, resolved, { token, timeoutSeconds, heartbeatSeconds, timeoutPrototype });
      } catch (error) {
        if (exec.status !== 'RUNNING' || !(error instanceof Error)) throw error;
        if ((error as { isRetryable?: boolean }).isRetryable === false) throw error;
        const delay = nextRetryDelay(spec.retry, error.name, attempts, this.random);
        if (delay === undefined) throw error;
        await this.parkUntil(exec, this.clock.now() + delay, true, spec.name);
      }
    }
  }

  private async attempt(
    exec: Execution,
    spec: TaskSpec,
    params: Json,
    opts: { token?: string; timeoutSeconds?: number; heartbeatSeconds?: number; timeoutPrototype: object },
  ): Promise<Json> {
    const started = this.clock.now();
    const deadline = opts.timeoutSeconds !== undefined ? started + opts.timeoutSeconds * 1000 : undefined;
    const timeoutError = () => Object.setPrototypeOf(new TaskError('States.Timeout', ''), opts.timeoutPrototype) as TaskError;
    const scheduled = {
      resourceType: spec.integration === 'put-events' ? 'events' : spec.integration.startsWith('start-execution') ? 'states' : 'lambda',
      resource: resourceName(spec),
      region: LOCAL_REGION,
      parameters: JSON.stringify(params),
      ...(opts.timeoutSeconds !== undefined ? { timeoutInSeconds: opts.timeoutSeconds } : {}),
      ...(opts.heartbeatSeconds !== undefined ? { heartbeatInSeconds: opts.heartbeatSeconds } : {}),
    };
    const task = { resourceType: scheduled.resourceType, resource: scheduled.resource };

    if (spec.integration === 'lambda-function') {
      this.record(exec, 'LambdaFunctionScheduled', { resource: spec.resource, input: JSON.stringify(params), ...(opts.timeoutSeconds !== undefined ? { timeoutInSeconds: opts.timeoutSeconds } : {}) });
      this.record(exec, 'LambdaFunctionStarted');
      try {
        const output = await this.race(exec, this.invoke(functionNameOf(spec.resource), params), { stateName: spec.name, deadline, timeoutError, parked: false });
        this.record(exec, 'LambdaFunctionSucceeded', { output: JSON.stringify(output) });
        return output;
      } catch (error) {
        this.recordFailure(exec, error, 'LambdaFunctionTimedOut', 'LambdaFunctionFailed', {});
        throw error;
      }
    }

    this.record(exec, 'TaskScheduled', scheduled);
    this.record(exec, 'TaskStarted', task);
    try {
      if (spec.integration === 'put-events') {
        const output = await this.race(exec, this.putEvents(exec, params), { stateName: spec.name, deadline, timeoutError, parked: false });
        this.record(exec, 'TaskSucceeded', { ...task, output: JSON.stringify(output) });
        return output;
      }
      if (spec.integration.startsWith('start-execution')) {
        const output = await this.startExecutionAttempt(exec, spec, params, { heartbeatSeconds: opts.heartbeatSeconds, deadline, timeoutError, task });
        this.record(exec, 'TaskSucceeded', { ...task, output: JSON.stringify(output) });
        return output;
      }
      const request = (params ?? {}) as JsonObject;
      const functionName = typeof request.FunctionName === 'string' ? request.FunctionName : '';
      const payload = request.Payload ?? {};
      if (spec.integration === 'lambda-invoke') {
        const result = await this.race(exec, this.invoke(functionNameOf(functionName), payload), { stateName: spec.name, deadline, timeoutError, parked: false });
        const output = invokeResult(result);
        this.record(exec, 'TaskSucceeded', { ...task, output: JSON.stringify(output) });
        return output;
      }
      return await this.callbackAttempt(exec, spec, functionName, payload, { ...opts, token: opts.token!, deadline, timeoutError, task });
    } catch (error) {
      this.recordFailure(exec, error, 'TaskTimedOut', 'TaskFailed', task);
      throw error;
    }
  }

  private async callbackAttempt(
    exec: Execution,
    spec: TaskSpec,
    functionName: string,
    payload: Json,
    opts: { token: string; heartbeatSeconds?: number; deadline?: number; timeoutError: () => TaskError; task: Record<string, string> },
  ): Promise<Json> {
    let resolve!: (value: Json) => void;
    let reject!: (error: Error) => void;
    const answered = new Promise<Json>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const callback: Callback = {
      token: opts.token,
      exec,
      stateName: spec.name,
      functionName: functionNameOf(functionName),
      payload,
      createdAt: this.clock.now(),
      timeoutAt: opts.deadline,
      resolve,
      reject,
      submitted: false,
    };
    // Registered before the function runs: a function may answer its own token at once.
    this.callbacks.set(opts.token, callback);
    try {
      const result = await this.race(exec, this.invoke(callback.functionName, payload), { stateName: spec.name, deadline: opts.deadline, timeoutError: opts.timeoutError, parked: false });
      callback.submitted = true;
      this.record(exec, 'TaskSubmitted', { ...opts.task, output: JSON.stringify(invokeResult(result)) });
      this.emit({ type: 'callback-submitted', callback: this.describeCallback(callback) });
      const output = await this.race(exec, answered, {
        stateName: spec.name,
        deadline: opts.deadline,
        timeoutError: opts.timeoutError,
        parked: true,
        heartbeatMs: opts.heartbeatSeconds !== undefined ? opts.heartbeatSeconds * 1000 : undefined,
        onHeartbeat: (reset) => (callback.heartbeat = reset),
      });
      this.record(exec, 'TaskSucceeded', { ...opts.task, output: JSON.stringify(output) });
      return output;
    } finally {
      this.closeToken(opts.token);
    }
  }

  /**
   * `states:startExecution[.sync[:2]]` as AWS runs it: the child starts under
   * the given `Name` (idempotent while it runs with the same input), the
   * request-response form returns its ARN and start date; `.sync` and
   * `.sync:2` wait for it and return its DescribeExecution output (`:2`:
   * `Input` and `Output` as JSON, `.sync`: as strings). A child that fails,
   * times out or is aborted fails the task with `States.TaskFailed`, the
   * child's description (with its `Error` and `Cause`) as the cause. When the
   * parent task ends first (its timeout, heartbeat, or the parent closing),
   * the child is stopped.
   */
  private async startExecutionAttempt(
    exec: Execution,
    spec: TaskSpec,
    params: Json,
    opts: { heartbeatSeconds?: number; deadline?: number; timeoutError: () => TaskError; task: Record<string, string> },
  ): Promise<Json> {
    const request = (params ?? {}) as JsonObject;
    const input = request.Input ?? {};
    let started: StartExecutionOutput;
    try {
      started = this.startExecution(
        {
          stateMachineArn: String(request.StateMachineArn ?? ''),
          ...(typeof request.Name === 'string' ? { name: request.Name } : {}),
          input: typeof input === 'string' ? input : JSON.stringify(input),
        },
        exec.arn,
      );
    } catch (error) {
      // The service integration names API errors `StepFunctions.<Code>Exception`.
      if (error instanceof SfnServiceError) throw new TaskError(`StepFunctions.${error.code}Exception`, error.message);
      throw error;
    }
    const startOutput: JsonObject = { ExecutionArn: started.executionArn, StartDate: started.startDate.getTime() };
    if (spec.integration === 'start-execution') return startOutput;
    this.record(exec, 'TaskSubmitted', { ...opts.task, output: JSON.stringify(startOutput) });
    const child = this.executionOf(started.executionArn);
    let finished: ExecutionDescription;
    try {
      finished = await this.race(exec, child.done, {
        stateName: spec.name,
        deadline: opts.deadline,
        timeoutError: opts.timeoutError,
        parked: true,
        heartbeatMs: opts.heartbeatSeconds !== undefined ? opts.heartbeatSeconds * 1000 : undefined,
      });
    } catch (error) {
      if (child.status === 'RUNNING') {
        this.closeExecution(child, 'ABORTED', { error: 'States.Aborted', cause: 'the parent task of this execution ended' });
      }
      throw error;
    }
    const description = syncDescription(finished, spec.integration === 'start-execution-sync2');
    if (finished.status === 'SUCCEEDED') return description;
    throw new TaskError('States.TaskFailed', JSON.stringify(description));
  }

  /**
   * Settles with `work`, or rejects at the virtual `deadline` (States.Timeout),
   * after `heartbeatMs` without a heartbeat (States.HeartbeatTimeout), or when
   * the execution closes. A parked race does not count as busy.
   */
  private race<T>(
    exec: Execution,
    work: Promise<T>,
    opts: { stateName?: string; deadline?: number; timeoutError: () => TaskError; parked: boolean; heartbeatMs?: number; onHeartbeat?: (reset: () => void) => void },
  ): Promise<T> {
    const raced = new Promise<T>((resolve, reject) => {
      let settled = false;
      let deadlineTimer: VirtualTimer | undefined;
      let heartbeatTimer: VirtualTimer | undefined;
      const finish = (settle: () => void) => {
        if (settled) return;
        settled = true;
        this.clearTimer(deadlineTimer);
        this.clearTimer(heartbeatTimer);
        exec.cancels.delete(cancel);
        settle();
      };
      const cancel = (error: Error) => finish(() => reject(error));
      exec.cancels.set(cancel, opts.stateName);
      if (opts.deadline !== undefined) {
        deadlineTimer = this.setTimer(opts.deadline, () => finish(() => reject(opts.timeoutError())));
      }
      if (opts.heartbeatMs !== undefined) {
        const heartbeatMs = opts.heartbeatMs;
        const arm = () => {
          if (settled) return;
          this.clearTimer(heartbeatTimer);
          heartbeatTimer = this.setTimer(this.clock.now() + heartbeatMs, () =>
            finish(() => reject(new TaskError('States.HeartbeatTimeout', ''))),
          );
        };
        arm();
        opts.onHeartbeat?.(arm);
      }
      work.then(
        (value) => finish(() => resolve(value)),
        (error: unknown) => finish(() => reject(error)),
      );
    });
    return opts.parked ? this.parked(raced) : raced;
  }

  /** Waits on the virtual clock until `at`; rejected if the execution closes first. `parked` releases the caller's busy hold meanwhile. */
  private parkUntil(exec: Execution, at: number, parked = true, stateName?: string): Promise<void> {
    const never = new Promise<void>(() => undefined);
    return this.race(exec, never, {
      stateName,
      deadline: at,
      timeoutError: () => new TaskError('local.timer', ''),
      parked,
    }).catch((error: Error) => {
      if (error.name === 'local.timer') return;
      throw error;
    });
  }

  private async invoke(functionName: string, payload: Json): Promise<Json> {
    let result: unknown;
    try {
      result = await this.invokeFunction(functionName, structuredClone(payload));
    } catch (error) {
      throw lambdaFunctionError(error);
    }
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as Json);
  }

  private async putEvents(exec: Execution, params: Json): Promise<Json> {
    const entries = ((params as JsonObject | null)?.Entries ?? []) as JsonObject[];
    const requestEntries: PutEventsEntry[] = entries.map((entry) => ({
      ...(entry as PutEventsEntry),
      ...(entry.Detail !== undefined && typeof entry.Detail !== 'string' ? { Detail: JSON.stringify(entry.Detail) } : {}),
      // The optimized integration appends the execution and state machine ARNs.
      Resources: [...(Array.isArray(entry.Resources) ? (entry.Resources as string[]) : []), exec.arn, exec.machine.arn],
    }));
    if (!this.putEventsTarget) {
      throw new TaskError('EventBridge.FailedEntry', 'no putEvents target is configured in the local stack');
    }
    const answer = (await this.putEventsTarget(requestEntries)) ?? undefined;
    const result: PutEventsResult = answer ?? { Entries: requestEntries.map(() => ({ EventId: randomUUID() })), FailedEntryCount: 0 };
    if ((result.FailedEntryCount ?? 0) > 0) throw new TaskError('EventBridge.FailedEntry', JSON.stringify(result));
    return JSON.parse(JSON.stringify(result)) as Json;
  }

  private closeExecution(exec: Execution, status: Exclude<ExecutionStatus, 'RUNNING'>, outcome: { output?: string; error?: string; cause?: string }): void {
    if (exec.status !== 'RUNNING') return;
    exec.status = status;
    exec.stopMs = this.clock.now();
    exec.output = outcome.output;
    exec.error = outcome.error || undefined;
    exec.cause = outcome.cause || undefined;
    if (status === 'ABORTED' || status === 'TIMED_OUT') exec.abort?.();
    for (const [token, callback] of this.callbacks) if (callback.exec === exec) this.closeToken(token);
    const closed = new ExecutionClosedError();
    for (const cancel of [...exec.cancels.keys()]) cancel(closed);
    const errorDetails = { ...(exec.error ? { error: exec.error } : {}), ...(exec.cause ? { cause: exec.cause } : {}) };
    if (status === 'SUCCEEDED') this.record(exec, 'ExecutionSucceeded', { output: exec.output, outputDetails: { truncated: false } });
    if (status === 'FAILED') this.record(exec, 'ExecutionFailed', errorDetails);
    if (status === 'ABORTED') this.record(exec, 'ExecutionAborted', errorDetails);
    if (status === 'TIMED_OUT') this.record(exec, 'ExecutionTimedOut', errorDetails);
    const description = this.describe(exec);
    exec.settle(description);
    this.emit({ type: 'execution-closed', execution: description });
  }

  // ------------------------------------------------------------- callbacks

  private openCallback(token: string): Callback {
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) throw new SfnServiceError('InvalidToken', 'Invalid Token: the task token is malformed');
    if (this.closedTokens.has(token)) throw new SfnServiceError('TaskTimedOut', 'Task Timed Out: the task has timed out or is already closed');
    const callback = this.callbacks.get(token);
    if (!callback) throw new SfnServiceError('InvalidToken', 'Invalid Token: no task holds this token');
    return callback;
  }

  private closeToken(token: string): void {
    if (this.callbacks.delete(token)) this.closedTokens.add(token);
  }

  private describeCallback(c: Callback): PendingCallback {
    return {
      token: c.token,
      executionArn: c.exec.arn,
      stateName: c.stateName,
      functionName: c.functionName,
      payload: structuredClone(c.payload),
      createdAt: new Date(c.createdAt),
      ...(c.timeoutAt !== undefined ? { timeoutAt: new Date(c.timeoutAt) } : {}),
    };
  }

  // --------------------------------------------------------------- history

  private record(exec: Execution, type: string, details?: Record<string, unknown>): void {
    const previous = exec.history.at(-1);
    exec.history.push({
      id: (previous?.id ?? 0) + 1,
      previousEventId: previous?.id ?? 0,
      timestamp: new Date(this.clock.now()),
      type,
      ...(details ? { details } : {}),
    });
  }

  private recordFailure(exec: Execution, error: unknown, timedOutType: string, failedType: string, base: Record<string, string>): void {
    if (exec.status !== 'RUNNING' || !(error instanceof Error) || error instanceof ExecutionClosedError) return;
    const details = { ...base, error: error.name, cause: error.message };
    this.record(exec, error.name === 'States.Timeout' || error.name === 'States.HeartbeatTimeout' ? timedOutType : failedType, details);
  }

  private recordLibraryEvent(exec: Execution, event: LibraryEvent): void {
    if (exec.status !== 'RUNNING') return;
    const type = event.state ? exec.machine.compiled.stateTypes.get(event.state.name) : undefined;
    if ((type === 'Parallel' || type === 'Map') && (event.type === 'StateFailed' || event.type === 'StateExited')) {
      this.cancelInside(exec, event.state!.name);
    }
    if (event.type === 'StateEntered' && event.state && type) {
      this.record(exec, `${type}StateEntered`, { name: event.state.name, input: JSON.stringify(event.state.input ?? null) });
    } else if (event.type === 'StateExited' && event.state && type) {
      this.record(exec, `${type}StateExited`, { name: event.state.name, output: JSON.stringify(event.state.output ?? null) });
    } else if (event.type.startsWith('MapIteration') && event.parentState) {
      this.record(exec, event.type, { name: event.parentState.name, index: event.index ?? 0 });
    }
  }

  /**
   * When a Parallel or Map state ends or fails, the library abandons its other
   * branches without telling their overrides: drop their timers and callbacks
   * (their tokens then answer TaskTimedOut, as on AWS).
   */
  private cancelInside(exec: Execution, container: string): void {
    const { parents } = exec.machine.compiled;
    const inside = (state: string | undefined): boolean => {
      for (let p = state ? parents.get(state) : undefined; p; p = parents.get(p)) if (p === container) return true;
      return false;
    };
    const abandoned = new ExecutionClosedError();
    for (const [cancel, state] of [...exec.cancels]) if (inside(state)) cancel(abandoned);
  }

  // ----------------------------------------------------------------- misc

  private machineOf(stateMachineArn: string): Machine {
    const name = parseStateMachineArn(stateMachineArn);
    if (!name) throw new SfnServiceError('InvalidArn', `Invalid Arn: '${stateMachineArn}'`);
    const machine = this.machines.get(name);
    if (!machine || machine.arn !== stateMachineArn) {
      throw new SfnServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    }
    return machine;
  }

  private executionOf(executionArn: string): Execution {
    if (!parseExecutionArn(executionArn)) throw new SfnServiceError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    const exec = this.executions.get(executionArn);
    if (!exec) throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return exec;
  }

  private describe(exec: Execution): ExecutionDescription {
    return {
      executionArn: exec.arn,
      stateMachineArn: exec.machine.arn,
      name: exec.name,
      status: exec.status,
      input: exec.inputText,
      ...(exec.output !== undefined ? { output: exec.output } : {}),
      ...(exec.error !== undefined ? { error: exec.error } : {}),
      ...(exec.cause !== undefined ? { cause: exec.cause } : {}),
      startDate: new Date(exec.startMs),
      ...(exec.stopMs !== undefined ? { stopDate: new Date(exec.stopMs) } : {}),
    };
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('[stepfunctions] a listener threw', error);
      }
    }
  }

  private setTimer(at: number, fn: () => void): VirtualTimer {
    const timer = this.clock.setTimer(at, () => {
      this.wakeUps.delete(timer.id);
      fn();
    });
    this.wakeUps.set(timer.id, at);
    return timer;
  }

  private clearTimer(timer: VirtualTimer | undefined): void {
    if (!timer) return;
    this.wakeUps.delete(timer.id);
    this.clock.clearTimer(timer);
  }

  private async parked<T>(work: Promise<T>): Promise<T> {
    this.release();
    try {
      return await work;
    } finally {
      this.busy++;
    }
  }

  private release(): void {
    this.busy--;
    if (this.busy === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}

interface LibraryEvent {
  type: string;
  state?: { name: string; input?: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
}

function waitUntil(spec: WaitSpec, wrapper: JsonObject, enteredAt: number): number {
  if (WRAP.seconds in wrapper) {
    const seconds = wrapper[WRAP.seconds];
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw runtimeError(`SecondsPath of ${spec.name} must point to a non-negative integer`);
    }
    return enteredAt + seconds * 1000;
  }
  if (WRAP.timestamp in wrapper) {
    const text = wrapper[WRAP.timestamp];
    const at = typeof text === 'string' ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(at)) throw runtimeError(`TimestampPath of ${spec.name} must point to an ISO-8601 timestamp`);
    return at;
  }
  if (spec.seconds !== undefined) return enteredAt + spec.seconds * 1000;
  if (spec.timestamp !== undefined) return Date.parse(spec.timestamp);
  return enteredAt;
}

function positiveInteger(value: Json | undefined, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw runtimeError(`${field} must point to a positive integer`);
  return value;
}

/** States.Runtime: neither retried nor caught, as on AWS. */
function runtimeError(message: string): TaskError {
  return Object.assign(new TaskError('States.Runtime', message), { isCatchable: false, isRetryable: false });
}

function resourceName(spec: TaskSpec): string {
  switch (spec.integration) {
    case 'start-execution':
      return 'startExecution';
    case 'start-execution-sync':
      return 'startExecution.sync';
    case 'start-execution-sync2':
      return 'startExecution.sync:2';
    case 'lambda-invoke':
      return 'invoke';
    case 'lambda-callback':
      return 'invoke.waitForTaskToken';
    case 'put-events':
      return 'putEvents';
    default:
      return spec.resource;
  }
}

/** `${<Pascal>StateMachineArn}` → local ARN for each workflow name (a parent naming its child). */
export function workflowArnSubstitutions(names: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [stateMachineArnPlaceholder(name), localStateMachineArn(name)]));
}

/**
 * What `states:startExecution.sync` and `.sync:2` return (and put in the
 * cause of `States.TaskFailed`): DescribeExecution with AWS's capitalised
 * keys and epoch-millisecond dates; `:2` parses `Input` and `Output`.
 */
function syncDescription(d: ExecutionDescription, parsed: boolean): JsonObject {
  const data = (text: string): Json => (parsed ? (JSON.parse(text) as Json) : text);
  return {
    ExecutionArn: d.executionArn,
    Input: data(d.input),
    InputDetails: { Included: true },
    Name: d.name,
    ...(d.output !== undefined ? { Output: data(d.output), OutputDetails: { Included: true } } : {}),
    RedriveCount: 0,
    RedriveStatus: 'NOT_REDRIVABLE',
    StartDate: d.startDate.getTime(),
    StateMachineArn: d.stateMachineArn,
    Status: d.status,
    ...(d.stopDate ? { StopDate: d.stopDate.getTime() } : {}),
    ...(d.error !== undefined ? { Error: d.error } : {}),
    ...(d.cause !== undefined ? { Cause: d.cause } : {}),
  };
}

/** What the `lambda:invoke` integration returns around the function's result. */
function invokeResult(payload: Json): JsonObject {
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: { 'X-Amz-Executed-Version': ['$LATEST'], 'x-amzn-RequestId': [requestId], 'Content-Type': ['application/json'] },
      HttpHeaders: { 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId, 'Content-Type': 'application/json' },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** Replaces the context sentinels in a Task's evaluated Parameters by the values of this attempt. */
function resolveSentinels(value: Json, values: Record<string, string | number>): Json {
  if (typeof value === 'string') {
    if (!value.includes('\u0000local-sfn:')) return value;
    if (Object.hasOwn(values, value)) return values[value]!;
    let out = value;
    for (const [sentinel, replacement] of Object.entries(values)) out = out.split(sentinel).join(String(replacement));
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => resolveSentinels(v, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveSentinels(v, values)]));
  }
  return value;
}

let timeoutPrototypePromise: Promise<object> | undefined;

/**
 * The prototype of the library's (unexported) StatesTimeoutError. Its Catch
 * and Retry treat `States.TaskFailed` as "anything but a timeout" by an
 * `instanceof` check, so our virtual-clock timeouts must share that prototype.
 * Obtained once by letting the library time out a task after 1 ms.
 */
function statesTimeoutPrototype(): Promise<object> {
  timeoutPrototypePromise ??= (async () => {
    const probe = new StateMachine(
      { StartAt: 'Probe', States: { Probe: { Type: 'Task', Resource: localFunctionArn('probe'), TimeoutSeconds: 0.001, End: true } } } as StateMachineDefinition,
      { validationOptions: { noValidate: true } },
    );
    let release!: () => void;
    const pending = new Promise<never>((_, reject) => (release = () => reject(new Error('probe released'))));
    pending.catch(() => undefined);
    try {
      await probe.run({}, { overrides: { taskResourceLocalHandlers: { Probe: () => pending } } }).result;
    } catch (error) {
      const cause = error instanceof ExecutionError ? (error.cause as Error | undefined) : undefined;
      if (cause?.name === 'States.Timeout') return Object.getPrototypeOf(cause) as object;
    } finally {
      release();
    }
    throw new Error('aws-local-stepfunctions did not raise States.Timeout as expected');
  })();
  return timeoutPrototypePromise;
}

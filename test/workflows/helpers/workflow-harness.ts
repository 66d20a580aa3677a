import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { VirtualClock, parseDuration } from '../../../local/clock.ts';
import {
  LocalStepFunctions,
  type ExecutionDescription,
  type HistoryEvent,
  type PendingCallback,
  type PutEventsEntry,
  type PutEventsResult,
} from '../../../local/stepfunctions/index.ts';

/** A fake Lambda function: receives the payload, returns the result or throws (the error's `name` is the Step Functions error). */
export type FakeFunction = (payload: unknown) => unknown;

/** Options of {@link WorkflowTestHarness}. */
export interface WorkflowHarnessOptions {
  /** Fake functions by catalogue name (`screen-application`), as the ASL's `${ScreenApplicationFunctionArn}` resolves. */
  functions?: Record<string, FakeFunction>;
  /** Folder of the workflow folders (`<name>/<name>.asl.json`; default: the repository's `workflows/`). */
  workflowsDir?: string;
  /** Extra `definitionSubstitutions` beyond the partition and the catalogued function ARNs. */
  substitutions?: Record<string, string>;
  /** Virtual instant the test starts at (default 2025-01-01T00:00:00Z); the clock moves only by `advance`. */
  startAt?: string | number;
  /** Randomness for `JitterStrategy: FULL` (default: always the full interval). */
  random?: () => number;
  /** Installs the clock as the process time source read by `nowMs()` (default true; undone by `close`). */
  installClock?: boolean;
  /**
   * Answers each `events:putEvents` call before its entries are recorded (default: all accepted). A result with
   * `FailedEntryCount` > 0 fails the task with `EventBridge.FailedEntry` (as EventBridge does) and records nothing.
   */
  putEvents?: (entries: PutEventsEntry[]) => PutEventsResult | undefined;
}

/** How an execution ended, with its output parsed. */
export interface WorkflowResult {
  status: ExecutionDescription['status'];
  output?: unknown;
  error?: string;
  cause?: string;
  description: ExecutionDescription;
}

/** A recorded call of a fake function. */
export interface Invocation {
  functionName: string;
  payload: unknown;
  at: Date;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Runs the real ASL files on the local engine with a frozen virtual clock and
 * fake functions, so a test can walk every branch of a workflow without real
 * waits:
 *
 * ```ts
 * const harness = new WorkflowTestHarness({ functions: { 'notify-reviewer': async () => ({}) } });
 * const arn = await harness.start('accreditation', { siteId: 's1' });
 * const { token, payload } = await harness.nextCallback('WaitForMaterialReview');
 * await harness.sendTaskSuccess(token, { decision: 'APPROVED' });
 * await harness.advance('P10D');
 * expect((await harness.result(arn)).status).toBe('SUCCEEDED');
 * await harness.close();
 * ```
 */
export class WorkflowTestHarness {
  readonly clock: VirtualClock;
  readonly engine: LocalStepFunctions;
  /** Every call of a fake function, in order. */
  readonly invocations: Invocation[] = [];
  /** Every entry sent by an `events:putEvents` task, in order. */
  readonly events: PutEventsEntry[] = [];
  private readonly functions = new Map<string, FakeFunction>();
  private readonly workflowsDir: string;
  private readonly substitutions: Record<string, string>;
  private readonly handedOut = new Set<string>();
  private readonly installedClock: boolean;
  private registered = false;

  constructor(options: WorkflowHarnessOptions = {}) {
    const start = typeof options.startAt === 'string' ? Date.parse(options.startAt) : (options.startAt ?? Date.parse('2025-01-01T00:00:00Z'));
    this.clock = new VirtualClock(() => start);
    this.installedClock = options.installClock ?? true;
    if (this.installedClock) this.clock.install();
    this.workflowsDir = options.workflowsDir ?? join(REPO_ROOT, 'workflows');
    // Every workflow of the folder is registered: the bus name the accreditation publishes to has a test default.
    this.substitutions = { EventBusName: 'exam-site-test', ...options.substitutions };
    for (const [name, fn] of Object.entries(options.functions ?? {})) this.functions.set(name, fn);
    this.engine = new LocalStepFunctions({
      clock: this.clock,
      random: options.random ?? (() => 1),
      invokeFunction: async (functionName, payload) => {
        this.invocations.push({ functionName, payload, at: new Date(this.clock.now()) });
        const fn = this.functions.get(functionName);
        if (!fn) {
          const error = new Error(`the test gave no fake for function ${functionName}`);
          error.name = 'Lambda.ResourceNotFoundException';
          throw error;
        }
        return fn(payload);
      },
      putEvents: async (entries) => {
        const answer = options.putEvents?.(entries);
        if ((answer?.FailedEntryCount ?? 0) > 0) return answer;
        this.events.push(...entries);
        return answer;
      },
    });
  }

  /** Sets or replaces the fake of a function. */
  fn(functionName: string, fake: FakeFunction): this {
    this.functions.set(functionName, fake);
    return this;
  }

  /** Calls of one function, in order. */
  invocationsOf(functionName: string): Invocation[] {
    return this.invocations.filter((i) => i.functionName === functionName);
  }

  /**
   * Starts `workflows/<workflow>/<workflow>.asl.json` and lets it run until it
   * parks. Every workflow of the folder is registered on first use, so a
   * parent can start its children. Returns the execution ARN.
   */
  async start(workflow: string, input: unknown = {}, name?: string): Promise<string> {
    if (!this.registered) {
      this.engine.registerWorkflows(this.workflowsDir, this.substitutions);
      this.registered = true;
    }
    const stateMachineArn = this.engine.stateMachineArn(workflow);
    const { executionArn } = this.engine.startExecution({ stateMachineArn, name, input: JSON.stringify(input) });
    await this.engine.waitForIdle();
    return executionArn;
  }

  /**
   * The oldest callback of `stateName` not handed out before (optionally of
   * one execution). Throws, instead of hanging, when the workflow is not
   * waiting there.
   */
  async nextCallback(stateName: string, executionArn?: string): Promise<PendingCallback> {
    await this.engine.waitForIdle();
    const callback = this.engine
      .pendingCallbacks()
      .find((c) => c.stateName === stateName && (!executionArn || c.executionArn === executionArn) && !this.handedOut.has(c.token));
    if (!callback) throw new Error(`no callback is pending at ${stateName}; ${this.whereAreWe()}`);
    this.handedOut.add(callback.token);
    return callback;
  }

  /**
   * The oldest decision task of `kind` (a `WaitForDecision` of a
   * decision-task child) not handed out before, optionally only among the
   * children of `parentArn`.
   */
  async nextDecision(kind: string, parentArn?: string): Promise<PendingCallback> {
    await this.engine.waitForIdle();
    const children = parentArn ? new Set(this.engine.childExecutions(parentArn).map((c) => c.executionArn)) : undefined;
    const callback = this.engine
      .pendingCallbacks()
      .find((c) => c.stateName === 'WaitForDecision' && (c.payload as { kind?: string }).kind === kind && (!children || children.has(c.executionArn)) && !this.handedOut.has(c.token));
    if (!callback) throw new Error(`no ${kind} decision task is pending; ${this.whereAreWe()}`);
    this.handedOut.add(callback.token);
    return callback;
  }

  /** State transitions of an execution and the children it started (what it costs in Step Functions). */
  transitions(executionArn: string): number {
    return this.engine.stateTransitions(executionArn, true);
  }

  /** Answers a callback with `output` (any JSON value) and lets the workflow run until it parks. */
  async sendTaskSuccess(token: string, output: unknown = {}): Promise<void> {
    this.engine.sendTaskSuccess(token, JSON.stringify(output));
    await this.engine.waitForIdle();
  }

  /** Fails a callback with `error` and `cause` and lets the workflow run until it parks. */
  async sendTaskFailure(token: string, error: string, cause = ''): Promise<void> {
    this.engine.sendTaskFailure(token, error, cause);
    await this.engine.waitForIdle();
  }

  /** Sends a heartbeat for a callback. */
  sendTaskHeartbeat(token: string): void {
    this.engine.sendTaskHeartbeat(token);
  }

  /**
   * Moves virtual time by an ISO-8601 duration (`P10D`) or milliseconds,
   * stopping at every timer on the way so each Wait, timeout and retry
   * happens at its exact instant, and lets the workflows run until they park.
   */
  async advance(duration: string | number): Promise<void> {
    await this.engine.advanceClock(typeof duration === 'number' ? duration : parseDuration(duration));
  }

  /** Lets every execution run until it parks or ends. */
  settle(): Promise<void> {
    return this.engine.waitForIdle();
  }

  /** DescribeExecution. */
  describe(executionArn: string): ExecutionDescription {
    return this.engine.describeExecution(executionArn);
  }

  /** The execution's history events. */
  history(executionArn: string): HistoryEvent[] {
    return this.engine.getExecutionHistory(executionArn);
  }

  /** Names of the states entered so far, in order (the branch a test walked). */
  statesEntered(executionArn: string): string[] {
    return this.history(executionArn)
      .filter((e) => e.type.endsWith('StateEntered'))
      .map((e) => String(e.details?.name));
  }

  /** How the execution ended; throws if it is still running once everything has parked. */
  async result(executionArn: string): Promise<WorkflowResult> {
    await this.engine.waitForIdle();
    const description = this.engine.describeExecution(executionArn);
    if (description.status === 'RUNNING') throw new Error(`execution ${description.name} is still RUNNING; ${this.whereAreWe()}`);
    return {
      status: description.status,
      ...(description.output !== undefined ? { output: JSON.parse(description.output) as unknown } : {}),
      ...(description.error !== undefined ? { error: description.error } : {}),
      ...(description.cause !== undefined ? { cause: description.cause } : {}),
      description,
    };
  }

  /** Stops the engine and the clock (and uninstalls the clock). */
  async close(): Promise<void> {
    await this.engine.close();
    this.clock.dispose();
    if (this.installedClock) installTimeSource(undefined);
  }

  private whereAreWe(): string {
    const pending = this.engine.pendingCallbacks().map((c) => `${c.stateName} (${c.executionArn.split(':').pop()})`);
    return `pending callbacks: [${pending.join(', ')}], virtual time ${new Date(this.clock.now()).toISOString()}, ${this.clock.pendingTimers} timer(s) armed`;
  }
}

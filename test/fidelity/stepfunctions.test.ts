import { join } from 'node:path';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  InvalidToken,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  InvalidExecutionInput,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock, parseDuration } from '../../local/clock.ts';
import { LocalStepFunctions, UnsupportedDefinitionError, localFunctionArn, workflowArnSubstitutions } from '../../local/stepfunctions/index.ts';
import { TransientError, ValidationError } from '../../functions/domain/errors.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const START = Date.parse('2025-01-01T00:00:00Z');
const DAY = parseDuration('P1D');

const substitutions = {
  NotifyReviewerFunctionArn: localFunctionArn('notify-reviewer'),
  ScreenApplicationFunctionArn: localFunctionArn('screen-application'),
  RecordScreeningFunctionArn: localFunctionArn('record-screening'),
  ReadPageFunctionArn: localFunctionArn('read-page'),
};

type Fn = (payload: unknown) => unknown;

/** A fresh clock, engine, endpoint and SDK client per test: parked executions of one test never wake up in another. */
let clock: VirtualClock;
let engine: LocalStepFunctions;
let sfn: SFNClient;
let fakes: Map<string, Fn>;
let invocations: Array<{ name: string; payload: Record<string, unknown>; at: number }>;

function newEngine(): LocalStepFunctions {
  return new LocalStepFunctions({
    clock,
    substitutions,
    invokeFunction: async (name, payload) => {
      invocations.push({ name, payload: payload as Record<string, unknown>, at: clock.now() });
      const fake = fakes.get(name);
      if (!fake) throw new Error(`no fake for ${name}`);
      return fake(payload);
    },
  });
}

async function start(machine: string, input: unknown, name?: string): Promise<string> {
  const out = await sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn(machine), input: JSON.stringify(input), name }));
  await engine.waitForIdle();
  return out.executionArn!;
}

async function describeExecution(executionArn: string) {
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

async function advance(duration: string | number): Promise<void> {
  await engine.advanceClock(typeof duration === 'number' ? duration : parseDuration(duration));
}

function tokenOf(invocation: { payload: Record<string, unknown> } | undefined): string {
  return String(invocation?.payload.taskToken);
}

describe('LocalStepFunctions (through @aws-sdk/client-sfn)', () => {
  beforeEach(async () => {
    clock = new VirtualClock(() => START);
    engine = newEngine();
    for (const name of ['review-callback', 'long-wait', 'screen-with-retry', 'start-only', 'child-decision', 'nested-parent', 'paging-loop']) {
      engine.register(name, join(FIXTURES, `${name}.asl.json`), workflowArnSubstitutions(['child-decision']));
    }
    const port = await engine.listen(0);
    sfn = new SFNClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    fakes = new Map<string, Fn>([
      ['notify-reviewer', () => ({ notified: true })],
      ['screen-application', () => ({ passed: true })],
      ['record-screening', (payload) => ({ stored: payload })],
    ]);
    invocations = [];
  });

  afterEach(async () => {
    sfn.destroy();
    await engine.close();
    clock.dispose();
  });

  describe('callback tasks (.waitForTaskToken)', () => {
    it('takes the timeout path of a 90-day callback at day 90 of virtual time, not before', async () => {
      const arn = await start('review-callback', { siteId: 'site-90' });
      const startDate = (await describeExecution(arn)).startDate!;

      await advance('P89D');
      expect((await describeExecution(arn)).status).toBe('RUNNING');

      await advance('P1D');
      const done = await describeExecution(arn);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toMatchObject({ siteId: 'site-90', outcome: 'EXPIRED', failure: { Error: 'States.Timeout' } });
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn }));
      const timedOut = history.events!.find((e) => e.type === 'TaskTimedOut');
      expect(timedOut?.timestamp?.getTime()).toBe(startDate.getTime() + 90 * DAY);
    });

    it('passes $$.Task.Token, $$.Execution.Id/StartTime and $$.State.EnteredTime/Name in virtual time to the function', async () => {
      await advance('P3D');
      const arn = await start('review-callback', { siteId: 'site-ctx' });
      const payload = invocations.at(-1)!.payload;
      const now = new Date(clock.now()).toISOString();
      expect(payload).toMatchObject({ executionId: arn, executionStart: now, enteredTime: now, siteId: 'site-ctx', auditKey: `${arn.split(':').pop()}#WaitForReviewDecision` });
      expect(String(payload.taskToken)).toMatch(/^[A-Za-z0-9_-]{86}$/);
      expect(engine.pendingCallbacks().map((c) => c.stateName)).toContain('WaitForReviewDecision');
    });

    it('resumes with the SendTaskSuccess output as the task result', async () => {
      const arn = await start('review-callback', { siteId: 'site-ok' });
      await sfn.send(new SendTaskSuccessCommand({ taskToken: tokenOf(invocations.at(-1)), output: JSON.stringify({ decision: 'PASS' }) }));
      await engine.waitForIdle();
      const done = await describeExecution(arn);
      expect(JSON.parse(done.output!)).toMatchObject({ decision: { decision: 'PASS' }, outcome: 'APPROVED' });
    });

    it('routes SendTaskFailure through a Catch on States.TaskFailed with the given error and cause', async () => {
      const arn = await start('review-callback', { siteId: 'site-no' });
      await sfn.send(new SendTaskFailureCommand({ taskToken: tokenOf(invocations.at(-1)), error: 'ReviewRejected', cause: 'evidence missing' }));
      await engine.waitForIdle();
      const output = JSON.parse((await describeExecution(arn)).output!);
      expect(output).toMatchObject({ outcome: 'REJECTED', failure: { Error: 'ReviewRejected', Cause: 'evidence missing' } });
    });

    it('answers TaskTimedOut to a SendTaskSuccess after the task timed out', async () => {
      await start('review-callback', { siteId: 'site-late' });
      const token = tokenOf(invocations.at(-1));
      await advance('P90D');
      await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
    });

    it('answers InvalidToken to an unknown or malformed token', async () => {
      await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'A'.repeat(86), output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
      await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
    });

    it('refuses a second SendTaskSuccess for the same token (TaskTimedOut: the task is closed)', async () => {
      const arn = await start('review-callback', { siteId: 'site-twice' });
      const token = tokenOf(invocations.at(-1));
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"PASS"}' }));
      await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"decision":"FAIL"}' }))).rejects.toBeInstanceOf(TaskTimedOut);
      await engine.waitForIdle();
      expect(JSON.parse((await describeExecution(arn)).output!).decision).toEqual({ decision: 'PASS' });
    });

    it('retries a TransientError of the notifying function with a new token after the virtual backoff', async () => {
      let calls = 0;
      fakes.set('notify-reviewer', () => {
        calls += 1;
        if (calls === 1) throw new TransientError('mail queue busy');
        return { notified: true };
      });
      await start('review-callback', { siteId: 'site-retry' });
      expect(calls).toBe(1);
      await advance(1999);
      expect(calls).toBe(1);
      await advance(1);
      expect(calls).toBe(2);
      expect(engine.pendingCallbacks().filter((c) => c.stateName === 'WaitForReviewDecision' && (c.payload as { siteId: string }).siteId === 'site-retry')).toHaveLength(1);
    });

    it('waits longer than 60 s for a callback without TimeoutSeconds (no 60 s default)', async () => {
      const arn = await start('long-wait', { visitAt: '2030-01-01T00:00:00Z' });
      await advance('P40D');
      expect(engine.pendingCallbacks().some((c) => c.executionArn === arn && c.stateName === 'WaitForAcknowledgement')).toBe(true);
      await advance(61_000);
      await advance('P200D');
      expect((await describeExecution(arn)).status).toBe('RUNNING');
      expect(engine.pendingCallbacks().some((c) => c.executionArn === arn && c.stateName === 'WaitForAcknowledgement')).toBe(true);
    });

    it('fails a callback with States.HeartbeatTimeout when no heartbeat comes within HeartbeatSeconds, and not while heartbeats come', async () => {
      const visitAt = new Date(clock.now() + parseDuration('P45D')).toISOString();
      const arn = await start('long-wait', { visitAt });
      await advance('P40D');
      await sfn.send(new SendTaskSuccessCommand({ taskToken: tokenOf(invocations.at(-1)), output: '{}' }));
      await advance('P5D');
      const report = engine.pendingCallbacks().find((c) => c.executionArn === arn && c.stateName === 'WaitForVisitReport');
      expect(report).toBeDefined();
      await advance('PT50M');
      await sfn.send(new SendTaskHeartbeatCommand({ taskToken: report!.token }));
      await advance('PT50M');
      expect((await describeExecution(arn)).status).toBe('RUNNING');
      await advance('PT10M');
      const done = await describeExecution(arn);
      expect(done.status).toBe('FAILED');
      expect(done.error).toBe('VisitReportMissing');
    });
  });

  describe('Choice rules', () => {
    it('follows a type test set to false (IsNull: false) while the cursor is not null: every page is read, not only the first', async () => {
      fakes.set('read-page', (payload) => {
        const pages = Number((payload as { pages?: number }).pages ?? 0) + 1;
        return { cursor: pages < 3 ? `page-${pages + 1}` : null, pages };
      });
      const arn = await start('paging-loop', { cursor: null, pages: 0 });
      expect((await describeExecution(arn)).status).toBe('SUCCEEDED');
      expect(invocations.filter((call) => call.name === 'read-page')).toHaveLength(3);
    });
  });

  describe('Wait states', () => {
    it('does not end a 40-day Wait at once: it ends at day 40 of virtual time', async () => {
      const arn = await start('long-wait', { visitAt: '2030-01-01T00:00:00Z' });
      await advance('P39D');
      expect(engine.getExecutionHistory(arn).some((e) => e.type === 'WaitStateExited')).toBe(false);
      expect(invocations).toHaveLength(0);
      await advance('P1D');
      const exited = engine.getExecutionHistory(arn).find((e) => e.type === 'WaitStateExited');
      expect(exited?.timestamp.getTime()).toBe(engine.describeExecution(arn).startDate.getTime() + 40 * DAY);
      expect(invocations).toHaveLength(1);
    });
  });

  describe('Retry and Catch', () => {
    it('retries a TransientError with IntervalSeconds and BackoffRate on the virtual clock', async () => {
      let calls = 0;
      fakes.set('screen-application', () => {
        calls += 1;
        if (calls < 3) throw new TransientError('throttled');
        return { passed: true };
      });
      const arn = await start('screen-with-retry', { siteId: 's1' });
      expect(calls).toBe(1);
      await advance(59_000);
      expect(calls).toBe(1);
      await advance(1_000);
      expect(calls).toBe(2);
      await advance(119_000);
      expect(calls).toBe(2);
      await advance(1_000);
      expect(calls).toBe(3);
      const done = await describeExecution(arn);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!).record).toEqual({ recorded: { stored: { passed: true } }, statusCode: 200 });
    });

    it('gives up after MaxAttempts and routes the error through Catch with the Lambda error cause', async () => {
      fakes.set('screen-application', () => {
        throw new TransientError('still throttled');
      });
      const arn = await start('screen-with-retry', { siteId: 's2' });
      await advance('PT10M');
      const done = await describeExecution(arn);
      expect(invocations.filter((i) => i.name === 'screen-application')).toHaveLength(3);
      expect(done.status).toBe('FAILED');
      expect(done.error).toBe('ScreeningFailed');
      expect(JSON.parse(done.cause!)).toEqual({ errorMessage: 'still throttled', errorType: 'TransientError' });
    });

    it('does not retry a domain error: it is caught at once under its class name', async () => {
      fakes.set('screen-application', () => {
        throw new ValidationError({ field: 'licence' });
      });
      const arn = await start('screen-with-retry', { siteId: 's3' });
      const done = await describeExecution(arn);
      expect(invocations.filter((i) => i.name === 'screen-application')).toHaveLength(1);
      expect(JSON.parse(done.cause!).errorType).toBe('ValidationError');
    });
  });

  describe('StartExecution', () => {
    it('returns the same execution for the same name and input while it runs', async () => {
      const stateMachineArn = engine.stateMachineArn('review-callback');
      const input = JSON.stringify({ siteId: 'idem' });
      const first = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'idem-1', input }));
      const again = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'idem-1', input }));
      expect(again.executionArn).toBe(first.executionArn);
      expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());
    });

    it('answers ExecutionAlreadyExists for the same name with another input', async () => {
      const stateMachineArn = engine.stateMachineArn('review-callback');
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'idem-2', input: '{"siteId":"a"}' }));
      await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'idem-2', input: '{"siteId":"b"}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    });

    it('answers ExecutionAlreadyExists for the name of an execution that has ended', async () => {
      const stateMachineArn = engine.stateMachineArn('start-only');
      await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'idem-3', input: '{}' }));
      await engine.waitForIdle();
      expect(engine.describeExecution(engine.listExecutions(stateMachineArn)[0]!.executionArn).status).toBe('SUCCEEDED');
      await expect(sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'idem-3', input: '{}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    });

    it('answers StateMachineDoesNotExist and InvalidExecutionInput like AWS', async () => {
      const unknown = engine.stateMachineArn('start-only').replace('start-only', 'nope');
      await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: unknown, input: '{}' }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
      await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: engine.stateMachineArn('start-only'), input: '{not json' }))).rejects.toBeInstanceOf(InvalidExecutionInput);
    });
  });

  describe('nested workflows (states:startExecution.sync:2)', () => {
    const child = (parentArn: string) => `${engine.stateMachineArn('child-decision').replace(':stateMachine:', ':execution:')}:${parentArn.split(':').pop()}-RunChildDecision`;

    it('starts the child under the name the parent step gives, waits for it and returns its Output as JSON (sync:2)', async () => {
      const parent = await start('nested-parent', { siteId: 'site-nested', parentTimeoutSeconds: 30 * 86_400 }, 'parent-ok');
      expect((await describeExecution(child(parent))).status).toBe('RUNNING');
      expect(JSON.parse((await describeExecution(child(parent))).input!)).toEqual({ siteId: 'site-nested', AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: parent });
      expect((await describeExecution(parent)).status).toBe('RUNNING');

      await sfn.send(new SendTaskSuccessCommand({ taskToken: tokenOf(invocations.at(-1)), output: JSON.stringify({ outcome: 'approve' }) }));
      await engine.waitForIdle();
      const done = await describeExecution(parent);
      expect(done.status).toBe('SUCCEEDED');
      // sync:2: Output is the child's output as JSON, not a string (.sync would give a string).
      expect(JSON.parse(done.output!)).toMatchObject({ child: { decision: { outcome: 'approve' }, childName: 'parent-ok-RunChildDecision', status: 'SUCCEEDED' } });
      const history = (await sfn.send(new GetExecutionHistoryCommand({ executionArn: parent }))).events!;
      expect(history.map((e) => e.type)).toEqual(expect.arrayContaining(['TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded']));
      expect(history.find((e) => e.type === 'TaskScheduled')?.taskScheduledEventDetails).toMatchObject({ resourceType: 'states', resource: 'startExecution.sync:2' });
      expect(engine.stateTransitions(parent)).toBe(2);
      expect(engine.stateTransitions(parent, false)).toBe(1);
    });

    it('fails the parent task with States.TaskFailed carrying the child’s Error and Cause when the child fails', async () => {
      const parent = await start('nested-parent', { siteId: 'site-late', parentTimeoutSeconds: 30 * 86_400 }, 'parent-fail');
      await advance('P10D');
      expect((await describeExecution(child(parent))).status).toBe('FAILED');
      const done = await describeExecution(parent);
      expect(done.status).toBe('SUCCEEDED');
      const output = JSON.parse(done.output!);
      expect(output.outcome).toBe('CHILD_FAILED');
      expect(output.failure.Error).toBe('States.TaskFailed');
      expect(JSON.parse(output.failure.Cause)).toMatchObject({ Status: 'FAILED', Error: 'DecisionOverdue', Cause: 'no decision within 10 days', Name: 'parent-fail-RunChildDecision' });
    });

    it('stops the child when the parent task times out first, and takes the parent’s timeout path', async () => {
      const parent = await start('nested-parent', { siteId: 'site-slow', parentTimeoutSeconds: 5 * 86_400 }, 'parent-timeout');
      await advance('P5D');
      expect(JSON.parse((await describeExecution(parent)).output!)).toMatchObject({ outcome: 'PARENT_TIMED_OUT', failure: { Error: 'States.Timeout' } });
      expect((await describeExecution(child(parent))).status).toBe('ABORTED');
      expect(engine.pendingCallbacks()).toHaveLength(0);
    });

    it('stops the child when the parent is stopped', async () => {
      const parent = await start('nested-parent', { siteId: 'site-stop', parentTimeoutSeconds: 30 * 86_400 }, 'parent-stop');
      await sfn.send(new StopExecutionCommand({ executionArn: parent }));
      await engine.waitForIdle();
      expect((await describeExecution(child(parent))).status).toBe('ABORTED');
    });

    it('fails the task with StepFunctions.ExecutionAlreadyExistsException when the child name was used by a closed execution', async () => {
      await start('child-decision', { siteId: 'x' }, 'parent-dup-RunChildDecision');
      await sfn.send(new StopExecutionCommand({ executionArn: child('parent-dup') }));
      const parent = await start('nested-parent', { siteId: 'site-dup', parentTimeoutSeconds: 30 * 86_400 }, 'parent-dup');
      // States.TaskFailed matches it too, so the fixture's Catch takes it.
      expect(JSON.parse((await describeExecution(parent)).output!)).toMatchObject({ outcome: 'CHILD_FAILED', failure: { Error: 'StepFunctions.ExecutionAlreadyExistsException' } });
    });
  });

  describe('StopExecution', () => {
    it('aborts the execution and closes its pending callback', async () => {
      const arn = await start('review-callback', { siteId: 'site-stop' });
      const token = tokenOf(invocations.at(-1));
      await sfn.send(new StopExecutionCommand({ executionArn: arn, error: 'Withdrawn', cause: 'the college withdrew' }));
      const stopped = await describeExecution(arn);
      expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Withdrawn', cause: 'the college withdrew' });
      await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
      await advance('P90D');
      expect((await describeExecution(arn)).status).toBe('ABORTED');
    });
  });

  describe('GetExecutionHistory', () => {
    it('lists the AWS event types with virtual timestamps and hides data when includeExecutionData is false', async () => {
      const arn = await start('screen-with-retry', { siteId: 'hist' });
      const history = await sfn.send(new GetExecutionHistoryCommand({ executionArn: arn, includeExecutionData: false }));
      const types = history.events!.map((e) => e.type);
      expect(types).toEqual([
        'ExecutionStarted',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'TaskStateEntered',
        'TaskScheduled',
        'TaskStarted',
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ]);
      expect(history.events!.every((e) => e.timestamp?.getTime() === clock.now())).toBe(true);
      expect(history.events![0]!.executionStartedEventDetails?.input).toBeUndefined();
      expect(history.events![1]!.stateEnteredEventDetails?.name).toBe('ScreenApplication');
    });
  });
});

describe('LocalStepFunctions', () => {
  describe('register', () => {
    const engineFor = () => new LocalStepFunctions({ clock: new VirtualClock(() => START), invokeFunction: async () => ({}) });
    const task = (extra: Record<string, unknown>) => ({ StartAt: 'A', States: { A: { Type: 'Pass', End: true, ...extra } } });

    it('refuses a definition with an unsubstituted ${...} placeholder', () => {
      expect(() => engineFor().register('m', { StartAt: 'A', States: { A: { Type: 'Task', Resource: '${MissingFunctionArn}', End: true } } })).toThrow(/\$\{MissingFunctionArn\}/);
    });

    it('substitutes the partition and every catalogued function ARN as CDK would', () => {
      const engine = engineFor();
      engine.register('m', { StartAt: 'A', States: { A: { Type: 'Task', Resource: '${ValidateEvidenceFunctionArn}', End: true } } });
      const definition = JSON.parse(engine.describeStateMachine(engine.stateMachineArn('m')).definition);
      expect(definition.States.A.Resource).toBe(localFunctionArn('validate-evidence'));
    });

    it('refuses JSONata', () => {
      expect(() => engineFor().register('m', { QueryLanguage: 'JSONata', ...task({}) })).toThrow(UnsupportedDefinitionError);
    });

    it('refuses variables (Assign)', () => {
      expect(() => engineFor().register('m', task({ Assign: { x: 1 } }))).toThrow(/Assign/);
    });

    it('refuses $$.Task.Token outside a .waitForTaskToken task', () => {
      const def = { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 't.$': '$$.Task.Token' }, End: true } } };
      expect(() => engineFor().register('m', def)).toThrow(/\$\$\.Task\.Token/);
    });

    it('refuses a Task resource the local engine cannot run', () => {
      const def = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't' }, End: true } } };
      expect(() => engineFor().register('m', def)).toThrow(/not supported/);
    });
  });

  describe('startExecution', () => {
    it('times the execution out (TIMED_OUT) at the machine TimeoutSeconds on the virtual clock', async () => {
      const clock = new VirtualClock(() => START);
      const engine = new LocalStepFunctions({ clock, invokeFunction: async () => ({}) });
      const arn = engine.register('m', { TimeoutSeconds: 3600, StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 7200, End: true } } });
      const { executionArn } = engine.startExecution({ stateMachineArn: arn });
      await engine.advanceClock(3_599_000);
      expect(engine.describeExecution(executionArn).status).toBe('RUNNING');
      await engine.advanceClock(1_000);
      expect(engine.describeExecution(executionArn)).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout', stopDate: new Date(START + 3_600_000) });
      await engine.close();
      clock.dispose();
    });

    it('replaces the state with the result when ResultPath is "$", as AWS does (the library alone nests it under "$")', async () => {
      const clock = new VirtualClock(() => START);
      const engine = new LocalStepFunctions({ clock, invokeFunction: async () => ({ fresh: 1 }) });
      const arn = engine.register(
        'rp',
        { StartAt: 'Screen', States: { Screen: { Type: 'Task', Resource: localFunctionArn('screen'), ResultPath: '$', Next: 'Keep' }, Keep: { Type: 'Pass', Result: { p: 2 }, ResultPath: '$.pass', End: true } } },
      );
      const { executionArn } = engine.startExecution({ stateMachineArn: arn, input: '{"old":1}' });
      const done = await engine.waitForCompletion(executionArn);
      expect(JSON.parse(done.output!)).toEqual({ fresh: 1, pass: { p: 2 } });
      await engine.close();
      clock.dispose();
    });

    it('sends events:putEvents entries with Detail as JSON and the execution and machine ARNs in Resources', async () => {
      const clock = new VirtualClock(() => START);
      const sent: unknown[] = [];
      const engine = new LocalStepFunctions({ clock, invokeFunction: async () => ({}), putEvents: async (entries) => void sent.push(...entries) });
      const arn = engine.register('m', {
        StartAt: 'Announce',
        States: {
          Announce: {
            Type: 'Task',
            Resource: 'arn:${Partition}:states:::events:putEvents',
            Parameters: { Entries: [{ Source: 'exam-site', DetailType: 'SiteActivated', 'Detail.$': '$' }] },
            End: true,
          },
        },
      });
      const { executionArn } = engine.startExecution({ stateMachineArn: arn, input: '{"siteId":"s1"}' });
      const done = await engine.waitForCompletion(executionArn);
      expect(sent).toEqual([{ Source: 'exam-site', DetailType: 'SiteActivated', Detail: '{"siteId":"s1"}', Resources: [executionArn, arn] }]);
      expect(JSON.parse(done.output!)).toMatchObject({ FailedEntryCount: 0 });
      await engine.close();
      clock.dispose();
    });
  });
});


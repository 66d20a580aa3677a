import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workflowFiles } from '../../workflows/index.ts';

/**
 * The rules every state machine file follows (DESIGN.md, STYLE.md §6),
 * checked on the files themselves so a new workflow cannot forget them.
 */
const files = workflowFiles();

interface State {
  Type: string;
  Resource?: string;
  Retry?: Array<{ ErrorEquals: string[] }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string }>;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Branches?: Array<{ States: Record<string, State> }>;
  ItemProcessor?: { States: Record<string, State> };
}

function allStates(states: Record<string, State>): Array<[string, State]> {
  return Object.entries(states).flatMap(([name, s]) => [
    [name, s] as [string, State],
    ...(s.Branches ?? []).flatMap((b) => allStates(b.States)),
    ...(s.ItemProcessor ? allStates(s.ItemProcessor.States) : []),
  ]);
}

const TRANSIENT = new Set([
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'TransientError',
  // states:startExecution(.sync:2): the start call failed or was throttled (never States.TaskFailed: the child's own failure)
  'StepFunctions.SdkClientException',
  'StepFunctions.ExecutionLimitExceededException',
  // events:putEvents transient failures
  'EventBridge.FailedEntry',
  'EventBridge.InternalException',
  'EventBridge.ThrottlingException',
]);

describe.each(files)('workflows/$name', ({ file }) => {
  const text = readFileSync(file, 'utf8');

  it('lives in its own folder with a short README', () => {
    expect(existsSync(join(dirname(file), 'README.md'))).toBe(true);
  });
  const definition = JSON.parse(text) as { QueryLanguage?: string; StartAt: string; States: Record<string, State> };
  const states = allStates(definition.States);

  it('uses JSONPath only and no hard-coded partition (the China partition is aws-cn)', () => {
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(text).not.toMatch(/"QueryLanguage"\s*:\s*"JSONata"/);
    expect(text).not.toMatch(/"Assign"\s*:/);
    expect(text).not.toMatch(/arn:aws:/);
  });

  it('retries only transient errors on every Task (never States.ALL, which also matches a callback timeout) and catches every Task', () => {
    for (const [name, s] of states.filter(([, s]) => s.Type === 'Task')) {
      expect(s.Retry?.length, `${name} has Retry`).toBeGreaterThan(0);
      for (const r of s.Retry ?? []) for (const e of r.ErrorEquals) expect(TRANSIENT.has(e), `${name} retries ${e}`).toBe(true);
      expect(s.Catch?.length, `${name} has Catch`).toBeGreaterThan(0);
    }
  });

  it('gives every callback task a timeout and a timeout path', () => {
    for (const [name, s] of states.filter(([, s]) => s.Resource?.endsWith('.waitForTaskToken'))) {
      expect(s.TimeoutSeconds ?? s.TimeoutSecondsPath, `${name} timeout`).toBeDefined();
      const timeoutPath = (s.Catch ?? []).find((c) => c.ErrorEquals.includes('States.Timeout'));
      expect(timeoutPath, `${name} catches States.Timeout`).toBeDefined();
    }
  });

  it('names states as PascalCase verbs and every Next points at a state', () => {
    const names = new Set(states.map(([n]) => n));
    for (const [name, s] of states) {
      expect(name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      const targets = [(s as { Next?: string }).Next, (s as { Default?: string }).Default, ...(s.Catch ?? []).map((c) => c.Next), ...((s as { Choices?: Array<{ Next: string }> }).Choices ?? []).map((c) => c.Next)];
      for (const t of targets.filter(Boolean)) expect(names.has(t!), `${name} → ${t}`).toBe(true);
    }
  });
});

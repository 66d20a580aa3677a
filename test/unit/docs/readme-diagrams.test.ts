import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aslToMermaid, renderReadme } from '../../../scripts/diagrams.ts';
import { workflowFiles } from '../../../workflows/index.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

describe('README diagrams', () => {
  it('are the current rendering of the lifecycle tables and ASL files (run npm run diagrams)', () => {
    expect(renderReadme(readme)).toBe(readme);
  });

  it('include the evidence limits table, with the photo maximum and the attempt limit', () => {
    const block = readme.slice(readme.indexOf('<!-- generated:evidence-limits -->'), readme.indexOf('<!-- /generated:evidence-limits -->'));
    expect(block).toContain('≤ 12000 × 12000');
    expect(block).toMatch(/`application-form`.*\| 5 \| yes/);
    expect(block).toContain('expires after 600 s');
  });

  it('include every workflow, the decision-task child too', () => {
    const names = workflowFiles().map((w) => w.name);
    expect(names).toContain('decision-task');
    for (const name of names) expect(readme).toContain(`<!-- generated:workflow:${name} -->`);
  });

  it('include the evidence limits table, with the photo maximum and the attempt limit', () => {
    const block = readme.slice(readme.indexOf('<!-- generated:evidence-limits -->'), readme.indexOf('<!-- /generated:evidence-limits -->'));
    expect(block).toContain('≤ 12000 × 12000');
    expect(block).toMatch(/`application-form`.*\| 5 \| yes/);
    expect(block).toContain('expires after 600 s');
  });
});

describe('aslToMermaid', () => {
  it('draws Next edges, Choice rules, Catch paths and marks callbacks', () => {
    const text = aslToMermaid({
      StartAt: 'Screen',
      States: {
        Screen: { Type: 'Task', Resource: 'x', Next: 'Route', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Oops' }] },
        Route: { Type: 'Choice', Choices: [{ Variable: '$.outcome', StringEquals: 'pass', Next: 'Wait' }], Default: 'Oops' },
        Wait: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', End: true },
        Oops: { Type: 'Fail' },
      },
    });
    expect(text).toContain('Screen --> Route');
    expect(text).toContain(`Route -- "outcome = pass" --> Wait`);
    expect(text).toContain('Route -- otherwise --> Oops');
    expect(text).toContain('Screen -. "States.ALL" .-> Oops');
    expect(text).toContain('Wait[["Wait ⏳"]]');
  });

  it('draws a startExecution task as a subroutine naming its child workflow', () => {
    const text = aslToMermaid({
      StartAt: 'Review',
      States: { Review: { Type: 'Task', Resource: 'arn:${Partition}:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: '${DecisionTaskStateMachineArn}' }, End: true } },
    });
    expect(text).toContain('Review[["Review ⇢ decision-task"]]');
  });
});

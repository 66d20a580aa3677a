import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionArnPlaceholder } from '../../functions/catalog.ts';
import { placeholdersOf, readWorkflows, Workflow, WorkflowDefinitionError } from '../../infra/constructs/workflow.ts';
import { FIXTURE_WORKFLOWS, flat, resourcesOf, statementsOfRole, synth, type Synthesized } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synth();
});

const FIXTURES = readWorkflows(FIXTURE_WORKFLOWS);

/** The state machine built from a fixture file, by its name `exam-site-dev-<workflow>`. */
const machine = (workflow: string) => {
  const found = Object.values(resourcesOf(s.statelessTemplate, 'AWS::StepFunctions::StateMachine')).find(
    (m) => (m.Properties as any).StateMachineName === `exam-site-dev-${workflow}`,
  );
  if (!found) throw new Error(`no state machine for ${workflow}`);
  return found.Properties as any;
};

/** A bare stack holding one Workflow built from an ASL text. */
const buildWorkflow = (definition: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'asl-'));
  mkdirSync(path.join(dir, 'probe'));
  writeFileSync(path.join(dir, 'probe', 'probe.asl.json'), definition);
  const [workflow] = readWorkflows(dir);
  const stack = new Stack(new App(), 'Probe');
  const bus = new events.EventBus(stack, 'Bus');
  return new Workflow(stack, 'Probe', {
    workflow: workflow!,
    stateMachineName: 'probe',
    substitutions: { Partition: 'aws', EventBusArn: bus.eventBusArn },
    functionsByPlaceholder: new Map(),
    eventBus: bus,
    logRetentionDays: 7,
  });
};

describe('infra/constructs/workflow', () => {
  describe('placeholdersOf', () => {
    it('lists each ${Name} once, ignoring States.Format braces', () => {
      expect(placeholdersOf('{"a":"${X}","b":"${X}:${Y}","c":"States.Format(\'{}\', $.v)"}')).toEqual(['X', 'Y']);
    });
  });

  describe('Workflow', () => {
    it('builds one Standard state machine per ASL file of the workflows folder', () => {
      expect(FIXTURES.length).toBeGreaterThan(0);
      for (const workflow of FIXTURES) expect(machine(workflow.name).StateMachineType).toBe('STANDARD');
    });

    it('logs at level ALL without execution data (task tokens stay out of CloudWatch) and traces with X-Ray', () => {
      for (const workflow of FIXTURES) {
        const props = machine(workflow.name);
        expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
        expect(props.TracingConfiguration).toEqual({ Enabled: true });
      }
    });

    it('substitutes every ${Placeholder} of every ASL file, leaving no ${ in the deployed definition', () => {
      for (const workflow of FIXTURES) {
        const props = machine(workflow.name);
        const definition = props.DefinitionString as string;
        expect(JSON.parse(definition)).toEqual(JSON.parse(workflow.definition));
        const substitutions = props.DefinitionSubstitutions as Record<string, unknown>;
        expect(Object.keys(substitutions).sort()).toEqual([...placeholdersOf(definition)].sort());
        const deployed = definition.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => flat(substitutions[name]));
        expect(deployed).not.toContain('${');
        if (workflow.definition.includes('States.Format')) expect(deployed).toContain("States.Format('evidence {} of {} validated'");
      }
    });

    it('grants lambda:InvokeFunction on exactly the functions the file names, and events:PutEvents only when it names the bus', () => {
      for (const workflow of FIXTURES) {
        const props = machine(workflow.name);
        const roleId = props.RoleArn['Fn::GetAtt'][0] as string;
        const statements = statementsOfRole(s.statelessTemplate, roleId).filter((st) => st.Effect === 'Allow');
        const invoked = statements
          .filter((st) => st.Action.includes('lambda:InvokeFunction'))
          .flatMap((st) => st.Resource.map(flat));
        const named = [...s.stateless.functions.keys()].filter((name) => workflow.placeholders.includes(functionArnPlaceholder(name)));
        expect(named.length).toBeGreaterThan(0);
        expect(invoked.sort()).toEqual(
          named.map((name) => flat(s.stateless.resolve(s.stateless.functions.get(name)!.fn.functionArn))).sort(),
        );
        const putsEvents = statements.some((st) => st.Action.includes('events:PutEvents'));
        expect(putsEvents).toBe(workflow.placeholders.includes('EventBusArn') || workflow.placeholders.includes('EventBusName'));
      }
    });

    it('grants startExecution.sync:2 exactly as AWS documents it: StartExecution on the child, Describe/StopExecution on its executions, the managed events rule', () => {
      const props = machine('review-round');
      const roleId = props.RoleArn['Fn::GetAtt'][0] as string;
      const statements = statementsOfRole(s.statelessTemplate, roleId).filter((st) => st.Effect === 'Allow');
      const by = (action: string) => statements.filter((st) => st.Action.includes(action)).flatMap((st) => st.Resource.map(flat));
      expect(by('states:StartExecution')).toEqual(['arn:{Ref:AWS::Partition}:states:{Ref:AWS::Region}:{Ref:AWS::AccountId}:stateMachine:exam-site-dev-mail-notice']);
      for (const action of ['states:DescribeExecution', 'states:StopExecution']) {
        expect(by(action)).toEqual(['arn:{Ref:AWS::Partition}:states:{Ref:AWS::Region}:{Ref:AWS::AccountId}:execution:exam-site-dev-mail-notice:*']);
      }
      for (const action of ['events:PutTargets', 'events:PutRule', 'events:DescribeRule']) {
        expect(by(action)).toEqual(['arn:{Ref:AWS::Partition}:events:{Ref:AWS::Region}:{Ref:AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule']);
      }
      // The child's ARN is substituted from its name; the parent deploys after it.
      expect(flat(props.DefinitionSubstitutions.MailNoticeStateMachineArn)).toBe('arn:{Ref:AWS::Partition}:states:{Ref:AWS::Region}:{Ref:AWS::AccountId}:stateMachine:exam-site-dev-mail-notice');
      const parent = Object.entries(resourcesOf(s.statelessTemplate, 'AWS::StepFunctions::StateMachine')).find(([, m]) => (m.Properties as any).StateMachineName === 'exam-site-dev-review-round')![1];
      const child = Object.entries(resourcesOf(s.statelessTemplate, 'AWS::StepFunctions::StateMachine')).find(([, m]) => (m.Properties as any).StateMachineName === 'exam-site-dev-mail-notice')![0];
      expect((parent as { DependsOn?: string[] }).DependsOn ?? []).toContain(child);
    });

    it('grants no startExecution to a workflow that starts no child', () => {
      const props = machine('mail-notice');
      const statements = statementsOfRole(s.statelessTemplate, props.RoleArn['Fn::GetAtt'][0] as string);
      expect(statements.some((st) => st.Action.includes('states:StartExecution') || st.Action.includes('events:PutRule'))).toBe(false);
    });

    it('refuses an ASL file with a placeholder it has no value for', () => {
      const asl = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: '${Nope}', End: true } } });
      expect(() => buildWorkflow(asl)).toThrow(WorkflowDefinitionError);
      expect(() => buildWorkflow(asl)).toThrow(/\$\{Nope\}/);
    });

    it('refuses an ASL file that hard-codes the aws partition (it would not deploy to aws-cn)', () => {
      const asl = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } } });
      expect(() => buildWorkflow(asl)).toThrow(/hard-codes a partition/);
    });

    it('refuses a service integration it does not know how to grant', () => {
      const asl = JSON.stringify({
        StartAt: 'A',
        States: { A: { Type: 'Task', Resource: 'arn:${Partition}:states:::dynamodb:putItem', End: true } },
      });
      expect(() => buildWorkflow(asl)).toThrow(/dynamodb:putItem/);
    });
  });
});

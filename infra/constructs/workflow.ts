import { readFileSync } from 'node:fs';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { stateMachineArnPlaceholder, workflowFiles } from '../../workflows/index.ts';
import { acknowledge, acknowledgeWildcardResources } from '../nag.ts';
import { retentionDays } from './retention.ts';

/** An ASL file of the workflows folder, read once. */
export interface WorkflowFile {
  /** `accreditation` for `workflows/accreditation/accreditation.asl.json`. */
  readonly name: string;
  readonly file: string;
  readonly definition: string;
  /** Names inside `${…}`, each once, in order of first use. */
  readonly placeholders: readonly string[];
}

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

/** The `${Name}` placeholders of an ASL text, each once. */
export function placeholdersOf(definition: string): string[] {
  return [...new Set([...definition.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

/** Every workflow of a folder (`<name>/<name>.asl.json`, see workflows/index.ts; none when the folder does not exist), sorted by name. */
export function readWorkflows(dir: string): WorkflowFile[] {
  return workflowFiles(dir).map(({ name, file }) => {
    const definition = readFileSync(file, 'utf8');
    return { name, file, definition, placeholders: placeholdersOf(definition) };
  });
}

/**
 * Placeholders every workflow may use besides `<Pascal>FunctionArn`:
 * `Partition`, `Region`, `AccountId`, `EventBusName`, `EventBusArn`.
 */
export const COMMON_PLACEHOLDERS = ['Partition', 'Region', 'AccountId', 'EventBusName', 'EventBusArn'] as const;

/**
 * Service integrations (Task `Resource` after the `arn:${Partition}:states:::`
 * prefix) this construct knows how to grant. A workflow using anything else
 * fails the synth instead of failing at run time with AccessDenied.
 */
const KNOWN_INTEGRATIONS = new Set([
  'lambda:invoke',
  'lambda:invoke.waitForTaskToken',
  'events:putEvents',
  'events:putEvents.waitForTaskToken',
  'states:startExecution.sync:2',
]);

/**
 * The EventBridge rule Step Functions manages to learn that a child execution
 * of a `.sync` task ended; the parent's role needs PutTargets, PutRule and
 * DescribeRule on it (AWS documents exactly this rule name).
 */
export const SYNC_EXECUTION_RULE = 'StepFunctionsGetEventsForStepFunctionsExecutionRule';

/** A problem in an ASL file that CDK cannot deploy correctly. */
export class WorkflowDefinitionError extends Error {
  override name = 'WorkflowDefinitionError';
}

/** The `Resource` of every Task state, Parallel branches and Map processors included. */
export function taskResources(definition: unknown): string[] {
  const found: string[] = [];
  const visitMachine = (machine: unknown) => {
    const states = (machine as { States?: Record<string, unknown> } | undefined)?.States ?? {};
    for (const state of Object.values(states)) {
      const s = state as { Type?: string; Resource?: unknown; Branches?: unknown[]; Iterator?: unknown; ItemProcessor?: unknown };
      if (s.Type === 'Task' && typeof s.Resource === 'string') found.push(s.Resource);
      for (const branch of s.Branches ?? []) visitMachine(branch);
      if (s.Iterator) visitMachine(s.Iterator);
      if (s.ItemProcessor) visitMachine(s.ItemProcessor);
    }
  };
  visitMachine(definition);
  return found;
}

/** Props of {@link Workflow}. */
export interface WorkflowProps {
  readonly workflow: WorkflowFile;
  readonly stateMachineName: string;
  /** Placeholder → value for the common placeholders and every built function. */
  readonly substitutions: Readonly<Record<string, string>>;
  /** Placeholder (`ValidateEvidenceFunctionArn`) → function, for the invoke grants. */
  readonly functionsByPlaceholder: ReadonlyMap<string, lambda.IFunction>;
  readonly eventBus: events.IEventBus;
  readonly logRetentionDays: number;
  /**
   * Workflows this one may start as children (`${<Pascal>StateMachineArn}`
   * placeholder → the child's state machine name), for the
   * `startExecution.sync:2` grants.
   */
  readonly childWorkflows?: ReadonlyMap<string, string>;
}

/**
 * One Standard state machine from an ASL file: definition inlined with
 * `definitionSubstitutions` (visible in the template, no S3 asset), logging at
 * ALL without execution data (task tokens must not reach CloudWatch), X-Ray,
 * and grants for exactly what the file names.
 */
export class Workflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** Functions the definition invokes (by placeholder). */
  readonly invokedFunctions: readonly string[];
  /** Child workflows the definition starts (by placeholder). */
  readonly startedWorkflows: readonly string[];

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { workflow, substitutions } = props;

    const unknown = workflow.placeholders.filter((name) => !(name in substitutions));
    if (unknown.length) {
      throw new WorkflowDefinitionError(
        `${workflow.file}: no value for placeholder(s) ${unknown.map((n) => `\${${n}}`).join(', ')}. ` +
          `Known: ${Object.keys(substitutions).sort().join(', ')}.`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(workflow.definition);
    } catch (error) {
      throw new WorkflowDefinitionError(`${workflow.file} is not valid JSON: ${(error as Error).message}`);
    }
    for (const resource of taskResources(parsed)) {
      if (/^arn:aws[a-z-]*:/.test(resource)) {
        throw new WorkflowDefinitionError(`${workflow.file}: Resource "${resource}" hard-codes a partition; write arn:\${Partition}:…`);
      }
      const integration = resource.match(/^arn:\$\{Partition\}:states:::(.+)$/)?.[1];
      const directFunction = /^\$\{[A-Za-z0-9]+FunctionArn\}$/.test(resource);
      if (!directFunction && (integration === undefined || !KNOWN_INTEGRATIONS.has(integration))) {
        throw new WorkflowDefinitionError(
          `${workflow.file}: Task Resource "${resource}" is not an integration infra/constructs/workflow.ts grants (${[...KNOWN_INTEGRATIONS].join(', ')}, or \${<Name>FunctionArn}).`,
        );
      }
    }

    const logGroup = new logs.LogGroup(this, 'Logs', {
      // The vendedlogs prefix keeps CloudWatch's resource policy short for many machines.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: retentionDays(props.logRetentionDays),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const used = Object.fromEntries(workflow.placeholders.map((name) => [name, substitutions[name] as string]));
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(workflow.definition),
      definitionSubstitutions: used,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    this.invokedFunctions = workflow.placeholders.filter((name) => props.functionsByPlaceholder.has(name));
    const functionArns = this.invokedFunctions.map((name) => (props.functionsByPlaceholder.get(name) as lambda.IFunction).functionArn);
    if (functionArns.length) {
      // Exactly the ARNs in the definition (no `:*` qualifiers: the ASL calls unqualified ARNs).
      this.stateMachine.addToRolePolicy(
        new iam.PolicyStatement({ sid: 'InvokeNamedFunctions', actions: ['lambda:InvokeFunction'], resources: functionArns }),
      );
    }
    if (workflow.placeholders.includes('EventBusArn') || workflow.placeholders.includes('EventBusName')) {
      props.eventBus.grantPutEventsTo(this.stateMachine);
    }
    this.startedWorkflows = workflow.placeholders.filter((name) => props.childWorkflows?.has(name));
    if (this.startedWorkflows.length) this.grantStartChildren(this.startedWorkflows.map((name) => props.childWorkflows!.get(name)!));
    acknowledge(
      this.stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs delivery (logs:CreateLogDelivery and related) and X-Ray tracing support no resource-level permissions; Step Functions requires them on "*" for logging and tracing.',
    );
  }

  /**
   * What `states:startExecution.sync:2` needs, as AWS documents it: start the
   * child state machines; describe and stop their executions (the parent
   * polls the child and stops it when the parent stops); and the managed
   * EventBridge rule through which Step Functions learns that a child ended.
   * ARNs are built with the stack's partition (aws-cn too).
   */
  private grantStartChildren(childNames: readonly string[]): void {
    const stack = Stack.of(this);
    const machines = childNames.map((name) =>
      stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    );
    const executions = childNames.map((name) =>
      stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${name}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    );
    const rule = stack.formatArn({ service: 'events', resource: 'rule', resourceName: SYNC_EXECUTION_RULE });
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ sid: 'StartChildWorkflows', actions: ['states:StartExecution'], resources: machines }));
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'FollowChildExecutions', actions: ['states:DescribeExecution', 'states:StopExecution'], resources: executions }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'SyncExecutionEventsRule', actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], resources: [rule] }),
    );
    acknowledgeWildcardResources(
      this.stateMachine,
      'startExecution.sync:2 follows child executions whose names are made at run time (one per parent step); the wildcard covers only the executions of the named child state machine, as AWS documents for DescribeExecution and StopExecution.',
      executions,
    );
  }
}

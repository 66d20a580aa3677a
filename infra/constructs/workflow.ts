import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { retentionDays } from './retention.ts';

/** An ASL file of the workflows folder, read once. */
export interface WorkflowFile {
  /** `accreditation` for `workflows/accreditation.asl.json`. */
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

/** Every `*.asl.json` of a folder (none when the folder does not exist), sorted by name. */
export function readWorkflows(dir: string): WorkflowFile[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((entry) => entry.endsWith('.asl.json'))
    .sort()
    .map((entry) => {
      const file = path.join(dir, entry);
      const definition = readFileSync(file, 'utf8');
      return { name: entry.slice(0, -'.asl.json'.length), file, definition, placeholders: placeholdersOf(definition) };
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
]);

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
    acknowledge(
      this.stateMachine,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudWatch Logs delivery (logs:CreateLogDelivery and related) and X-Ray tracing support no resource-level permissions; Step Functions requires them on "*" for logging and tracing.',
    );
  }
}

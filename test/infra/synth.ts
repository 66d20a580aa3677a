import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type Environment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, PROJECT_ROOT, type BuildAppOptions, type ExamSiteStacks } from '../../infra/build-app.ts';
import type { AppConfig, Partition } from '../../infra/config.ts';
import type { RouteSpec } from '../../functions/catalog.ts';

/** The fixtures of the infra tests. */
export const FIXTURES = path.join(PROJECT_ROOT, 'test/infra/fixtures');
export const FIXTURE_WORKFLOWS = path.join(FIXTURES, 'workflows');
export const STUB_HANDLER = path.join(FIXTURES, 'stub.handler.ts');

/** Routes exercising both authorizer kinds (the catalogue has none yet). */
export const FIXTURE_ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/me', fn: 'send-mail', auth: 'jwt' },
  { method: 'GET', path: '/openapi.json', fn: 'send-mail', auth: 'none' },
];

/** The context cdk.json gives the CLI (feature flags, default configs). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/** A config from cdk.json for a partition, optionally changed. */
export function contextConfig(partition: Partition, change: (config: Record<string, unknown>) => void = () => {}): AppConfig {
  const config = structuredClone(cdkJsonContext()[`config:${partition}`]) as Record<string, unknown>;
  change(config);
  return config as unknown as AppConfig;
}

/** Options of {@link synth}. */
export interface SynthOptions extends Omit<BuildAppOptions, 'stateless' | 'config'> {
  readonly partition?: Partition;
  readonly env?: Environment;
  /** Raw config put into context `config` (validated by the app like a CLI value). */
  readonly config?: unknown;
  readonly stateless?: BuildAppOptions['stateless'];
  /** Changes the stacks before they are synthesized (negative tests). */
  readonly beforeSynth?: (stacks: ExamSiteStacks) => void;
}

/** One synthesized deployment. */
export interface Synthesized extends ExamSiteStacks {
  readonly app: App;
  readonly statefulTemplate: Template;
  readonly statelessTemplate: Template;
  /** The HTTP API's nested stack (routes, integrations, authorizer, stage). */
  readonly apiTemplate: Template;
}

/**
 * Builds the app as `cdk synth` does (cdk.json context, cdk-nag registered),
 * without bundling, with every catalogue function pointed at a stub handler
 * and the fixture workflows and routes.
 */
export function synth(options: SynthOptions = {}): Synthesized {
  const partition = options.partition ?? 'aws';
  const context: Record<string, unknown> = { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], partition };
  if (options.config !== undefined) context.config = options.config;
  const app = new App({ context });
  const stacks = buildApp(app, {
    partition,
    env: options.env,
    nag: options.nag,
    stateless: {
      workflowsDir: FIXTURE_WORKFLOWS,
      resolveEntry: () => STUB_HANDLER,
      routes: FIXTURE_ROUTES,
      ...options.stateless,
    },
  });
  options.beforeSynth?.(stacks);
  return {
    ...stacks,
    app,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
    apiTemplate: Template.fromStack(stacks.stateless.apiStack),
  };
}

type Json = Record<string, unknown>;

/** Resources of a type, by logical id. */
export function resourcesOf(template: Template, type: string): Record<string, Json> {
  return template.findResources(type) as Record<string, Json>;
}

/** An IAM statement with Action and Resource always as arrays. */
export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: unknown[];
  readonly Condition?: unknown;
  readonly Sid?: string;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every inline policy attached to a role (by logical id). */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).filter((policy) =>
    asArray((policy.Properties as Json).Roles).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })),
  );
  return policies.flatMap((policy) =>
    ((policy.Properties as Json).PolicyDocument as { Statement: Json[] }).Statement.map((s) => ({
      ...(s as object),
      Effect: s.Effect as 'Allow' | 'Deny',
      Action: asArray(s.Action) as string[],
      Resource: asArray(s.Resource),
    })),
  );
}

/** The Lambda function (properties) and its role's statements, found by catalogue name. */
export function functionByName(template: Template, name: string): { props: Json; statements: Statement[]; env: Json } {
  const found = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).find(
    (fn) => ((fn.Properties as Json).Environment as { Variables: Json } | undefined)?.Variables.POWERTOOLS_SERVICE_NAME === name,
  );
  if (!found) throw new Error(`no function ${name} in template`);
  const props = found.Properties as Json;
  const roleId = ((props.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'])[0];
  return { props, statements: statementsOfRole(template, roleId), env: (props.Environment as { Variables: Json }).Variables };
}

/** Flattens CloudFormation intrinsics into a readable string (`${Ref:X}`) for matching resources. */
export function flat(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Json;
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(flat).join(sep);
    }
    if ('Ref' in v) return `{Ref:${String(v.Ref)}}`;
    if ('Fn::GetAtt' in v) return `{GetAtt:${(v['Fn::GetAtt'] as string[]).join('.')}}`;
    if ('Fn::ImportValue' in v) return `{Import:${flat(v['Fn::ImportValue'])}}`;
  }
  return JSON.stringify(value);
}

/** The Allow statements with an action starting with `prefix` (`dynamodb:`, `cognito-idp:AdminGetUser`). */
export function allowsOf(statements: Statement[], prefix: string): Statement[] {
  return statements.filter((st) => st.Effect === 'Allow' && st.Action.some((a) => a.startsWith(prefix)));
}

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, DEFAULT_REGION, loadConfig, readPartition, type AppConfig, type Partition } from './config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { StatelessStack, type StatelessStackProps } from './stateless-stack.ts';

/** The repository root (this file is `infra/build-app.ts`). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Options of {@link buildApp}; everything defaults to what `cdk synth` uses. */
export interface BuildAppOptions {
  /** Default: read from context (`config` or `config:<partition>`). */
  readonly config?: AppConfig;
  readonly partition?: Partition;
  readonly env?: Environment;
  /** Passed to the stateless stack (tests: fixture workflows, stub handlers). */
  readonly stateless?: Pick<StatelessStackProps, 'workflowsDir' | 'functions' | 'routes' | 'resolveEntry' | 'portalDistDir' | 'portalHosting'>;
  /** Register cdk-nag AwsSolutions as a validation plugin (default true): any unacknowledged finding fails the synth. */
  readonly nag?: boolean;
}

/**
 * The region of a deployment: context `region` if given (it must belong to
 * the partition), else the CLI's default region when it belongs to the
 * partition (the CLI sets us-east-1 when no profile names one), else the
 * partition's default (cn-north-1 for aws-cn; none, i.e. region-agnostic, for aws).
 */
export function regionFor(partition: Partition, contextRegion?: string, cliRegion?: string): string | undefined {
  const inPartition = (region: string) => region.startsWith('cn-') === (partition === 'aws-cn');
  if (contextRegion !== undefined) {
    if (!inPartition(contextRegion)) throw new ConfigError(`Context region ${contextRegion} is not in partition ${partition}.`);
    return contextRegion;
  }
  if (cliRegion !== undefined && inPartition(cliRegion)) return cliRegion;
  return DEFAULT_REGION[partition];
}

/** The two stacks of a deployment. */
export interface ExamSiteStacks {
  readonly config: AppConfig;
  readonly partition: Partition;
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

/**
 * Builds both stacks of one deployment into `app` and registers cdk-nag.
 * Stack names carry the stage (`ExamSite-dev-Stateful`), so stages can share
 * an account.
 */
export function buildApp(app: App, options: BuildAppOptions = {}): ExamSiteStacks {
  const read = (key: string) => app.node.tryGetContext(key);
  const partition = options.partition ?? readPartition(read);
  const config = options.config ?? loadConfig(read, partition);
  const env: Environment = options.env ?? {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: regionFor(partition, read('region') as string | undefined, process.env.CDK_DEFAULT_REGION),
  };

  const name = `ExamSite-${config.stage}`;
  const stateful = new StatefulStack(app, `${name}-Stateful`, {
    env,
    config,
    projectRoot: PROJECT_ROOT,
    description: `Exam-site lifecycle (${config.stage}): table, evidence bucket, keys, identity. RETAIN.`,
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, `${name}-Stateless`, {
    env,
    config,
    description: `Exam-site lifecycle (${config.stage}): functions, API, workflows, schedules, mail, alarms.`,
    table: stateful.table,
    evidenceBucket: stateful.evidenceBucket,
    evidenceKey: stateful.evidenceKey,
    candidateIdKey: stateful.candidateIdKey,
    identity: stateful.identity.settings,
    userPool: stateful.identity.userPool,
    projectRoot: PROJECT_ROOT,
    ...options.stateless,
  });
  stateless.addStackDependency(stateful, 'functions use the table, bucket and keys');
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('project', 'exam-site');
    Tags.of(stack).add('stage', config.stage);
  }
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { config, partition, stateful, stateless };
}

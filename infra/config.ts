import { appConfigSchema, type AppConfig } from '../schemas/config.schema.ts';

/**
 * Reads the one typed configuration at synth time.
 *
 * Sources, first match wins:
 * 1. CDK context `config` (an object in cdk.json, or a JSON string given on the
 *    command line: `cdk synth -c config="$(cat prod.json)"`).
 * 2. CDK context `config:<partition>` where `<partition>` is the context value
 *    `partition` (`aws` by default, `aws-cn` for the China regions). cdk.json
 *    ships `config:aws` (Cognito + SES) and `config:aws-cn` (any OIDC issuer +
 *    SMTP, since neither Cognito user pools nor SES are offered there).
 *
 * SSM Parameter Store as the source of truth: keep the JSON in a String
 * parameter and hand it to the synth, so the synth stays offline and
 * credential-free for everybody else:
 * `cdk synth -c config="$(aws ssm get-parameter --name /exam-site/prod/config --query Parameter.Value --output text)"`.
 * (`StringParameter.valueFromLookup` would also work but needs credentials
 * and breaks `--no-lookups`.)
 */

/** The partitions this app deploys to. */
export type Partition = 'aws' | 'aws-cn';

/** Default region for each partition when neither context nor the CLI give one. */
export const DEFAULT_REGION: Readonly<Record<Partition, string | undefined>> = {
  aws: undefined,
  'aws-cn': 'cn-north-1',
};

/** A configuration that does not satisfy `appConfigSchema`; the message lists every problem with its path. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length ? `${message}\n${issues.map((line) => `  - ${line}`).join('\n')}` : message);
    this.name = 'ConfigError';
  }
}

/** What the app reads from context; `tryGetContext` of an App or Node fits. */
export type ContextReader = (key: string) => unknown;

/** Reads and checks the `partition` context value. */
export function readPartition(read: ContextReader): Partition {
  const value = read('partition') ?? 'aws';
  if (value !== 'aws' && value !== 'aws-cn') {
    throw new ConfigError(`Context "partition" must be "aws" or "aws-cn", got ${JSON.stringify(value)}.`);
  }
  return value;
}

/**
 * Finds the raw configuration in context, parses and validates it, and fills
 * the values other code must agree on (the SES configuration set name).
 *
 * @throws ConfigError with one line per invalid field.
 */
export function loadConfig(read: ContextReader, partition: Partition = readPartition(read)): AppConfig {
  const key = read('config') !== undefined ? 'config' : `config:${partition}`;
  const raw = read(key);
  if (raw === undefined) {
    throw new ConfigError(`No configuration: set context "config" (object or JSON string) or "config:${partition}" in cdk.json.`);
  }
  return parseConfig(raw, `context "${key}"`, partition);
}

/**
 * Validates a raw configuration (object or JSON text) for a partition.
 *
 * @throws ConfigError when the JSON is malformed, a field is invalid, or a
 *   service is chosen that the partition does not offer.
 */
export function parseConfig(raw: unknown, source: string, partition: Partition): AppConfig {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new ConfigError(`${source} is not valid JSON: ${(error as Error).message}`);
    }
  }
  const parsed = appConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid configuration in ${source}:`,
      parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`),
    );
  }
  const config = parsed.data;
  const offered: string[] = [];
  if (partition === 'aws-cn' && config.identity.kind === 'cognito') {
    offered.push('identity.kind: Cognito user pools are not offered in the China regions; use "oidc".');
  }
  if (partition === 'aws-cn' && config.mail.transport === 'ses') {
    offered.push('mail.transport: SES is not offered in the China regions; use "smtp".');
  }
  if (offered.length) throw new ConfigError(`Configuration in ${source} does not fit partition ${partition}:`, offered);

  if (config.mail.transport === 'ses' && config.mail.configurationSet === undefined) {
    // The stack creates the set under this name and the sender reads it from
    // APP_CONFIG: filling it here keeps the two in step.
    return { ...config, mail: { ...config.mail, configurationSet: `exam-site-${config.stage}` } };
  }
  return config;
}

/** The config as handlers receive it in `APP_CONFIG` (validated, defaults filled). */
export function serializeConfig(config: AppConfig): string {
  return JSON.stringify(config);
}

export type { AppConfig };

import { appConfigSchema, type AppConfig } from '../../schemas/config.schema.ts';

/**
 * The environment contract of every function, read once per cold start and
 * checked (fail fast). The CDK function construct sets exactly the variables
 * a function's catalogue access needs; the local stack sets them all.
 *
 * | variable | holds |
 * |---|---|
 * | APP_CONFIG | JSON of the validated {@link AppConfig} |
 * | TABLE_NAME | the single table |
 * | EVIDENCE_BUCKET | the evidence bucket |
 * | STATE_MACHINE_ARNS | JSON map workflow name → state machine ARN |
 * | SCHEDULE_GROUP, SCHEDULER_ROLE_ARN | EventBridge Scheduler group and the role its targets run as |
 * | MAIL_QUEUE_URL | the mail queue |
 * | EVENT_BUS_NAME | the domain-event bus |
 */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** A required environment variable; throws at first use when it is missing. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new ConfigurationError(`environment variable ${name} is not set`);
  return value;
}

let cachedConfig: AppConfig | undefined;

/** The application configuration from `APP_CONFIG`, validated once. */
export function appConfig(): AppConfig {
  if (cachedConfig) return cachedConfig;
  let raw: unknown;
  try {
    raw = JSON.parse(requireEnv('APP_CONFIG'));
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError('APP_CONFIG is not valid JSON');
  }
  const parsed = appConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigurationError(`APP_CONFIG is invalid: ${issues.join('; ')}`);
  }
  cachedConfig = parsed.data;
  return cachedConfig;
}

/** The ARN of a workflow's state machine, from `STATE_MACHINE_ARNS`. */
export function stateMachineArn(workflow: string): string {
  const map = JSON.parse(requireEnv('STATE_MACHINE_ARNS')) as Record<string, string>;
  const arn = map[workflow];
  if (!arn) throw new ConfigurationError(`no state machine ARN for workflow ${workflow}`);
  return arn;
}

/** For tests: forget the cached configuration. */
export function resetConfigCache(): void {
  cachedConfig = undefined;
}

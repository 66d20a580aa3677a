import { performance } from 'node:perf_hooks';
import { startLocalStack } from './stack.ts';
import { DEMO_USERS } from './oidc/local-issuer.ts';
import { seedDemoData } from './seed.ts';

/**
 * `npm start`: the whole system on 127.0.0.1 with one virtual clock. Prints
 * progress per component, then a summary with URLs, demo tokens and the
 * outbox folder. Ctrl-C stops every part (DynamoDB Local's Java process too).
 */
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

console.log('考核站点全生命周期系统 · 本地运行 / Exam-site lifecycle system · local stack\n');
const stack = await startLocalStack({
  onProgress: (component, detail) => console.log(`  [${elapsed().padStart(6)}] ${component.padEnd(14)} ${detail}`),
});

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local stack…`);
  await stack.stop();
  console.log('stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  const seeded = await seedDemoData(stack);
  console.log(`  [${elapsed().padStart(6)}] seed           ${seeded}`);
} catch (error) {
  console.error('seeding the demo data failed:', error);
  await stack.stop();
  process.exit(1);
}

const tokens = await Promise.all(DEMO_USERS.map(async (u) => ({ user: u, token: await stack.issuer.issueToken(u.sub) })));
const base = stack.baseUrl;
console.log(`
Ready in ${elapsed()}.

  Portal                 ${base}/
  API                    ${base}/v1   (OpenAPI: ${base}/v1/openapi.json)
  Sign-in (local OIDC)   ${base}/_local/oidc/.well-known/openid-configuration
  Virtual clock          ${base}/_local/clock      e.g. curl -X POST ${base}/_local/clock -d '{"advance":"P90D"}'
  Outbox (.eml files)    ${stack.outboxDir}        list: ${base}/_local/outbox
  Domain events          ${base}/_local/events
  Executions             ${base}/_local/executions
  AWS endpoints          DynamoDB :${stack.ports.dynamodb}  S3 :${stack.ports.s3}  Step Functions :${stack.ports.stepfunctions}  Scheduler :${stack.ports.scheduler}  SES :${stack.ports.ses}  EventBridge :${stack.ports.events}

Demo users (tokens valid 1 h of virtual time; fresh ones: curl -X POST ${base}/_local/oidc/tokens -d '{"sub":"demo-reviewer"}'):
${tokens.map(({ user, token }) => `  ${user.sub.padEnd(16)} ${user.groups.join(',').padEnd(10)} ${user.name}  ${user.email}\n    ${token}`).join('\n')}

Example:  curl -H "Authorization: Bearer <token>" ${base}/v1/me
Press Ctrl-C to stop.`);

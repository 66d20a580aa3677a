import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/build-app.ts';

/**
 * The deploy path as users run it: the README's synth commands, exactly as
 * written, through npm and the CDK CLI in a child process. The CLI gives the
 * app a concrete region (CDK_DEFAULT_REGION: the profile's, else us-east-1),
 * which an in-process synth never sees; cdk-nag runs as a validation plugin
 * and any unacknowledged finding fails the command. Offline: no credentials,
 * no instance metadata, `--no-lookups` and CDK_DISABLE_VERSION_CHECK come
 * from the npm script. Both commands bundle every function (esbuild, all
 * in one build: infra/constructs/bundles.ts), so the two run one after the
 * other into the same `cdk.out`; each function must get its own bundle.
 */

const CDK_OUT = path.join(PROJECT_ROOT, 'cdk.out');

interface Run {
  readonly code: number;
  readonly output: string;
  readonly seconds: number;
}

/** Runs a command in the repository with a clean, credential-free environment. */
function run(command: string, args: readonly string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'CDK_DEFAULT_ACCOUNT']) {
    delete env[key];
  }
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(command, [...args], { cwd: PROJECT_ROOT, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}`, seconds: (Date.now() - started) / 1000 });
    });
  });
}

interface Manifest {
  readonly artifacts: Record<string, { type: string; environment?: string; properties?: { templateFile?: string } }>;
}

const stacksIn = (manifest: Manifest) =>
  Object.entries(manifest.artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => ({ id, environment: artifact.environment, template: artifact.properties?.templateFile ?? `${id}.template.json` }));

/**
 * Every function of the stack has an asset of its own holding its bundle and
 * source map, and the bundle is that function's: the handlers are built in
 * one esbuild call and CDK's asset cache must not hand one bundle to all.
 */
function expectOwnBundles(templateFile: string): void {
  type Fn = { Type: string; Properties: { Code?: { S3Key?: unknown }; Handler?: string; Environment?: { Variables?: Record<string, unknown> } } };
  const template = JSON.parse(readFileSync(path.join(CDK_OUT, templateFile), 'utf8')) as { Resources: Record<string, Fn> };
  const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME);
  expect(functions.length).toBeGreaterThan(50);
  const keys = functions.map((f) => String(f.Properties.Code?.S3Key));
  expect(new Set(keys).size).toBe(keys.length);
  for (const f of functions) {
    expect(f.Properties.Handler).toBe('index.handler');
    const asset = path.join(CDK_OUT, `asset.${String(f.Properties.Code?.S3Key).replace(/\.zip$/, '')}`);
    expect(existsSync(path.join(asset, 'index.mjs')), asset).toBe(true);
    expect(existsSync(path.join(asset, 'index.mjs.map')), asset).toBe(true);
  }
  const openapi = functions.find((f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'get-openapi')!;
  const bundle = readFileSync(path.join(CDK_OUT, `asset.${String(openapi.Properties.Code?.S3Key).replace(/\.zip$/, '')}`, 'index.mjs'), 'utf8');
  expect(bundle).toContain('openapi');
}

describe('npm run synth (the CDK CLI in a child process, as the README gives it)', () => {
  it.each([
    {
      readme: 'npm run synth',
      args: ['run', 'synth'],
      region: 'us-east-1',
      stacks: ['ExamSite-dev-Stateful', 'ExamSite-dev-Stateless', 'ExamSite-dev-Portal'],
      partition: 'aws',
    },
    {
      readme: 'npm run synth -- -c partition=aws-cn',
      args: ['run', 'synth', '--', '-c', 'partition=aws-cn'],
      region: 'cn-north-1',
      stacks: ['ExamSite-dev-Stateful', 'ExamSite-dev-Stateless'],
      partition: 'aws-cn',
    },
  ])(
    '`$readme` synthesizes every stack in $region with no unacknowledged cdk-nag finding',
    async ({ args, region, stacks, partition }) => {
      const result = await run('npm', args);
      console.info(`[cli-synth] npm ${args.join(' ')}: ${result.seconds.toFixed(0)} s`);
      // cdk-nag reports an unacknowledged finding as an `ERROR … (AwsSolutions)` block and the CLI then fails.
      expect(result.output).not.toMatch(/^ERROR .*/m);
      expect(result.output).not.toContain('Synthesis finished with errors');
      expect(result.code, result.output.slice(-4000)).toBe(0);

      const manifest = JSON.parse(readFileSync(path.join(CDK_OUT, 'manifest.json'), 'utf8')) as Manifest;
      const synthesized = stacksIn(manifest);
      expect(synthesized.map((s) => s.id).sort()).toEqual([...stacks].sort());
      for (const stack of synthesized) {
        // The concrete region the CLI hands the app (the case an in-process synth misses).
        expect(stack.environment).toBe(`aws://unknown-account/${region}`);
        const template = readFileSync(path.join(CDK_OUT, stack.template), 'utf8');
        if (partition === 'aws-cn') expect(template, stack.id).not.toContain('arn:aws:');
      }
      expectOwnBundles(synthesized.find((s) => s.id.endsWith('-Stateless'))!.template);
    },
    900_000,
  );
});

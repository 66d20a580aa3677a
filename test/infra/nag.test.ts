import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { synth, type SynthOptions, type Synthesized } from './synth.ts';

/**
 * The deployments users make. The CDK CLI always gives the app a concrete
 * region (CDK_DEFAULT_REGION, us-east-1 when no profile names one) and then
 * ARNs carry the literal region and partition where an in-process synth
 * with no region sees tokens: acknowledgements must hold in both. (The CLI
 * itself is run in cli-synth.test.ts.)
 */
const unbuiltPortal = () => mkdtempSync(path.join(tmpdir(), 'no-portal-build-'));
const variants: Record<string, () => SynthOptions> = {
  'aws, no region': () => ({ partition: 'aws' }),
  "aws, the CLI's default region us-east-1": () => ({ partition: 'aws', env: { region: 'us-east-1' } }),
  'aws, -c region=eu-west-1, portal not built': () => ({
    partition: 'aws',
    env: { region: 'eu-west-1' },
    stateless: { portalDistDir: unbuiltPortal() },
  }),
  'aws-cn, cn-north-1': () => ({ partition: 'aws-cn', env: { region: 'cn-north-1' } }),
  'aws-cn, cn-northwest-1, portal on CloudFront': () => ({
    partition: 'aws-cn',
    env: { region: 'cn-northwest-1' },
    stateless: { portalHosting: 'cloudfront' },
  }),
};

const deployments = new Map<string, Synthesized>();
beforeAll(() => {
  deployments.set('aws', synth({ partition: 'aws' }));
  deployments.set('aws-cn', synth({ partition: 'aws-cn', env: { region: 'cn-north-1' } }));
});

describe('infra (cdk-nag AwsSolutions) in every deployment users make', () => {
  it.each(Object.keys(variants))('leaves no unacknowledged finding: %s', (variant) => {
    const options = variants[variant]!();
    const { app } = synth(options);
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

/** Every acknowledgement recorded in the tree: rule id → reason, with the construct path. */
const acknowledgements = (root: IConstruct) =>
  root.node
    .findAll()
    .flatMap((construct) =>
      construct.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) =>
          Object.entries(entry.data as Record<string, string>).map(([rule, reason]) => ({ path: construct.node.path, rule, reason })),
        ),
    );

describe('infra (cdk-nag AwsSolutions)', () => {
  describe.each(['aws', 'aws-cn'])('partition %s', (partition) => {
    it('leaves no unacknowledged finding, error or warning, in either stack', () => {
      const { app } = deployments.get(partition)!;
      const report = new AwsSolutionsChecks(app).validateScope(app);
      const findings = report.violations.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
      expect(findings).toEqual([]);
      expect(report.success).toBe(true);
    });

    it('fails the synth when a resource breaks a rule (the checks run as a validation plugin of the app)', () => {
      const breakRule = ({ stateless }: { stateless: Stack }) => {
        new sqs.Queue(stateless, 'UnencryptedProbe', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      };
      const env = partition === 'aws-cn' ? { region: 'cn-north-1' } : undefined;
      expect(() => synth({ partition: partition as 'aws' | 'aws-cn', env, beforeSynth: breakRule })).toThrow(/AwsSolutions-SQS/);
    });

    it('gives every acknowledgement a specific rule and a written reason', () => {
      const { app } = deployments.get(partition)!;
      const all = acknowledgements(app);
      expect(all.length).toBeGreaterThan(0);
      for (const { rule, reason, path } of all) {
        expect(rule, path).toMatch(/AwsSolutions-[A-Z]+\d+/);
        expect(reason.length, `${rule} at ${path}`).toBeGreaterThanOrEqual(60);
        expect(reason, `${rule} at ${path}`).not.toMatch(/\b(todo|fixme|tbd|n\/a)\b/i);
      }
    });

    it('acknowledges IAM5 only for named findings, never the whole rule', () => {
      const { app } = deployments.get(partition)!;
      for (const { rule } of acknowledgements(app)) {
        if (rule.includes('AwsSolutions-IAM5')) expect(rule).toMatch(/AwsSolutions-IAM5\[(Resource|Action)::.+\]$/);
      }
    });
  });
});

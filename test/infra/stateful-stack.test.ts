import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { GSIS, TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/adapters/table-design.ts';
import { QUARANTINE_PREFIX } from '../../infra/stateful-stack.ts';
import { resourcesOf, synth, type Synthesized } from './synth.ts';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synth();
});

const evidenceBucket = () => {
  const buckets = resourcesOf(synthesized.statefulTemplate, 'AWS::S3::Bucket');
  const found = Object.entries(buckets).find(([id]) => id.startsWith('EvidenceBucket'));
  if (!found) throw new Error('no evidence bucket');
  return { id: found[0], resource: found[1], props: found[1].Properties as Record<string, any> };
};

describe('infra/stateful-stack', () => {
  describe('policies', () => {
    it('allows no wildcard action on the table, the buckets or the queues in any policy of the stateful stack', () => {
      // Every policy document of the template: IAM policies, bucket, queue and topic policies, key policies.
      const statements: Array<{ Effect: string; Action?: unknown; Principal?: unknown; owner: string }> = [];
      const walk = (node: unknown, owner: string) => {
        if (!node || typeof node !== 'object') return;
        const statement = (node as { Statement?: unknown }).Statement;
        if (Array.isArray(statement)) for (const st of statement) statements.push({ ...(st as { Effect: string }), owner });
        for (const value of Object.values(node)) walk(value, owner);
      };
      for (const [id, resource] of Object.entries(synthesized.statefulTemplate.toJSON().Resources as Record<string, { Type: string }>)) walk(resource, `${resource.Type} ${id}`);
      expect(statements.length).toBeGreaterThan(0);
      const wildcards = statements
        .filter((st) => st.Effect === 'Allow')
        .flatMap((st) => [st.Action].flat().map((action) => ({ action: String(action), st })))
        .filter(({ action }) => action === '*' || /^(dynamodb|s3|sqs|sns|kms):[A-Za-z]*\*$/.test(action))
        // A key's default policy lets the account's IAM decide (kms:* to the account root): that delegates, it grants no one.
        .filter(({ action, st }) => !(action === 'kms:*' && st.owner.startsWith('AWS::KMS::Key') && JSON.stringify(st.Principal).includes(':root')));
      expect(wildcards.map(({ action, st }) => `${st.owner}: ${action}`)).toEqual([]);
    });
  });

  describe('table', () => {
    it('is the single table of table-design.ts: pk/sk, the three GSIs with lean projections (KEYS_ONLY or INCLUDE, never ALL), TTL on expiresAt', () => {
      synthesized.statefulTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: GSIS.map((gsi) =>
          Match.objectLike({
            IndexName: gsi.indexName,
            KeySchema: [
              { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
            ],
            Projection:
              gsi.projection.type === 'INCLUDE'
                ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...gsi.projection.attributes] }
                : { ProjectionType: 'KEYS_ONLY' },
          }),
        ),
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        BillingMode: 'PAY_PER_REQUEST',
      });
    });

    it('is encrypted with a customer-managed KMS key that rotates', () => {
      const keys = resourcesOf(synthesized.statefulTemplate, 'AWS::KMS::Key');
      const table = Object.values(resourcesOf(synthesized.statefulTemplate, 'AWS::DynamoDB::Table'))[0]?.Properties as any;
      expect(table.SSESpecification.SSEEnabled).toBe(true);
      expect(table.SSESpecification.SSEType).toBe('KMS');
      const keyId = table.SSESpecification.KMSMasterKeyId['Fn::GetAtt'][0];
      expect((keys[keyId]?.Properties as any).EnableKeyRotation).toBe(true);
    });

    it('has point-in-time recovery and deletion protection, and is retained when the stack goes', () => {
      synthesized.statefulTemplate.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      });
    });
  });

  describe('evidence bucket', () => {
    it('blocks every kind of public access and is retained', () => {
      const { resource, props } = evidenceBucket();
      expect(props.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(props.OwnershipControls.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerEnforced' }]);
    });

    it('refuses requests without TLS through its bucket policy', () => {
      const { id } = evidenceBucket();
      synthesized.statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('encrypts with SSE-KMS under its own rotating customer key, with S3 bucket keys', () => {
      const { props } = evidenceBucket();
      const [rule] = props.BucketEncryption.ServerSideEncryptionConfiguration;
      expect(rule.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
      expect(rule.BucketKeyEnabled).toBe(true);
      const keyId = rule.ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0];
      expect(keyId).toMatch(/^EvidenceKey/);
      const key = resourcesOf(synthesized.statefulTemplate, 'AWS::KMS::Key')[keyId]?.Properties as any;
      expect(key.EnableKeyRotation).toBe(true);
    });

    it('keeps versions and sends its events to EventBridge', () => {
      const { props } = evidenceBucket();
      expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(props.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
    });

    it('expires non-current versions, quarantined copies and tagged invalid uploads after quarantineRetentionDays, and aborts multipart uploads after a day', () => {
      const { props } = evidenceBucket();
      const days = synthesized.config.quarantineRetentionDays;
      const rules = props.LifecycleConfiguration.Rules as any[];
      expect(rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: days }, Status: 'Enabled' }),
          expect.objectContaining({ Prefix: QUARANTINE_PREFIX, ExpirationInDays: days }),
          expect.objectContaining({ TagFilters: [{ Key: 'quarantine', Value: 'true' }], ExpirationInDays: days }),
          expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
        ]),
      );
    });

    it('allows cross-origin POST and GET from the portal origin only, exposing ETag and the version id', () => {
      const { props } = evidenceBucket();
      expect(props.CorsConfiguration.CorsRules).toEqual([
        expect.objectContaining({
          AllowedOrigins: [synthesized.config.portalOrigin],
          AllowedMethods: ['POST', 'GET'],
          ExposedHeaders: ['ETag', 'x-amz-version-id'],
        }),
      ]);
    });

    it('writes server access logs to a separate TLS-only, S3-managed-encrypted log bucket that expires them', () => {
      const { props } = evidenceBucket();
      const logBucketId = props.LoggingConfiguration.DestinationBucketName.Ref as string;
      const logBucket = resourcesOf(synthesized.statefulTemplate, 'AWS::S3::Bucket')[logBucketId]?.Properties as any;
      expect(logBucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
      expect(logBucket.PublicAccessBlockConfiguration.BlockPublicPolicy).toBe(true);
      expect(logBucket.LifecycleConfiguration.Rules).toEqual(
        expect.arrayContaining([expect.objectContaining({ ExpirationInDays: synthesized.config.logRetentionDays })]),
      );
      synthesized.statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logBucketId },
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    });
  });

  describe('identity (Cognito, global regions)', () => {
    it('creates a user pool whose self sign-up passes the invitation gate, with optional TOTP MFA and a strong password policy', () => {
      synthesized.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
        // Self sign-up only behind the pre-sign-up trigger (test/infra/identity.test.ts).
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        LambdaConfig: Match.objectLike({ PreSignUp: Match.anyValue() }),
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      });
    });

    it('creates a public portal client using the authorization-code flow with the portal callback', () => {
      synthesized.statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        CallbackURLs: [`${synthesized.config.portalOrigin}/callback`],
      });
      synthesized.statefulTemplate.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    });

    it('creates the applicant, reviewer and admin groups', () => {
      const groups = Object.values(resourcesOf(synthesized.statefulTemplate, 'AWS::Cognito::UserPoolGroup')).map(
        (group) => (group.Properties as any).GroupName,
      );
      expect(groups.sort()).toEqual(['admin', 'applicant', 'reviewer']);
    });
  });
});

import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { GSIS, TABLE_KEYS, TTL_ATTRIBUTE } from '../functions/adapters/table-design.ts';
import type { AppConfig } from './config.ts';
import { Identity } from './constructs/identity.ts';
import { evidenceBucketName } from './names.ts';
import { acknowledge } from './nag.ts';
import { QUARANTINE_PREFIX, QUARANTINE_TAG, RETENTION_TAG } from '../functions/domain/evidence-keys.ts';

export { QUARANTINE_PREFIX, QUARANTINE_TAG };

/**
 * Headers a browser sends with a presigned POST or GET to the bucket. A
 * multipart form POST is a "simple" request, but clients that add a checksum
 * or a content type explicitly trigger a preflight for these.
 */
export const EVIDENCE_CORS_HEADERS = ['content-type', 'content-md5', 'x-amz-*'];

/** Props of {@link StatefulStack}. */
export interface StatefulStackProps extends StackProps {
  readonly config: AppConfig;
  /** Repository root: handler files of the Cognito triggers, lock file, tsconfig. */
  readonly projectRoot: string;
}

/**
 * Everything that holds data and must survive a redeploy of the code: the
 * single table, the evidence bucket (with its access-log bucket), their
 * customer-managed keys, and the user pool when Cognito is the identity
 * provider. All RETAIN. The stateless stack receives these as construct
 * references, so CDK writes the exports and imports itself.
 */
export class StatefulStack extends Stack {
  readonly table: dynamodb.Table;
  readonly tableKey: kms.Key;
  readonly evidenceBucket: s3.Bucket;
  readonly evidenceKey: kms.Key;
  /** HMAC key (HMAC_256) for candidates' ID numbers: the keyed hash of Art.14 duplicate checks; the key never leaves KMS. */
  readonly candidateIdKey: kms.Key;
  readonly accessLogBucket: s3.Bucket;
  readonly identity: Identity;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.tableKey = new kms.Key(this, 'TableKey', {
      description: `exam-site ${config.stage}: single table`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      timeToLiveAttribute: TTL_ATTRIBUTE,
    });
    for (const gsi of GSIS) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: dynamodb.AttributeType.STRING },
        ...(gsi.projection.type === 'INCLUDE'
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...gsi.projection.attributes] }
          : { projectionType: dynamodb.ProjectionType.KEYS_ONLY }),
      });
    }

    // Server access logs cannot be delivered to an SSE-KMS bucket: S3-managed keys here.
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(config.logRetentionDays) },
        {
          // Evidence of an application that ended without a site (ID-card copies among it) is kept no longer than the retention policy.
          id: 'expire-ended-application-evidence',
          tagFilters: { [RETENTION_TAG.key]: RETENTION_TAG.value },
          expiration: Duration.days(config.evidenceRetentionDays),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.accessLogBucket,
      'AwsSolutions-S1',
      'This is the server access log bucket of the evidence bucket; logging it into itself would loop.',
    );

    // A KMS HMAC key rather than a secret in SSM: the key material never leaves
    // KMS, so a function (or a log, or a memory dump) can compute hashes only
    // while it holds kms:GenerateMac, never take the key away to reverse the
    // ~10^9 plausible ID numbers offline. HMAC keys are not rotated by KMS;
    // rotating would change every hash (duplicate checks span one session).
    this.candidateIdKey = new kms.Key(this, 'CandidateIdKey', {
      description: `exam-site ${config.stage}: keyed hash of candidates' ID numbers (Art.14, PIPL)`,
      keySpec: kms.KeySpec.HMAC_256,
      keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.evidenceKey = new kms.Key(this, 'EvidenceKey', {
      description: `exam-site ${config.stage}: evidence bucket (ID-card copies, PIPL)`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const retention = Duration.days(config.quarantineRetentionDays);
    this.evidenceBucket = new s3.Bucket(this, 'EvidenceBucket', {
      // A name derived from stage, account and region lets IAM statements in
      // the stateless stack name `arn:…:<bucket>/…` without a cross-stack token.
      bucketName: evidenceBucketName(config.stage),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.evidenceKey,
      bucketKeyEnabled: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'evidence/',
      cors: [
        {
          allowedOrigins: [config.portalOrigin],
          allowedMethods: [s3.HttpMethods.POST, s3.HttpMethods.GET],
          allowedHeaders: EVIDENCE_CORS_HEADERS,
          exposedHeaders: ['ETag', 'x-amz-version-id'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: retention,
          expiredObjectDeleteMarker: true,
        },
        { id: 'expire-quarantine', prefix: QUARANTINE_PREFIX, expiration: retention },
        {
          id: 'expire-invalid-uploads',
          tagFilters: { [QUARANTINE_TAG.key]: QUARANTINE_TAG.value },
          expiration: retention,
        },
        {
          // Evidence of an application that ended without a site (ID-card copies among it) is kept no longer than the retention policy.
          id: 'expire-ended-application-evidence',
          tagFilters: { [RETENTION_TAG.key]: RETENTION_TAG.value },
          expiration: Duration.days(config.evidenceRetentionDays),
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // eventBridgeEnabled on the L2 goes through a custom-resource Lambda
    // (BucketNotifications); CloudFormation sets the same switch natively.
    const cfnBucket = this.evidenceBucket.node.defaultChild as s3.CfnBucket;
    cfnBucket.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };

    this.identity = new Identity(this, 'Identity', { config, table: this.table, projectRoot: props.projectRoot });
  }
}

import { existsSync } from 'node:fs';
import { Annotations, Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import type { IdentitySettings } from './identity.ts';
import { acknowledge, acknowledgeWildcardActions, acknowledgeWildcardResources } from '../nag.ts';

/** Where the portal is hosted: CloudFront + S3 (default), or not by this stack (`none`: e.g. China regions without an ICP-licensed domain). */
export type PortalHosting = 'cloudfront' | 'none';

/** Props of {@link Portal}. */
export interface PortalProps {
  readonly stage: string;
  /** Built portal (`web/dist`); without it a placeholder page is deployed and the synth warns. */
  readonly distDir: string;
  /** Origin of the HTTP API (`https://<id>.execute-api.<region>.<suffix>`, no path), written into config.json and the CSP. */
  readonly apiUrl: string;
  /** Name of the evidence bucket: the browser POSTs uploads to its regional endpoint. */
  readonly evidenceBucketName: string;
  readonly identity: IdentitySettings;
  /** Hosted-UI origin when Cognito is the issuer (`https://<prefix>.auth.<region>.amazoncognito.com`). */
  readonly cognitoDomain?: string;
  /** Days CloudFront and bucket access logs are kept. */
  readonly logRetentionDays: number;
  /**
   * How CloudFront reads the bucket: origin access control (default), or
   * the legacy origin access identity where OAC is not offered (the China
   * regions: CloudFormation has no AWS::CloudFront::OriginAccessControl there).
   */
  readonly originAccess?: 'control' | 'identity';
}

/** The origin (`scheme://host[:port]`) of a URL that may hold tokens. */
function originOf(url: string): string {
  if (!url.includes('${Token')) return new URL(url).origin;
  // https://<id>.execute-api.<region>.<suffix>[/…]: the first three '/'-separated parts.
  const parts = Fn.split('/', url);
  return Fn.join('/', [Fn.select(0, parts), Fn.select(1, parts), Fn.select(2, parts)]);
}

/**
 * The portal's runtime configuration, as web/src/config.ts reads it from
 * `/config.json`. Cognito's hosted UI lives on its own host, so its
 * endpoints are given instead of discovered.
 */
export function portalConfig(props: Pick<PortalProps, 'apiUrl' | 'identity' | 'cognitoDomain' | 'stage'>): Record<string, string> {
  const base = {
    apiBase: props.apiUrl,
    issuer: props.identity.issuer,
    clientId: props.identity.audience[0] ?? '',
    scopes: 'openid email profile',
    stage: props.stage,
  };
  if (!props.cognitoDomain) return { ...base, logout: 'oidc' };
  return {
    ...base,
    authorizationEndpoint: `${props.cognitoDomain}/oauth2/authorize`,
    tokenEndpoint: `${props.cognitoDomain}/oauth2/token`,
    endSessionEndpoint: `${props.cognitoDomain}/logout`,
    logout: 'cognito',
  };
}

/**
 * The strict Content-Security-Policy of the portal: scripts and styles from
 * the portal only (Vite emits no inline code), XHR/fetch to the API, the
 * evidence bucket's regional endpoint (presigned POST uploads) and the
 * identity provider, nothing framed, no plugins.
 */
export function portalCsp(props: Pick<PortalProps, 'apiUrl' | 'evidenceBucketName' | 'identity' | 'cognitoDomain'>): string {
  const connect = [
    "'self'",
    originOf(props.apiUrl),
    `https://${props.evidenceBucketName}.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`,
    originOf(props.identity.issuer),
    ...(props.cognitoDomain ? [props.cognitoDomain] : []),
  ];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/**
 * A BucketDeployment source whose handler may read exactly its own asset
 * object (`s3:GetObject` on `<asset bucket>/<hash>.zip`) instead of the whole
 * CDK asset bucket: `Source.asset` grants `s3:GetObject*`, `s3:List*` on
 * `cdk-…-assets-<account>-<region>/*`, a wildcard whose ARN holds the
 * concrete region and partition whenever the CLI gives one (it sets
 * CDK_DEFAULT_REGION, us-east-1 when no profile names one), so no fixed
 * acknowledgement can match it. The inner source grants to an immutable
 * imported role, which drops the grant.
 */
export function exactObjectSource(source: s3deploy.ISource): s3deploy.ISource {
  return {
    bind(scope: Construct, context?: s3deploy.DeploymentSourceContext): s3deploy.SourceConfig {
      if (!context) throw new Error('exactObjectSource: BucketDeployment binds sources with a context (its handler role).');
      let n = 1;
      while (scope.node.tryFindChild(`ExactSourceGrantSink${n}`)) n += 1;
      const stack = Stack.of(scope);
      const sink = iam.Role.fromRoleArn(
        scope,
        `ExactSourceGrantSink${n}`,
        stack.formatArn({ service: 'iam', region: '', resource: 'role', resourceName: 'exact-source-grant-sink' }),
        { mutable: false },
      );
      const config = source.bind(scope, { handlerRole: sink });
      context.handlerRole.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [config.bucket.arnForObjects(config.zipObjectKey)] }),
      );
      return config;
    },
  };
}

/**
 * The portal on S3 behind CloudFront: a private bucket (Block Public Access,
 * TLS only, encrypted, versioned) read only by the distribution through
 * origin access control; security headers with a strict CSP; the SPA's
 * deep links (`/decisions/…` from e-mails) answered with index.html; the
 * hashed assets cached for a year, index.html and the generated config.json
 * revalidated on every load.
 */
export class Portal extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly responseHeaders: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);

    // CloudFront standard logs are written with ACLs: this bucket alone allows them (object writer).
    this.logBucket = new s3.Bucket(this, 'LogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(props.logRetentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.logBucket,
      'AwsSolutions-S1',
      'This bucket receives the access logs of the portal bucket and of CloudFront; logging it into itself would loop.',
    );

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // SSE-S3: CloudFront's origin access control reads it without a key policy; the files are public code, no personal data.
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'portal-bucket/',
      lifecycleRules: [{ id: 'expire-old-builds', noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });

    this.responseHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `exam-site ${props.stage} portal: strict CSP and security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: portalCsp(props), override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, preload: false, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        xssProtection: { protection: true, modeBlock: true, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `exam-site ${props.stage} portal`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin:
          props.originAccess === 'identity'
            ? origins.S3BucketOrigin.withOriginAccessIdentity(this.bucket)
            : origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.responseHeaders,
        compress: true,
      },
      // Deep links of the SPA (e-mailed decision links, /callback) are not objects: answer with the app.
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.seconds(0) })),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: applicants and reviewers travel and use mobile networks; access is controlled by sign-in at the API, and the portal serves only public code.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'No WAF on the portal distribution: it serves static, public files only; the API, which holds the data, has its own throttling and JWT authorizer.',
    );
    if (props.originAccess === 'identity') {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR7',
        'China regions only: CloudFormation there has no AWS::CloudFront::OriginAccessControl, so the bucket is read through an origin access identity; the bucket stays private (Block Public Access, TLS only) and its policy grants that identity alone.',
      );
    }
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The default CloudFront certificate (*.cloudfront.net) has a fixed security policy; attach a custom domain with an ACM certificate and TLSv1.2_2021 to lift it.',
    );

    const hasBuild = existsSync(`${props.distDir}/index.html`);
    if (!hasBuild) {
      Annotations.of(this).addWarningV2(
        'exam-site:portal-not-built',
        `${props.distDir} has no build: a placeholder page is deployed. Run the portal build (vite build) before cdk deploy.`,
      );
    }
    const build = exactObjectSource(
      hasBuild
        ? s3deploy.Source.asset(props.distDir, { exclude: ['index.html', 'config.json'] })
        : s3deploy.Source.data('assets/.keep', ''),
    );
    const assets = new s3deploy.BucketDeployment(this, 'DeployAssets', {
      destinationBucket: this.bucket,
      sources: [build],
      // Hashed file names: a new build is new files, so they may be cached for good.
      cacheControl: [s3deploy.CacheControl.fromString('public, max-age=31536000, immutable')],
      prune: false,
    });
    const entry = new s3deploy.BucketDeployment(this, 'DeployEntry', {
      destinationBucket: this.bucket,
      sources: [
        hasBuild
          ? s3deploy.Source.asset(props.distDir, { exclude: ['**', '!index.html'] })
          : s3deploy.Source.data('index.html', '<!doctype html><title>Portal not built</title><p>Build the portal (web/) and deploy again.</p>'),
        // Generated at deploy: the API URL and the issuer are known only then.
        s3deploy.Source.jsonData('config.json', portalConfig(props)),
      ].map(exactObjectSource),
      cacheControl: [s3deploy.CacheControl.fromString('no-cache')],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
    });
    entry.node.addDependency(assets);

    this.acknowledgeDeploymentHandler();
    new CfnOutput(this, 'PortalUrl', { value: `https://${this.distribution.distributionDomainName}` });
  }

  /**
   * The BucketDeployment handler is a stack-wide singleton created by CDK
   * outside this construct; its findings are acknowledged there, each named.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c: IConstruct) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) return;
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'The CDK BucketDeployment handler uses AWSLambdaBasicExecutionRole for its own logs only; it runs during deployments, never on a request path.',
    );
    // It reads only its own asset objects (exactObjectSource): the wildcards left are on the portal bucket it writes.
    const copyReason =
      'The CDK BucketDeployment handler writes whole build folders into the portal bucket (BucketDeployment grants read-write on its objects; prune is off, so nothing is deleted in practice).';
    acknowledgeWildcardResources(handler, copyReason, [`${this.bucket.bucketArn}/*`]);
    acknowledgeWildcardActions(handler, copyReason, ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']);
    acknowledge(
      handler,
      'AwsSolutions-L1',
      'The runtime of the CDK BucketDeployment handler is chosen by aws-cdk-lib and moves with it; it runs only during deployments.',
    );
    acknowledge(
      handler,
      'AwsSolutions-IAM5[Resource::*]',
      'CloudFront CreateInvalidation and GetInvalidation take no resource narrower than *; the handler invalidates index.html and config.json after each deployment.',
    );
  }
}

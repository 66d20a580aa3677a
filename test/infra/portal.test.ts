import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.ts';
import { portalConfig, portalCsp } from '../../infra/constructs/portal.ts';
import { cdkJsonContext, flat, FIXTURE_ROUTES, FIXTURE_WORKFLOWS, STUB_HANDLER, synth, type Synthesized } from './synth.ts';

const identity = { issuer: 'https://auth.example.cn/oidc', audience: ['exam-site-portal'], groupsClaim: 'groups' };

/** The app built with extra context (the `synth` helper takes none). */
function synthWith(context: Record<string, unknown>, partition: 'aws' | 'aws-cn', region?: string) {
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], partition, ...context } });
  return buildApp(app, {
    partition,
    env: region ? { region } : undefined,
    nag: false,
    stateless: { workflowsDir: FIXTURE_WORKFLOWS, resolveEntry: () => STUB_HANDLER, routes: FIXTURE_ROUTES },
  });
}

describe('infra/constructs/portal', () => {
  let s: Synthesized;
  let t: Template;
  beforeAll(() => {
    s = synth({ partition: 'aws' });
    t = Template.fromStack(s.stateless.portalStack!);
  });

  describe('Portal bucket', () => {
    it('blocks public access, refuses plain HTTP and encrypts at rest', () => {
      t.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'portal-bucket/' }),
      });
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    });

    it('is read by the distribution alone, through origin access control (no origin access identity)', () => {
      t.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
      t.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' }),
      });
      t.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })],
        }),
      });
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: 's3:GetObject',
              Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
            }),
          ]),
        },
      });
    });
  });

  describe('Distribution', () => {
    it('serves HTTPS only, answers the SPA deep links (e-mailed decision links) with index.html, and logs', () => {
      t.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', ResponseHeadersPolicyId: Match.anyValue() }),
          CustomErrorResponses: [
            { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
            { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
          ],
          Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
        }),
      });
    });

    it('sends security headers with a strict CSP naming the API, the evidence bucket endpoint and the issuer in connect-src', () => {
      const policies = t.findResources('AWS::CloudFront::ResponseHeadersPolicy');
      const [policy] = Object.values(policies) as Array<{ Properties: { ResponseHeadersPolicyConfig: Record<string, any> } }>;
      const sec = policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      const csp = JSON.stringify(sec.ContentSecurityPolicy.ContentSecurityPolicy);
      for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'", 'connect-src']) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(csp).toContain('Fn::ImportValue');
      expect(csp).toContain('.s3.');
      expect(csp).toContain('exam-site-dev-portal.auth.');
      expect(sec.StrictTransportSecurity).toMatchObject({ Override: true, IncludeSubdomains: true });
      expect(sec.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
      expect(sec.ContentTypeOptions).toMatchObject({ Override: true });
      expect(sec.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'no-referrer' });
    });
  });

  describe('exactObjectSource', () => {
    it.each([
      ['no region (tokens)', undefined],
      ["the CLI's default region (literal ARNs)", 'us-east-1'],
    ])('lets the deployment handler read exactly its own asset objects in the CDK asset bucket, nothing else there: %s', (_label, region) => {
      const built = synthWith({}, 'aws', region).stateless.portalStack!;
      const policies = Object.values(Template.fromStack(built).findResources('AWS::IAM::Policy')) as Array<{ Properties: { PolicyDocument: { Statement: Array<Record<string, unknown>> } } }>;
      const onAssets = policies
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .flatMap((st) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map((r) => ({ action: st.Action, resource: flat(r) })))
        .filter(({ resource }) => resource.includes('cdk-hnb659fds-assets'));
      // Three sources in two deployments: the build, index.html, config.json.
      expect(onAssets.length).toBeGreaterThanOrEqual(3);
      for (const { action, resource } of onAssets) {
        expect(action).toBe('s3:GetObject');
        expect(resource).toMatch(/\/[0-9a-f]{64}\.zip$/);
        expect(resource).not.toContain('*');
      }
    });
  });

  describe('portalConfig', () => {
    it('generates config.json at deploy with the API URL, and caches index.html and config.json for no time', () => {
      const deployments = Object.values(t.findResources('Custom::CDKBucketDeployment')) as Array<{ Properties: Record<string, any> }>;
      const entry = deployments.find((d) => JSON.stringify(d.Properties.SystemMetadata ?? {}).includes('no-cache'));
      expect(entry, 'the deployment of index.html and config.json').toBeDefined();
      expect(JSON.stringify(entry!.Properties.SourceMarkers)).toContain('Fn::ImportValue');
      expect(entry!.Properties.DistributionPaths).toEqual(['/index.html', '/config.json']);
      const assets = deployments.find((d) => d !== entry);
      expect(JSON.stringify(assets!.Properties.SystemMetadata)).toContain('immutable');
    });

    it('gives Cognito hosted-UI endpoints and Cognito logout, or leaves discovery to any other OIDC issuer', () => {
      const cognito = portalConfig({ apiUrl: 'https://api.example.com', identity, cognitoDomain: 'https://p.auth.eu-west-1.amazoncognito.com', stage: 'prod' });
      expect(cognito).toMatchObject({ apiBase: 'https://api.example.com', clientId: 'exam-site-portal', tokenEndpoint: 'https://p.auth.eu-west-1.amazoncognito.com/oauth2/token', logout: 'cognito' });
      const oidc = portalConfig({ apiUrl: 'https://api.example.cn', identity, stage: 'prod' });
      expect(oidc).toMatchObject({ issuer: identity.issuer, logout: 'oidc' });
      expect(oidc.tokenEndpoint).toBeUndefined();
    });
  });

  describe('portalCsp', () => {
    it('allows uploads to the evidence bucket and token calls to the issuer, and nothing else cross-origin', () => {
      const csp = portalCsp({ apiUrl: 'https://api.example.cn', evidenceBucketName: 'exam-prod-evidence', identity });
      const connect = csp.split('; ').find((d) => d.startsWith('connect-src'))!;
      expect(connect).toContain('https://api.example.cn');
      expect(connect).toContain('https://auth.example.cn');
      expect(connect).toMatch(/https:\/\/exam-prod-evidence\.s3\./);
      expect(connect.split(' ')).toHaveLength(5);
    });
  });

  describe('PortalStack', () => {
    it('is deployed after the code stack and leaves no cdk-nag finding unacknowledged', () => {
      const portalStack = s.stateless.portalStack!;
      expect(portalStack.dependencies).toContain(s.stateless);
      const report = new AwsSolutionsChecks(s.app).validateScope(portalStack);
      expect(report.violations.map((v) => v.ruleName)).toEqual([]);
    });

    it('is left out in the China regions unless asked for (CloudFront there needs an ICP-licensed domain), then reads the bucket through an origin access identity (no OAC there)', () => {
      expect(synthWith({}, 'aws-cn', 'cn-north-1').stateless.portalStack).toBeUndefined();
      const hosted = synthWith({ portalHosting: 'cloudfront' }, 'aws-cn', 'cn-north-1').stateless.portalStack;
      expect(hosted).toBeDefined();
      const cn = Template.fromStack(hosted!);
      cn.resourceCountIs('AWS::CloudFront::Distribution', 1);
      cn.resourceCountIs('AWS::CloudFront::OriginAccessControl', 0);
      cn.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 1);
      expect(synthWith({ portalHosting: 'none' }, 'aws').stateless.portalStack).toBeUndefined();
    });
  });
});

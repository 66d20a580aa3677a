import { beforeAll, describe, expect, it } from 'vitest';
import { synth, type Synthesized } from './synth.ts';

const REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;
const synthesized = new Map<string, Synthesized>();

beforeAll(() => {
  for (const region of REGIONS) synthesized.set(region, synth({ partition: 'aws-cn', env: { region } }));
});

const templatesOf = (region: string) => {
  const s = synthesized.get(region)!;
  return [s.statefulTemplate.toJSON(), s.statelessTemplate.toJSON()];
};
const typesOf = (region: string) =>
  templatesOf(region).flatMap((t) => Object.values(t.Resources as Record<string, { Type: string }>).map((r) => r.Type));

describe('infra (China partition)', () => {
  describe.each(REGIONS)('%s', (region) => {
    it('uses the China config from cdk.json: an OIDC issuer and SMTP', () => {
      const { config } = synthesized.get(region)!;
      expect(config.identity.kind).toBe('oidc');
      expect(config.mail.transport).toBe('smtp');
    });

    it('creates no Cognito resource (user pools are not offered there)', () => {
      expect(typesOf(region).filter((type) => type.startsWith('AWS::Cognito::'))).toEqual([]);
    });

    it('creates no SES resource (SES is not offered there)', () => {
      expect(typesOf(region).filter((type) => type.startsWith('AWS::SES::'))).toEqual([]);
    });

    it('contains no arn:aws: string anywhere in either template', () => {
      for (const template of templatesOf(region)) expect(JSON.stringify(template)).not.toContain('arn:aws:');
    });

    it('trusts the configured OIDC issuer and audience in the JWT authorizer', () => {
      const s = synthesized.get(region)!;
      const identity = s.config.identity;
      if (identity.kind !== 'oidc') throw new Error('expected oidc');
      s.apiTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        JwtConfiguration: { Issuer: identity.issuerUrl, Audience: identity.audience },
      });
    });

    it('lets send-mail read the SMTP secret by name, never holding its value', () => {
      const s = synthesized.get(region)!;
      const mail = s.config.mail;
      if (mail.transport !== 'smtp') throw new Error('expected smtp');
      const json = JSON.stringify(s.statelessTemplate.toJSON());
      expect(json).toContain(`:secret:${mail.credentialsSecretName}-??????`);
      expect(typesOf(region)).not.toContain('AWS::SecretsManager::Secret');
    });
  });
});

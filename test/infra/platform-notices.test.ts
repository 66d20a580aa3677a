import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { contextConfig, flat, resourcesOf, statementsOfRole, synth, type Synthesized } from './synth.ts';

type Json = Record<string, any>;

/**
 * Art.21 "向……有关平台报备": SiteRevoked goes from the bus to the platforms'
 * API destination, its credential from Secrets Manager, its role allowed
 * only to invoke that destination.
 */
describe('infra/constructs/platform-notices', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth({ partition: 'aws' });
  });

  const only = (type: string): Json => {
    const found = Object.values(resourcesOf(s.statelessTemplate, type));
    expect(found).toHaveLength(1);
    return found[0]!.Properties as Json;
  };

  it('routes only SiteRevoked of the revocation workflow from the domain bus to the API destination, body = the event detail', () => {
    const rule = Object.values(resourcesOf(s.statelessTemplate, 'AWS::Events::Rule')).find((r) => (r.Properties as Json).EventPattern?.['detail-type']?.[0] === 'SiteRevoked');
    expect(rule).toBeDefined();
    const props = rule!.Properties as Json;
    expect(props.EventPattern).toEqual({ source: ['exam-site.revocation'], 'detail-type': ['SiteRevoked'] });
    expect(flat(props.EventBusName)).toMatch(/DomainEvents/);
    const [target] = props.Targets as Json[];
    expect(flat(target!.Arn)).toMatch(/PlatformNoticesDestination.*Arn/);
    expect(target!.InputPath).toBe('$.detail');
    expect(target!.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 });
    expect(flat(target!.DeadLetterConfig.Arn)).toMatch(/PlatformNoticeDeadLetters/);
  });

  it('posts to the configured HTTPS endpoint at the configured rate', () => {
    const destination = only('AWS::Events::ApiDestination');
    expect(destination).toMatchObject({ HttpMethod: 'POST', InvocationEndpoint: 'https://platform.example.com/notices/exam-sites', InvocationRateLimitPerSecond: 5 });
  });

  it('takes the connection credential from Secrets Manager by name, never a literal in the template', () => {
    const connection = only('AWS::Events::Connection');
    expect(connection.AuthorizationType).toBe('API_KEY');
    const key = connection.AuthParameters.ApiKeyAuthParameters;
    expect(key.ApiKeyName).toBe('x-api-key');
    expect(flat(key.ApiKeyValue)).toMatch(/\{\{resolve:secretsmanager:exam-site\/dev\/platform-notices:SecretString:apiKey::\}\}/);
  });

  it('lets the rule target role invoke this destination and nothing else (least privilege)', () => {
    const rule = Object.values(resourcesOf(s.statelessTemplate, 'AWS::Events::Rule')).find((r) => (r.Properties as Json).EventPattern?.['detail-type']?.[0] === 'SiteRevoked')!;
    const roleId = ((rule.Properties as Json).Targets[0].RoleArn['Fn::GetAtt'] as string[])[0]!;
    const statements = statementsOfRole(s.statelessTemplate, roleId);
    expect(statements.flatMap((st) => st.Action)).toEqual(['events:InvokeApiDestination']);
    expect(statements.flatMap((st) => st.Resource).map(flat)).toEqual([expect.stringMatching(/PlatformNoticesDestination.*Arn/)]);
  });

  it('alarms on undelivered notices (the dead-letter queue depth)', () => {
    const alarms = Object.values(resourcesOf(s.statelessTemplate, 'AWS::CloudWatch::Alarm')).map((a) => JSON.stringify(a.Properties));
    expect(alarms.some((a) => a.includes('PlatformNoticeDeadLetters'))).toBe(true);
  });

  it('supports HTTP basic from the same secret and builds no rule (with a warning) when no destination is configured', () => {
    const basic = synth({ partition: 'aws', config: contextConfig('aws', (c) => (c.platformNotices = { endpoint: 'https://p.example.com/n', authorization: { kind: 'basic', secretName: 'exam-site/dev/p' } })) });
    const connection = Object.values(resourcesOf(basic.statelessTemplate, 'AWS::Events::Connection'))[0]!.Properties as Json;
    expect(connection.AuthorizationType).toBe('BASIC');
    expect(flat(connection.AuthParameters.BasicAuthParameters.Password)).toMatch(/resolve:secretsmanager:exam-site\/dev\/p:SecretString:password/);
    const none = synth({ partition: 'aws', config: contextConfig('aws', (c) => delete c.platformNotices) });
    expect(Object.keys(resourcesOf(none.statelessTemplate, 'AWS::Events::ApiDestination'))).toEqual([]);
    const warnings = Annotations.fromStack(none.stateless).findWarning('*', Match.stringLikeRegexp('platformNotices is not configured'));
    expect(warnings).toHaveLength(1);
  });

  it('refuses an endpoint that is not HTTPS at synth', () => {
    expect(() => synth({ partition: 'aws', config: contextConfig('aws', (c) => (c.platformNotices = { endpoint: 'http://p.example.com', authorization: { kind: 'basic', secretName: 'x' } })) })).toThrow(/platformNotices\.endpoint/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { allowsOf, flat, functionByName, resourcesOf, synth, type Synthesized } from './synth.ts';

/**
 * Accounts by invitation on Cognito (global regions, `config:aws`): self
 * sign-up only through the pre-sign-up gate, addresses verified by code, the
 * applicant group after confirmation; with an external issuer (China) no
 * trigger exists.
 */
describe('infra/identity', () => {
  let s: Synthesized;
  let china: Synthesized;
  beforeAll(() => {
    s = synth();
    china = synth({ partition: 'aws-cn' });
  }, 300_000);

  const pool = (t: Synthesized) => Object.values(resourcesOf(t.statefulTemplate, 'AWS::Cognito::UserPool'))[0]?.Properties as Record<string, any>;

  describe('the user pool', () => {
    it('opens self sign-up only behind the pre-sign-up trigger, and adds the applicant group after confirmation', () => {
      const props = pool(s);
      expect(props.AdminCreateUserConfig.AllowAdminCreateUserOnly).toBe(false);
      expect(flat(props.LambdaConfig.PreSignUp)).toMatch(/^\{GetAtt:IdentityadmitinvitedsignupFunction.*\.Arn\}$/);
      expect(flat(props.LambdaConfig.PostConfirmation)).toMatch(/^\{GetAtt:IdentityaddapplicantgroupFunction.*\.Arn\}$/);
    });

    it('requires the address to be verified by a mailed code and keeps the old address until a new one is verified', () => {
      const props = pool(s);
      expect(props.AutoVerifiedAttributes).toEqual(['email']);
      expect(props.VerificationMessageTemplate.DefaultEmailOption).toBe('CONFIRM_WITH_CODE');
      expect(props.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate).toEqual(['email']);
    });

    it('lets only Cognito, from this pool, invoke the triggers', () => {
      const permissions = Object.values(resourcesOf(s.statefulTemplate, 'AWS::Lambda::Permission')).map((p) => p.Properties as Record<string, unknown>);
      const fromCognito = permissions.filter((p) => p.Principal === 'cognito-idp.amazonaws.com');
      expect(fromCognito).toHaveLength(2);
      for (const p of fromCognito) expect(flat(p.SourceArn)).toMatch(/^\{GetAtt:IdentityUserPool.*\.Arn\}$/);
    });
  });

  describe('least privilege', () => {
    it('lets the pre-sign-up trigger only query the invitations e-mail index of the table, nothing else', () => {
      const { statements, env } = functionByName(s.statefulTemplate, 'admit-invited-sign-up');
      const dynamo = statements.filter((st) => st.Action.some((a) => a.startsWith('dynamodb:')));
      expect(dynamo).toHaveLength(1);
      expect(dynamo[0]?.Action).toEqual(['dynamodb:Query']);
      expect(dynamo[0]?.Resource.map(flat)).toEqual([expect.stringMatching(/^\{GetAtt:Table.*\.Arn\}$/)]);
      expect(dynamo[0]?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['INVITEMAIL#*'] } });
      expect(allowsOf(statements, 'cognito-idp:')).toEqual([]);
      expect(allowsOf(statements, 'kms:').flatMap((st) => st.Action)).toEqual(['kms:Decrypt']);
      // NODE_OPTIONS comes with source maps, which only a bundled build has.
      expect(Object.keys(env).filter((k) => k !== 'NODE_OPTIONS').sort()).toEqual(['APP_CONFIG', 'LOG_LEVEL', 'POWERTOOLS_SERVICE_NAME', 'TABLE_NAME']);
    });

    it('lets the post-confirmation trigger only add users to groups of this pool, and read nothing of the table', () => {
      const { statements } = functionByName(s.statefulTemplate, 'add-applicant-group');
      expect(allowsOf(statements, 'dynamodb:')).toEqual([]);
      const cognito = allowsOf(statements, 'cognito-idp:');
      expect(cognito.flatMap((st) => st.Action)).toEqual(['cognito-idp:AdminAddUserToGroup']);
      expect(cognito[0]?.Resource.map(flat)).toEqual([expect.stringMatching(/^\{GetAtt:IdentityUserPool.*\.Arn\}$/)]);
    });

    it('lets accept-invitation read users of this pool (their verified e-mail) and gives it the pool id', () => {
      const { statements, env } = functionByName(s.statelessTemplate, 'accept-invitation');
      const cognito = allowsOf(statements, 'cognito-idp:');
      expect(cognito.flatMap((st) => st.Action)).toEqual(['cognito-idp:AdminGetUser']);
      expect(cognito[0]?.Resource.map(flat)).toEqual([expect.stringMatching(/^\{Import:.*UserPool/)]);
      expect(flat(env.USER_POOL_ID)).toMatch(/^\{Import:.*UserPool/);
    });
  });

  describe('with an external OIDC issuer (China regions)', () => {
    it('makes no pool and no trigger, and gives accept-invitation no Cognito access (acceptance binds the issuer sub)', () => {
      expect(resourcesOf(china.statefulTemplate, 'AWS::Cognito::UserPool')).toEqual({});
      expect(resourcesOf(china.statefulTemplate, 'AWS::Lambda::Function')).toEqual({});
      const { statements, env } = functionByName(china.statelessTemplate, 'accept-invitation');
      expect(allowsOf(statements, 'cognito-idp:')).toEqual([]);
      expect('USER_POOL_ID' in env).toBe(false);
    });
  });
});

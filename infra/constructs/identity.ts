import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { AppConfig } from '../config.ts';
import { acknowledge } from '../nag.ts';

/** The groups a user may belong to; the API reads them from the groups claim. */
export const USER_GROUPS = ['applicant', 'reviewer', 'admin'] as const;

/** What the API's JWT authorizer needs to trust tokens, whoever issues them. */
export interface IdentitySettings {
  /** Issuer URL the `iss` claim must equal. */
  readonly issuer: string;
  /** Accepted `aud` (or, for Cognito access tokens, `client_id`) values. */
  readonly audience: string[];
  /** Claim holding the user's groups. */
  readonly groupsClaim: string;
}

/** Props of {@link Identity}. */
export interface IdentityProps {
  readonly config: AppConfig;
}

/**
 * The identity provider of the portal. With `identity.kind = cognito` a user
 * pool (accounts by invitation only, TOTP MFA, hosted-UI domain, PKCE client,
 * the three groups); with `oidc` nothing is created and the external issuer
 * from the config is trusted.
 *
 * It lives in the stateful stack: a user pool holds the accounts and cannot
 * be recreated without losing them.
 */
export class Identity extends Construct {
  readonly settings: IdentitySettings;
  readonly userPool?: cognito.UserPool;
  readonly portalClient?: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const { identity, portalOrigin } = props.config;
    if (identity.kind === 'oidc') {
      this.settings = { issuer: identity.issuerUrl, audience: [...identity.audience], groupsClaim: identity.groupsClaim };
      return;
    }

    const userPool = new cognito.UserPool(this, 'UserPool', {
      // Accounts by invitation: an admin creates the user and its membership record.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      userPool,
      'AwsSolutions-COG2',
      'MFA is optional with TOTP offered to every user: applicants are college staff invited by admins and must be able to sign in before enrolling a device; the portal asks reviewers and admins to enrol TOTP.',
    );

    userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: identity.domainPrefix } });
    const portalClient = userPool.addClient('PortalClient', {
      generateSecret: false,
      preventUserExistenceErrors: true,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${portalOrigin}/callback`],
        logoutUrls: [portalOrigin],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(1),
    });
    for (const group of USER_GROUPS) {
      userPool.addGroup(`Group${group}`, { groupName: group });
    }

    this.userPool = userPool;
    this.portalClient = portalClient;
    this.settings = {
      issuer: `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${userPool.userPoolId}`,
      audience: [portalClient.userPoolClientId],
      groupsClaim: 'cognito:groups',
    };
  }
}

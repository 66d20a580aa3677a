import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { functions as catalogFunctions, handlerEntry, type FunctionSpec } from '../../functions/catalog.ts';
import { IDENTITY_TRIGGERS } from '../../functions/catalog/accounts.ts';
import type { AppConfig } from '../config.ts';
import { acknowledge } from '../nag.ts';
import { AppFunction } from './app-function.ts';

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
  /** The single table: the pre-sign-up trigger reads the invitations' e-mail index in it. */
  readonly table: dynamodb.ITable;
  /** Repository root (handler files, lock file, tsconfig) for the trigger functions. */
  readonly projectRoot: string;
  /** Catalogue override for tests (default `functions/catalog.ts`); its `identity-trigger` functions are built here. */
  readonly functions?: readonly FunctionSpec[];
}

/**
 * The identity provider of the portal. With `identity.kind = cognito` a user
 * pool (accounts by invitation only, TOTP MFA, hosted-UI domain, PKCE client,
 * the three groups); with `oidc` nothing is created and the external issuer
 * from the config is trusted.
 *
 * Accounts by invitation on Cognito: self sign-up is on, behind the
 * pre-sign-up trigger `admit-invited-sign-up`, which admits only an address
 * with a pending, unexpired invitation; the address must then be confirmed
 * with the code Cognito mails (nothing auto-confirmed), so nobody claims an
 * address they do not own; the post-confirmation trigger
 * `add-applicant-group` puts the new user in the applicant group. Staff
 * accounts are created by admins (AdminCreateUser), which the trigger admits.
 *
 * It lives in the stateful stack: a user pool holds the accounts and cannot
 * be recreated without losing them.
 */
export class Identity extends Construct {
  readonly settings: IdentitySettings;
  readonly userPool?: cognito.UserPool;
  readonly portalClient?: cognito.UserPoolClient;
  /** The Cognito triggers by catalogue name (empty with an external issuer). */
  readonly triggers = new Map<string, AppFunction>();

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const { identity, portalOrigin } = props.config;
    if (identity.kind === 'oidc') {
      this.settings = { issuer: identity.issuerUrl, audience: [...identity.audience], groupsClaim: identity.groupsClaim };
      return;
    }

    const userPool = new cognito.UserPool(this, 'UserPool', {
      // Open only through the pre-sign-up trigger below (invited addresses).
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      // A sign-up is confirmed by the code mailed to the address: proof the user owns it.
      autoVerify: { email: true },
      userVerification: { emailStyle: cognito.VerificationEmailStyle.CODE },
      // A changed address counts only once verified; until then the old one stays.
      keepOriginal: { email: true },
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

    const specs = (props.functions ?? catalogFunctions).filter((spec) => spec.kind === 'identity-trigger');
    for (const spec of specs) {
      const operation = IDENTITY_TRIGGERS[spec.name as keyof typeof IDENTITY_TRIGGERS];
      if (!operation) throw new Error(`Identity trigger "${spec.name}" has no Cognito operation: add it to IDENTITY_TRIGGERS in functions/catalog/accounts.ts.`);
      const trigger = new AppFunction(this, spec.name, {
        spec,
        entry: path.join(props.projectRoot, handlerEntry(spec.name)),
        projectRoot: props.projectRoot,
        resources: { config: props.config, table: props.table, userPool },
      });
      userPool.addTrigger(operation === 'preSignUp' ? cognito.UserPoolOperation.PRE_SIGN_UP : cognito.UserPoolOperation.POST_CONFIRMATION, trigger.fn);
      this.triggers.set(spec.name, trigger);
    }
    if (!this.triggers.has('admit-invited-sign-up')) {
      throw new Error('Self sign-up is open only behind the pre-sign-up trigger admit-invited-sign-up, which the catalogue lacks.');
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

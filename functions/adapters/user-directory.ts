import { AdminAddUserToGroupCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { cognitoClient } from './aws-clients.ts';

/**
 * The Cognito user pool, where it is the identity provider: the only code
 * that talks to it. (With an external OIDC issuer the issuer owns accounts
 * and groups; nothing here is called.)
 */

/** Puts a user in a group of the pool (the post-confirmation trigger: invited sign-ups become applicants). */
export async function addUserToGroup(userPoolId: string, username: string, group: string): Promise<void> {
  await cognitoClient().send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group }));
}

/**
 * The e-mail address of a user and whether the pool verified it. Cognito
 * access tokens carry no `email` claim, so acceptance reads it here; `sub`
 * is accepted as the user name by AdminGetUser.
 */
export async function userEmail(userPoolId: string, sub: string): Promise<{ email?: string; verified: boolean }> {
  const out = await cognitoClient().send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: sub }));
  const attribute = (name: string) => out.UserAttributes?.find((a) => a.Name === name)?.Value;
  return { email: attribute('email'), verified: attribute('email_verified') === 'true' };
}

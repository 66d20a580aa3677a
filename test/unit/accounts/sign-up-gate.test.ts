import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { emailHash } from '../../../functions/domain/email-address.ts';
import { handler as addApplicantGroup } from '../../../functions/handlers/add-applicant-group.handler.ts';
import { handler as admitInvitedSignUp } from '../../../functions/handlers/admit-invited-sign-up.handler.ts';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { logger } from '../../../functions/shared/logger.ts';
import { SIGN_UP_REFUSED_MESSAGE } from '../../../functions/use-cases/accounts/sign-up-gate.ts';
import { lambdaContext } from '../../support/http-event.ts';
import { setRegistryEnv } from '../registry/helpers/http.ts';
import { useTestTable } from '../../support/table.ts';

setRegistryEnv();
const table = useTestTable();
const cognito = mockClient(CognitoIdentityProviderClient);
const T0 = Date.parse('2025-03-03T08:00:00.000Z');
const DAY = 86_400_000;

function signUp(email: string | undefined, triggerSource: PreSignUpTriggerEvent['triggerSource'] = 'PreSignUp_SignUp'): PreSignUpTriggerEvent {
  return {
    version: '1',
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_pool',
    userName: 'a1b2c3',
    callerContext: { awsSdkVersion: '3', clientId: 'portal' },
    triggerSource,
    request: { userAttributes: email ? { email } : {} },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  } as PreSignUpTriggerEvent;
}

/** An invitation's e-mail index item, as putInvitation writes it. */
async function invitationIndex(email: string, invitationId: string, status: 'pending' | 'accepted', expiresOn: number): Promise<void> {
  await table.put({ pk: `INVITEMAIL#${emailHash(email)}`, sk: `INVITE#${invitationId}`, type: 'invitation-email', status, expiresOn: new Date(expiresOn).toISOString() });
}

beforeEach(async () => {
  cognito.reset();
  installTimeSource({ now: () => T0 });
});
afterAll(() => installTimeSource(undefined));

describe('accounts', () => {
  describe('admit-invited-sign-up (Cognito pre-sign-up)', () => {
    it('admits an address with a pending, unexpired invitation, whatever its case, and confirms nothing itself', async () => {
      await invitationIndex('manager@xmhw.edu.cn', 'inv-1', 'pending', T0 + DAY);
      const out = (await admitInvitedSignUp(signUp('Manager@XMHW.edu.cn'), lambdaContext)) as PreSignUpTriggerEvent;
      expect(out.response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
      const query = table.sent(QueryCommand)[0];
      expect(query?.ExpressionAttributeValues).toEqual({ ':pk': `INVITEMAIL#${emailHash('manager@xmhw.edu.cn')}` });
      expect(query?.IndexName).toBeUndefined();
      expect(query?.ConsistentRead).toBe(true);
    });

    it.each([
      ['no invitation', () => undefined],
      ['an expired invitation', () => invitationIndex('manager@xmhw.edu.cn', 'inv-1', 'pending', T0 - 1)],
      ['an accepted invitation', () => invitationIndex('manager@xmhw.edu.cn', 'inv-1', 'accepted', T0 + DAY)],
      ['an invitation of another address', () => invitationIndex('other@xmhw.edu.cn', 'inv-1', 'pending', T0 + DAY)],
    ])('refuses a self sign-up of an address with %s, with the same bilingual message', async (_case, arrange) => {
      await arrange();
      await expect(admitInvitedSignUp(signUp('manager@xmhw.edu.cn'), lambdaContext)).rejects.toThrow(SIGN_UP_REFUSED_MESSAGE);
    });

    it('admits when one of several invitations of the address is still open', async () => {
      await invitationIndex('manager@xmhw.edu.cn', 'inv-1', 'pending', T0 - DAY);
      await invitationIndex('manager@xmhw.edu.cn', 'inv-2', 'pending', T0 + DAY);
      await expect(admitInvitedSignUp(signUp('manager@xmhw.edu.cn'), lambdaContext)).resolves.toBeDefined();
    });

    it('admits accounts an administrator creates (staff) without reading the table', async () => {
      await expect(admitInvitedSignUp(signUp('reviewer@org.example', 'PreSignUp_AdminCreateUser'), lambdaContext)).resolves.toBeDefined();
      expect(table.sent(QueryCommand)).toHaveLength(0);
    });

    it('refuses federated sign-ups and a sign-up without an address', async () => {
      await invitationIndex('manager@xmhw.edu.cn', 'inv-1', 'pending', T0 + DAY);
      await expect(admitInvitedSignUp(signUp('manager@xmhw.edu.cn', 'PreSignUp_ExternalProvider'), lambdaContext)).rejects.toThrow(SIGN_UP_REFUSED_MESSAGE);
      await expect(admitInvitedSignUp(signUp(undefined), lambdaContext)).rejects.toThrow(SIGN_UP_REFUSED_MESSAGE);
    });

    it('never writes the address to the log', async () => {
      // The Powertools Logger reads LOG_LEVEL once; set its level directly and catch every console method it writes with.
      logger.setLogLevel('INFO');
      const written: string[] = [];
      for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
        vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' ')));
      }
      try {
        await invitationIndex('manager@xmhw.edu.cn', 'inv-1', 'pending', T0 + DAY);
        await admitInvitedSignUp(signUp('manager@xmhw.edu.cn'), lambdaContext);
        await admitInvitedSignUp(signUp('stranger@xmhw.edu.cn'), lambdaContext).catch(() => undefined);
        expect(written.length).toBeGreaterThan(0);
        for (const line of written) expect(line).not.toMatch(/@xmhw\.edu\.cn/);
      } finally {
        vi.restoreAllMocks();
        logger.setLogLevel('ERROR');
      }
    });
  });

  describe('add-applicant-group (Cognito post-confirmation)', () => {
    const confirmed = (triggerSource: PostConfirmationTriggerEvent['triggerSource']): PostConfirmationTriggerEvent =>
      ({
        version: '1',
        region: 'eu-west-1',
        userPoolId: 'eu-west-1_pool',
        userName: 'a1b2c3',
        callerContext: { awsSdkVersion: '3', clientId: 'portal' },
        triggerSource,
        request: { userAttributes: { sub: 'a1b2c3', email: 'manager@xmhw.edu.cn', email_verified: 'true' } },
        response: {},
      }) as PostConfirmationTriggerEvent;

    it('puts a confirmed sign-up in the applicant group of its pool', async () => {
      cognito.on(AdminAddUserToGroupCommand).resolves({});
      await addApplicantGroup(confirmed('PostConfirmation_ConfirmSignUp'), lambdaContext);
      expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input)).toEqual([
        { UserPoolId: 'eu-west-1_pool', Username: 'a1b2c3', GroupName: 'applicant' },
      ]);
    });

    it('changes no group when a forgotten password is confirmed', async () => {
      await addApplicantGroup(confirmed('PostConfirmation_ConfirmForgotPassword'), lambdaContext);
      expect(cognito.commandCalls(AdminAddUserToGroupCommand)).toHaveLength(0);
    });
  });
});

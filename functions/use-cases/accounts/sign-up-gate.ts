import type { PostConfirmationTriggerEvent, PreSignUpTriggerEvent } from 'aws-lambda';
import { hasOpenInvitation } from '../../adapters/stores/staff.ts';
import { addUserToGroup } from '../../adapters/user-directory.ts';
import { emailHash } from '../../domain/email-address.ts';
import { nowIso } from '../../shared/clock.ts';
import { logger } from '../../shared/logger.ts';

/**
 * The Cognito user pool's account rules (with `identity.kind = cognito`):
 * self sign-up is open only to an address with an open invitation, and an
 * invited sign-up becomes an applicant once it has verified its address.
 * The invitation still has to be accepted in the portal: membership, and
 * with it the institution, comes only from that (invitations.ts).
 */

/**
 * What Cognito shows a refused sign-up ("PreSignUp failed with error …"),
 * in both languages. The same for every refusal: it says nothing about
 * other addresses or invitations.
 */
export const SIGN_UP_REFUSED_MESSAGE =
  '仅收到有效邀请的邮箱可以注册，请联系培训评价组织。/ Only an e-mail address with an open invitation can sign up; ask the training-evaluation organisation for an invitation.';

/**
 * Pre-sign-up trigger. `PreSignUp_SignUp` (self sign-up): admitted only
 * when the address has a pending, unexpired invitation; the user still
 * confirms the address with the code Cognito mails (nothing is
 * auto-confirmed or auto-verified), so nobody signs up with an address they
 * do not own. `PreSignUp_AdminCreateUser`: admins create staff accounts
 * themselves, admitted. Anything else (federated sign-in; none is
 * configured) is refused.
 */
export async function admitSignUp(event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> {
  if (event.triggerSource === 'PreSignUp_AdminCreateUser') return event;
  const email = event.request.userAttributes.email;
  if (event.triggerSource === 'PreSignUp_SignUp' && email && (await hasOpenInvitation(emailHash(email), nowIso()))) {
    event.response.autoConfirmUser = false;
    event.response.autoVerifyEmail = false;
    event.response.autoVerifyPhone = false;
    logger.info('sign-up admitted: open invitation');
    return event;
  }
  // Never the address: a log line must not hold personal data.
  logger.info('sign-up refused: no open invitation', { triggerSource: event.triggerSource });
  throw new Error(SIGN_UP_REFUSED_MESSAGE);
}

/** The group an invited sign-up joins; the API requires it for the applicant's actions. */
export const APPLICANT_GROUP = 'applicant';

/**
 * Post-confirmation trigger: a self sign-up that confirmed its address (only
 * invited addresses get this far) joins the applicant group, so its first
 * token already carries it. Other confirmations (a forgotten password) change
 * nothing. Adding a user to a group it is in is a no-op, so a retry is safe.
 */
export async function joinApplicantGroup(event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> {
  if (event.triggerSource !== 'PostConfirmation_ConfirmSignUp') return event;
  await addUserToGroup(event.userPoolId, event.userName, APPLICANT_GROUP);
  logger.info('confirmed sign-up joined the applicant group');
  return event;
}

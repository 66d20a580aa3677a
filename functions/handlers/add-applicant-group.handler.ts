import middy from '@middy/core';
import type { Context, PostConfirmationTriggerEvent } from 'aws-lambda';
import { setCorrelationId } from '../shared/logger.ts';
import { joinApplicantGroup } from '../use-cases/accounts/sign-up-gate.ts';

/** Cognito post-confirmation trigger: a confirmed (invited) sign-up joins the applicant group. */
export const handler = middy(async (event: PostConfirmationTriggerEvent, context: Context) => {
  setCorrelationId(context.awsRequestId);
  return joinApplicantGroup(event);
});

import middy from '@middy/core';
import type { Context, PreSignUpTriggerEvent } from 'aws-lambda';
import { setCorrelationId } from '../shared/logger.ts';
import { admitSignUp } from '../use-cases/accounts/sign-up-gate.ts';

/** Cognito pre-sign-up trigger: only invited addresses may create an account. */
export const handler = middy(async (event: PreSignUpTriggerEvent, context: Context) => {
  setCorrelationId(context.awsRequestId);
  return admitSignUp(event);
});

import type { FunctionSpec, RouteSpec } from '../catalog.ts';

/**
 * Accounts by invitation on a Cognito user pool: its triggers. They are
 * built in the stateful stack beside the pool (a pool naming a function of
 * the stateless stack, whose functions name the stateful table, would make a
 * dependency cycle), and only when `identity.kind = cognito`; with an
 * external OIDC issuer the issuer owns accounts and none of these exist.
 */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'admit-invited-sign-up',
    kind: 'identity-trigger',
    description: 'Cognito pre-sign-up trigger: admits a self sign-up only for an address with a pending, unexpired invitation.',
    access: { invitationEmailIndex: true },
    timeoutSeconds: 5,
  },
  {
    name: 'add-applicant-group',
    kind: 'identity-trigger',
    description: 'Cognito post-confirmation trigger: an invited sign-up that confirmed its address joins the applicant group.',
    access: { userPool: ['add-to-group'] },
    timeoutSeconds: 5,
  },
];

export const routes: readonly RouteSpec[] = [];

/** The Cognito trigger each function answers (infra/constructs/identity.ts wires them). */
export const IDENTITY_TRIGGERS = {
  'admit-invited-sign-up': 'preSignUp',
  'add-applicant-group': 'postConfirmation',
} as const satisfies Record<string, 'preSignUp' | 'postConfirmation'>;

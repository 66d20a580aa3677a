import type { DefaultRouteSpec, FunctionSpec, RouteSpec } from './types.ts';

/** Platform functions: mail, the answer to unknown routes. */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'send-mail',
    kind: 'queue',
    description: 'Sends queued e-mails through SES v2 or SMTP at the configured rate.',
    access: { mailSend: true, table: 'readwrite' },
    timeoutSeconds: 30,
  },
  {
    name: 'not-found',
    kind: 'http',
    description: "Answers every request no route matches (the HTTP API's $default route) in the API's one error shape.",
    access: {},
    memoryMb: 128,
    timeoutSeconds: 3,
  },
];

export const routes: readonly RouteSpec[] = [];

/** What answers a request no route matches: public, so an unknown path is a 404 whether signed in or not. */
export const defaultRoute: DefaultRouteSpec = { fn: 'not-found', auth: 'none' };

import type { FunctionSpec, RouteSpec } from './types.ts';

/** Platform functions: mail, OpenAPI document. */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'send-mail',
    kind: 'queue',
    description: 'Sends queued e-mails through SES v2 or SMTP at the configured rate.',
    access: { mailSend: true, table: 'readwrite' },
    timeoutSeconds: 30,
  },
];

export const routes: readonly RouteSpec[] = [];

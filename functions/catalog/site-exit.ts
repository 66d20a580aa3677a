import type { FunctionSpec, RouteSpec } from './types.ts';

/**
 * The end of a site's accreditation: withdrawal (Art.22) and revocation
 * (Art.23(1)–(3), Art.21), each a workflow with a decision task
 * (`workflows/site-withdrawal/`, `workflows/site-revocation/`).
 */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'request-withdrawal',
    kind: 'http',
    description: "The site's member asks to withdraw (Art.22); refused while a session is scheduled or in progress; starts the site-withdrawal workflow.",
    access: { table: 'readwrite', workflows: { start: ['site-withdrawal'] } },
  },
  {
    name: 'site-withdrawal-step',
    kind: 'task',
    description: 'Steps of the site-withdrawal workflow: agree (Art.22 re-checked, ACTIVE -> WITHDRAWN, timer removed), decline, lapse, error; each audited on the site and mailed.',
    access: { table: 'readwrite', mailQueue: true, scheduler: true },
    timeoutSeconds: 30,
  },
  {
    name: 'open-revocation',
    kind: 'http',
    description: 'An admin opens a revocation case (Art.23(2), Art.23(3)) with cause, reason, evidence, optionally urgent; starts the site-revocation workflow (one open case per site and cause).',
    access: { table: 'readwrite', workflows: { start: ['site-revocation'] } },
  },
  {
    name: 'list-revocations',
    kind: 'http',
    description: 'The revocation and withdrawal cases of a site, for its members and for staff (never a task token).',
    access: { table: 'read' },
  },
  {
    name: 'submit-representation',
    kind: 'http',
    description: "The site's representation (陈述申辩) within its window: text and validated files; resumes the waiting revocation workflow.",
    access: { table: 'readwrite', workflows: { sendTaskResult: ['site-revocation'] } },
  },
  {
    name: 'site-revocation-step',
    kind: 'task',
    description: 'Steps of the site-revocation workflow: representation window, inactivity re-check, revoke (lifecycle row by cause, sessions cancelled, timer removed, authority mailed, SiteRevoked), dismiss, overdue, error.',
    access: { table: 'readwrite', mailQueue: true, scheduler: true },
    timeoutSeconds: 30,
  },
];

export const routes: readonly RouteSpec[] = [
  { method: 'POST', path: '/v1/sites/{siteId}/withdrawal', fn: 'request-withdrawal', auth: 'jwt' },
  { method: 'POST', path: '/v1/admin/sites/{siteId}/revocations', fn: 'open-revocation', auth: 'jwt' },
  { method: 'GET', path: '/v1/sites/{siteId}/cases', fn: 'list-revocations', auth: 'jwt' },
  { method: 'POST', path: '/v1/sites/{siteId}/revocations/{revocationId}/representation', fn: 'submit-representation', auth: 'jwt' },
];

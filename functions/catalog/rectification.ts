import type { FunctionSpec, RouteSpec } from './types.ts';

/**
 * Assessment, suspension and rectification (Art.21): the `site-assessment`
 * workflow (a reviewer assesses a submitted evaluation, the sanction ladder
 * applies, a second reviewer confirms a suspension) and the
 * `site-rectification` workflow (the site's report by its deadline, the
 * review, restoration or revocation).
 */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'site-assessment-step',
    kind: 'task',
    description: 'Steps of the site-assessment workflow: apply the assessment (ladder, counts, marks), confirm or reject a suspension (ACTIVE -> SUSPENDED, sessions cancelled, timer paused), open the rectification or the revocation (Art.21).',
    access: { table: 'readwrite', mailQueue: true, scheduler: true, workflows: { start: ['site-rectification', 'site-revocation'] } },
    timeoutSeconds: 60,
  },
  {
    name: 'site-rectification-step',
    kind: 'task',
    description: 'Steps of the site-rectification workflow: keep the report token, record a missed deadline, apply the review (SUSPENDED -> ACTIVE with the timer resumed, or the revocation workflow) (Art.21).',
    access: { table: 'readwrite', mailQueue: true, scheduler: true, workflows: { start: ['site-revocation'], sendTaskResult: ['site-rectification'] } },
    timeoutSeconds: 60,
  },
  { name: 'get-site-supervision', kind: 'http', description: "A site's assessments, marks and rectifications (Art.21), for its members and staff.", access: { table: 'read' } },
  {
    name: 'submit-rectification-report',
    kind: 'http',
    description: "The site's rectification report by its deadline (Art.21): text and validated files; resumes the waiting site-rectification workflow.",
    access: { table: 'readwrite', workflows: { sendTaskResult: ['site-rectification'] } },
  },
];

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/sites/{siteId}/supervision', fn: 'get-site-supervision', auth: 'jwt' },
  { method: 'PUT', path: '/v1/sites/{siteId}/rectifications/{rectificationId}/report', fn: 'submit-rectification-report', auth: 'jwt' },
];

import type { FunctionSpec, RouteSpec } from './types.ts';

/**
 * The site's duties on record (Art.15–16): staff training and periodic work
 * summaries, recorded by the site's members and read by the organisation.
 */
const http = (name: string, description: string, table: 'read' | 'readwrite'): FunctionSpec => ({ name, kind: 'http', description, access: { table }, timeoutSeconds: 10 });

export const functions: readonly FunctionSpec[] = [
  http('record-training', "Records a staff training of the caller's site (Art.15), audited on the site timeline.", 'readwrite'),
  http('list-trainings', "Lists a site's staff training records (the site's members, reviewers, admins).", 'read'),
  http('submit-work-summary', "Submits a periodic work summary of the caller's site (Art.16), audited on the site timeline.", 'readwrite'),
  http('list-work-summaries', "Lists a site's work summaries (the site's members, reviewers, admins).", 'read'),
];

export const routes: readonly RouteSpec[] = [
  { method: 'POST', path: '/v1/sites/{siteId}/trainings', fn: 'record-training', auth: 'jwt' },
  { method: 'GET', path: '/v1/sites/{siteId}/trainings', fn: 'list-trainings', auth: 'jwt' },
  { method: 'POST', path: '/v1/sites/{siteId}/work-summaries', fn: 'submit-work-summary', auth: 'jwt' },
  { method: 'GET', path: '/v1/sites/{siteId}/work-summaries', fn: 'list-work-summaries', auth: 'jwt' },
];

import type { FunctionSpec, RouteSpec } from './types.ts';

/** Sites (Art.5): the accredited exam sites, read by their college and by the organisation. */
export const functions: readonly FunctionSpec[] = [
  { name: 'list-sites', kind: 'http', description: "Lists exam sites: the caller institution's, or a staff search by province, city, status, name and milestone.", access: { table: 'read' } },
  { name: 'get-site', kind: 'http', description: 'Reads one exam site with its certificate number and inactivity deadline.', access: { table: 'read' } },
  { name: 'get-site-timeline', kind: 'http', description: "A site's timeline: every change with who, when, article and reason (staff and the site's members).", access: { table: 'read' } },
];

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/sites', fn: 'list-sites', auth: 'jwt' },
  { method: 'GET', path: '/v1/sites/{siteId}', fn: 'get-site', auth: 'jwt' },
  { method: 'GET', path: '/v1/sites/{siteId}/timeline', fn: 'get-site-timeline', auth: 'jwt' },
];

import type { FunctionSpec, RouteSpec } from './types.ts';

/**
 * The public register of exam sites (考核站点名录) and the Art.8 coverage
 * report: read without signing in, no personal data, cacheable.
 */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'list-register-sites',
    kind: 'http',
    description: 'Public register: ACTIVE exam sites by province and city with certificate number and accredited capacity (no sign-in, no personal data).',
    access: { table: 'read' },
    timeoutSeconds: 10,
  },
  {
    name: 'get-register-coverage',
    kind: 'http',
    description: 'Public Art.8 coverage: prefecture-level cities with pilot colleges, with and without an ACTIVE site (no sign-in, counts only).',
    access: { table: 'read' },
    timeoutSeconds: 10,
  },
];

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/register/sites', fn: 'list-register-sites', auth: 'none' },
  { method: 'GET', path: '/v1/register/coverage', fn: 'get-register-coverage', auth: 'none' },
];

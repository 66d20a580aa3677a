import type { FunctionSpec, RouteSpec } from './types.ts';

/**
 * The organisation's reports and exports (admins only): from index queries
 * and bounded partitions; the reports keep one snapshot item. Exports are built in memory under
 * the 6 MB Lambda answer limit, hence the memory.
 */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'get-reports',
    kind: 'http',
    description: 'Reports for the organisation: Art.8 coverage by city, applications over time, review times, overdue tasks, site health, campaign progress.',
    // Reads the table; writes only its snapshot item (`REPORTS#…`, through dynamodb:LeadingKeys).
    access: { table: 'read', reportSnapshot: true },
    timeoutSeconds: 29,
    memoryMb: 512,
  },
  {
    name: 'export-report',
    kind: 'http',
    description: "Exports as CSV or Excel: the register, the coverage report, a campaign's results, a site's or an application's audit trail.",
    access: { table: 'read' },
    timeoutSeconds: 29,
    memoryMb: 1024,
  },
];

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/admin/reports', fn: 'get-reports', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/exports/register', fn: 'export-report', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/exports/coverage', fn: 'export-report', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/exports/campaigns/{campaignId}', fn: 'export-report', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/exports/sites/{siteId}/audit', fn: 'export-report', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/exports/applications/{applicationId}/audit', fn: 'export-report', auth: 'jwt' },
];

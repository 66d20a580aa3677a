import type { FunctionSpec, RouteSpec } from './types.ts';

/**
 * Registry and applications API: staff directory, memberships, the
 * pilot-college register (Art.3(2)), invitations, applications (drafts,
 * lists, detail with timeline, Art.4), the admin dashboard (Art.8 coverage)
 * and the OpenAPI document. One function per route; `submit` lives in the
 * accreditation area.
 */
const http = (name: string, description: string, table: 'read' | 'readwrite' | undefined, extra: Partial<FunctionSpec['access']> = {}): FunctionSpec => ({
  name,
  kind: 'http',
  description,
  access: { ...(table ? { table } : {}), ...extra },
  timeoutSeconds: 10,
});

export const functions: readonly FunctionSpec[] = [
  http('get-me', 'Who the caller is: groups, the institution of the membership, the staff entry.', 'read'),
  http('list-staff', 'Lists the staff directory (admin).', 'read'),
  http('put-staff', 'Creates or updates a reviewer or admin in the staff directory (admin).', 'readwrite'),
  http('list-pilot-colleges', 'Lists the pilot-college register, by province (admin).', 'read'),
  http('put-pilot-college', 'Creates or updates a pilot-register entry, audited (admin, Art.3(2)).', 'readwrite'),
  http('deactivate-pilot-college', 'Marks a pilot-register entry inactive, audited (admin, Art.3(2)).', 'readwrite'),
  {
    ...http('import-pilot-colleges', 'Imports up to 1,000 register entries from JSON or CSV, all or nothing per batch of 25 (admin).', 'readwrite'),
    timeoutSeconds: 30,
  },
  http('create-invitation', 'Invites a college site manager by e-mail with a single-use code (admin).', 'readwrite', { mailQueue: true }),
  http('list-invitations', 'Lists the invitations sent, newest first, each pending, accepted or expired (admin).', 'read'),
  http('accept-invitation', 'Accepts an invitation: creates the membership of the signed-in user (verified e-mail = invited address; never staff).', 'readwrite', {
    userPool: ['read-user'],
  }),
  http('create-application', 'Opens a draft application for the caller institution (one open application at a time).', 'readwrite'),
  http('save-application-form', 'Saves the draft form under an optimistic lock and returns the live pre-check.', 'readwrite'),
  http('list-applications', 'Lists applications: the caller institution, or by status for reviewers and admins.', 'read'),
  http('get-application', 'An application with its screening result, decisions and timeline (Art.4).', 'read'),
  http('get-application-audit', 'The audit trail of an application (reviewers, admins).', 'read'),
  http('get-dashboard', 'Admin dashboard: applications by status and province, overdue tasks, active sites, Art.8 coverage.', 'read'),
  http('get-openapi', 'The OpenAPI 3.1 document of every catalogued route.', undefined),
];

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/openapi.json', fn: 'get-openapi', auth: 'none' },
  { method: 'GET', path: '/v1/me', fn: 'get-me', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/staff', fn: 'list-staff', auth: 'jwt' },
  { method: 'PUT', path: '/v1/admin/staff/{sub}', fn: 'put-staff', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/pilot-colleges', fn: 'list-pilot-colleges', auth: 'jwt' },
  { method: 'POST', path: '/v1/admin/pilot-colleges/import', fn: 'import-pilot-colleges', auth: 'jwt' },
  { method: 'PUT', path: '/v1/admin/pilot-colleges/{creditCode}', fn: 'put-pilot-college', auth: 'jwt' },
  { method: 'DELETE', path: '/v1/admin/pilot-colleges/{creditCode}', fn: 'deactivate-pilot-college', auth: 'jwt' },
  { method: 'POST', path: '/v1/admin/invitations', fn: 'create-invitation', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/invitations', fn: 'list-invitations', auth: 'jwt' },
  { method: 'POST', path: '/v1/invitations/accept', fn: 'accept-invitation', auth: 'jwt' },
  { method: 'POST', path: '/v1/applications', fn: 'create-application', auth: 'jwt' },
  { method: 'GET', path: '/v1/applications', fn: 'list-applications', auth: 'jwt' },
  { method: 'GET', path: '/v1/applications/{applicationId}', fn: 'get-application', auth: 'jwt' },
  { method: 'PUT', path: '/v1/applications/{applicationId}/form', fn: 'save-application-form', auth: 'jwt' },
  { method: 'GET', path: '/v1/applications/{applicationId}/audit', fn: 'get-application-audit', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/dashboard', fn: 'get-dashboard', auth: 'jwt' },
];

import type { FunctionSpec, RouteSpec } from './types.ts';

/**
 * The site's working life (Art.13–14, Art.23(1)): exam sessions, and the
 * two-year timer (one EventBridge Scheduler schedule per site, the
 * `site-milestone` workflow per fire, a daily reconciliation).
 */
export const functions: readonly FunctionSpec[] = [
  { name: 'schedule-session', kind: 'http', description: 'Schedules an exam session of an ACTIVE site in its accredited rooms (Art.9(2), Art.13).', access: { table: 'readwrite' } },
  { name: 'list-sessions', kind: 'http', description: "Lists a site's exam sessions (its members and staff).", access: { table: 'read' } },
  { name: 'get-session', kind: 'http', description: 'Reads one exam session with its candidates, ID numbers masked.', access: { table: 'read' } },
  { name: 'cancel-session', kind: 'http', description: 'Cancels a scheduled exam session.', access: { table: 'readwrite' } },
  {
    name: 'register-candidates',
    kind: 'http',
    description: 'Registers candidates (form or CSV): ID number checked and kept as a keyed hash and a masked form, once per session, eligibility rule applied (Art.14).',
    access: { table: 'readwrite', candidateIdHash: true },
    timeoutSeconds: 29,
  },
  {
    name: 'record-session-held',
    kind: 'http',
    description: 'Records a session as held (attendance, violations, incidents) and re-arms the two-year timer in the same transaction (Art.14, Art.23(1)).',
    access: { table: 'readwrite', scheduler: true },
  },
  {
    name: 'site-milestone',
    kind: 'task',
    description: "Steps of the site-milestone workflow: classify a timer fire, warn the site, re-arm its schedule, hand it to revocation (Art.23(1)).",
    access: { table: 'readwrite', scheduler: true, mailQueue: true, workflows: { start: ['site-revocation'] } },
  },
  {
    name: 'reconcile-site-timers',
    kind: 'schedule',
    description: "Daily: pages through the sites' milestone index, compares each site with its schedule, repairs drift and reports it.",
    access: { table: 'readwrite', scheduler: true },
    timeoutSeconds: 900,
    memoryMb: 512,
  },
];

const SESSIONS = '/v1/sites/{siteId}/sessions';

export const routes: readonly RouteSpec[] = [
  { method: 'POST', path: SESSIONS, fn: 'schedule-session', auth: 'jwt' },
  { method: 'GET', path: SESSIONS, fn: 'list-sessions', auth: 'jwt' },
  { method: 'GET', path: `${SESSIONS}/{sessionId}`, fn: 'get-session', auth: 'jwt' },
  { method: 'POST', path: `${SESSIONS}/{sessionId}/cancel`, fn: 'cancel-session', auth: 'jwt' },
  { method: 'POST', path: `${SESSIONS}/{sessionId}/candidates`, fn: 'register-candidates', auth: 'jwt' },
  { method: 'POST', path: `${SESSIONS}/{sessionId}/held`, fn: 'record-session-held', auth: 'jwt' },
];

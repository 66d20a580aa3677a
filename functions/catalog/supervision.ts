import type { FunctionSpec, RouteSpec } from './types.ts';

/**
 * Supervision (Art.19–21): evaluation campaigns. The campaign workflow
 * (`workflows/evaluation-campaign/`) selects the sites, notifies each once,
 * reminds before the deadline and records a missed deadline as a failure.
 */
export const functions: readonly FunctionSpec[] = [
  { name: 'open-campaign', kind: 'http', description: 'Opens an evaluation campaign and starts its workflow (Art.19–20).', access: { table: 'readwrite', workflows: { start: ['evaluation-campaign'] } } },
  { name: 'list-campaigns', kind: 'http', description: 'Lists evaluation campaigns with their progress.', access: { table: 'read' } },
  { name: 'get-campaign', kind: 'http', description: "One campaign's progress and its sites' evaluations.", access: { table: 'read' } },
  { name: 'list-site-evaluations', kind: 'http', description: "A site's evaluations.", access: { table: 'read' } },
  { name: 'submit-evaluation-report', kind: 'http', description: 'The site submits its evaluation report and work plan by the deadline (Art.20).', access: { table: 'readwrite' } },
  { name: 'preview-campaign', kind: 'http', description: 'Counts the sites a campaign selection covers now (index queries only).', access: { table: 'read' } },
  { name: 'extend-campaign-deadline', kind: 'http', description: "Extends an open campaign's deadline for all or listed sites (audited, Art.20).", access: { table: 'readwrite' } },
  { name: 'remind-campaign', kind: 'http', description: 'Starts a round of reminders to the sites that have not submitted.', access: { table: 'readwrite', workflows: { start: ['evaluation-campaign'] } } },
  { name: 'campaign-results', kind: 'http', description: "A campaign's evaluations and outcomes as CSV.", access: { table: 'read' } },
  { name: 'get-evaluation-report', kind: 'http', description: "A site's evaluation with its report prefilled from its records (Art.20).", access: { table: 'read' } },
  {
    name: 'evaluation-campaign-step',
    kind: 'task',
    description: 'Steps of the evaluation-campaign workflow: select the sites, notify, remind, record missed deadlines (Art.19–20).',
    access: { table: 'readwrite', mailQueue: true, workflows: { start: ['site-assessment'] } },
    timeoutSeconds: 900,
    memoryMb: 512,
  },
];

export const routes: readonly RouteSpec[] = [
  { method: 'POST', path: '/v1/admin/campaigns', fn: 'open-campaign', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/campaigns', fn: 'list-campaigns', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/campaigns/{campaignId}', fn: 'get-campaign', auth: 'jwt' },
  { method: 'POST', path: '/v1/admin/campaign-previews', fn: 'preview-campaign', auth: 'jwt' },
  { method: 'POST', path: '/v1/admin/campaigns/{campaignId}/deadline', fn: 'extend-campaign-deadline', auth: 'jwt' },
  { method: 'POST', path: '/v1/admin/campaigns/{campaignId}/reminders', fn: 'remind-campaign', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/campaigns/{campaignId}/results', fn: 'campaign-results', auth: 'jwt' },
  { method: 'GET', path: '/v1/sites/{siteId}/evaluations', fn: 'list-site-evaluations', auth: 'jwt' },
  { method: 'GET', path: '/v1/sites/{siteId}/evaluations/{campaignId}/report', fn: 'get-evaluation-report', auth: 'jwt' },
  { method: 'PUT', path: '/v1/sites/{siteId}/evaluations/{campaignId}/report', fn: 'submit-evaluation-report', auth: 'jwt' },
];

import type { FunctionSpec, RouteSpec } from './types.ts';

/** Accreditation (Art.3-11): applications, the accreditation workflow, decisions from e-mail. */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'screen-application',
    kind: 'task',
    description: 'Workflow step ScreenApplication: SUBMITTED -> SCREENING and machine screening (Art.3, Art.9-11) stored with the application.',
    access: { table: 'readwrite' },
    timeoutSeconds: 30,
  },
  {
    name: 'record-outcome',
    kind: 'task',
    description: 'Workflow outcome steps: refuse (Art.3(2)), return for correction, close (policy), reject; audit note on unexpected errors; tags an ended application\'s evidence for expiry.',
    access: { table: 'readwrite', mailQueue: true, evidence: ['retain'] },
    timeoutSeconds: 30,
  },
  {
    name: 'open-decision-task',
    kind: 'task',
    description: 'Opens a decision task for a waiting workflow state: stores the task token server-side, mails a link with a random decision id, starts the reminder.',
    access: { table: 'readwrite', mailQueue: true, workflows: { start: ['decision-reminder'] } },
    timeoutSeconds: 30,
  },
  {
    name: 'escalate-decision',
    kind: 'task',
    description: 'Step EscalateDecision of the decision-task workflow: the timed-out task expires, the admins are told, the escalation is audited; counts the timeouts of this decision task.',
    access: { table: 'readwrite', mailQueue: true },
    timeoutSeconds: 30,
  },
  {
    name: 'remind-decision',
    kind: 'task',
    description: 'Reminds the assignee of a decision still pending before its deadline.',
    access: { table: 'read', mailQueue: true },
    timeoutSeconds: 15,
  },
  {
    name: 'activate-site',
    kind: 'task',
    description: 'Final approval: DECISION -> APPROVED and the ACTIVE site record in one transaction (Art.4, Art.5); arms the two-year timer (Art.23(1)).',
    access: { table: 'readwrite', mailQueue: true, scheduler: true },
    timeoutSeconds: 30,
  },
  {
    name: 'get-decision',
    kind: 'http',
    description: 'What a decision task asks (assignee or admin); changes nothing.',
    access: { table: 'read' },
  },
  {
    name: 'decide',
    kind: 'http',
    description: 'The assigned reviewer decides (single use, four-eyes on the final decision); resumes the waiting workflow.',
    access: { table: 'readwrite', workflows: { sendTaskResult: ['decision-task'] } },
  },
  {
    name: 'list-tasks',
    kind: 'http',
    description: "The caller's pending decision tasks with deadlines.",
    access: { table: 'read' },
  },
  {
    name: 'reassign-decision',
    kind: 'http',
    description: 'Admin moves a pending decision task to another reviewer (new decision id).',
    access: { table: 'readwrite', mailQueue: true, workflows: { start: ['decision-reminder'] } },
  },
  {
    name: 'submit-application',
    kind: 'http',
    description: 'Applicant submits (DRAFT) or resubmits (RETURNED) an application; starts or resumes the accreditation workflow.',
    access: { table: 'readwrite', workflows: { start: ['accreditation'], sendTaskResult: ['accreditation'] } },
  },
  {
    name: 'list-stalled-applications',
    kind: 'http',
    description: 'Admins list stalled accreditations (a review overdue after its escalations) and failed ones, with stage, since and why.',
    access: { table: 'read' },
  },
  {
    name: 'resume-stalled-application',
    kind: 'http',
    description: 'Admin resumes a stalled accreditation from its stage: a new execution (one per stall, by name) reopens the decision.',
    access: { table: 'readwrite', workflows: { start: ['accreditation'] } },
  },
  {
    name: 'close-stalled-application',
    kind: 'http',
    description: 'Admin closes a stalled or failed accreditation (policy): CLOSED, audited, evidence tagged for expiry, the applicant mailed.',
    access: { table: 'readwrite', mailQueue: true, evidence: ['retain'] },
  },
];

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/v1/decisions/{decisionId}', fn: 'get-decision', auth: 'jwt' },
  { method: 'POST', path: '/v1/decisions/{decisionId}', fn: 'decide', auth: 'jwt' },
  { method: 'POST', path: '/v1/decisions/{decisionId}/reassign', fn: 'reassign-decision', auth: 'jwt' },
  { method: 'GET', path: '/v1/tasks', fn: 'list-tasks', auth: 'jwt' },
  { method: 'POST', path: '/v1/applications/{applicationId}/submit', fn: 'submit-application', auth: 'jwt' },
  { method: 'GET', path: '/v1/admin/stalled-applications', fn: 'list-stalled-applications', auth: 'jwt' },
  { method: 'POST', path: '/v1/admin/applications/{applicationId}/resume', fn: 'resume-stalled-application', auth: 'jwt' },
  { method: 'POST', path: '/v1/admin/applications/{applicationId}/close', fn: 'close-stalled-application', auth: 'jwt' },
];

import type { FunctionSpec, RouteSpec } from './types.ts';

/** Evidence (Art.3): presigned uploads, validation by content, audited downloads. */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'request-evidence-upload',
    kind: 'http',
    description: 'Grants a presigned POST for one evidence file (exact key, size range, content type, short expiry) and records the pending item.',
    access: { table: 'readwrite', evidence: ['write'] },
  },
  {
    name: 'list-evidence',
    kind: 'http',
    description: 'Lists the evidence of an application by kind with its status and what is still needed.',
    access: { table: 'read' },
  },
  {
    name: 'download-evidence',
    kind: 'http',
    description: 'Hands out an audited, short-lived presigned GET of the validated version of one evidence file, as an attachment.',
    access: { table: 'readwrite', evidence: ['read'] },
  },
  {
    name: 'withdraw-evidence',
    kind: 'http',
    description: 'Withdraws an evidence file while the application may still change.',
    access: { table: 'readwrite' },
  },
  {
    name: 'validate-evidence',
    kind: 'queue',
    description: 'Validates each uploaded evidence object version by its content (magic bytes, size, PDF structure, image size, SHA-256).',
    access: { table: 'readwrite', evidence: ['read', 'quarantine'], events: true },
    memoryMb: 512,
    timeoutSeconds: 60,
  },
];

export const routes: readonly RouteSpec[] = [
  { method: 'POST', path: '/v1/applications/{applicationId}/evidence', fn: 'request-evidence-upload', auth: 'jwt' },
  { method: 'GET', path: '/v1/applications/{applicationId}/evidence', fn: 'list-evidence', auth: 'jwt' },
  { method: 'GET', path: '/v1/applications/{applicationId}/evidence/{itemId}/download', fn: 'download-evidence', auth: 'jwt' },
  { method: 'DELETE', path: '/v1/applications/{applicationId}/evidence/{itemId}', fn: 'withdraw-evidence', auth: 'jwt' },
];

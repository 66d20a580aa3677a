import type { FunctionSpec, RouteSpec } from '../catalog.ts';

/** Evidence (Art.3): presigned uploads, validation by content, audited downloads. */
export const functions: readonly FunctionSpec[] = [
  {
    name: 'validate-evidence',
    kind: 'queue',
    description: 'Validates each uploaded evidence object version by its content (magic bytes, size, PDF structure, image size, SHA-256).',
    access: { table: 'readwrite', evidence: ['read', 'quarantine'], events: true },
    memoryMb: 512,
    timeoutSeconds: 60,
  },
];

export const routes: readonly RouteSpec[] = [];

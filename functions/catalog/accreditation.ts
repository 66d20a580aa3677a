import type { FunctionSpec, RouteSpec } from '../catalog.ts';

/** Accreditation (Art.3-11): applications, the accreditation workflow, decisions from e-mail. */
export const functions: readonly FunctionSpec[] = [];

export const routes: readonly RouteSpec[] = [];

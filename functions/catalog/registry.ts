import type { FunctionSpec, RouteSpec } from '../catalog.ts';

/** Registry: pilot-college register, invitations, memberships. */
export const functions: readonly FunctionSpec[] = [];

export const routes: readonly RouteSpec[] = [];

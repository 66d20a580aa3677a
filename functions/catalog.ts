import * as platform from './catalog/platform.ts';
import * as evidence from './catalog/evidence.ts';
import * as accreditation from './catalog/accreditation.ts';
import * as registry from './catalog/registry.ts';
import * as sites from './catalog/sites.ts';
import * as accounts from './catalog/accounts.ts';
import * as register from './catalog/register.ts';
import * as duties from './catalog/duties.ts';
import * as supervision from './catalog/supervision.ts';
import * as siteExit from './catalog/site-exit.ts';
import * as sessions from './catalog/sessions.ts';
import * as reports from './catalog/reports.ts';
import * as rectification from './catalog/rectification.ts';
import type { FunctionSpec, RouteSpec, DefaultRouteSpec } from './catalog/types.ts';

export type { DefaultRouteSpec, FunctionAccess, FunctionKind, FunctionSpec, HttpMethod, RouteSpec } from './catalog/types.ts';

/**
 * The catalogue of Lambda functions and HTTP routes: the one table read by
 * the CDK stack (functions, grants, API routes, ASL substitutions) and by the
 * local stack (the same handlers, the same routes). A function named
 * `screen-application` lives in `functions/handlers/screen-application.handler.ts`,
 * exports `handler`, and is referred to from ASL files as
 * `${ScreenApplicationFunctionArn}`.
 */

/** Every function, from the area files under `functions/catalog/`. */
export const functions: readonly FunctionSpec[] = [...platform.functions, ...evidence.functions, ...accreditation.functions, ...registry.functions, ...sites.functions, ...accounts.functions, ...register.functions, ...duties.functions, ...supervision.functions, ...siteExit.functions, ...sessions.functions, ...reports.functions, ...rectification.functions];

/** Every HTTP route, from the area files under `functions/catalog/`. */
export const routes: readonly RouteSpec[] = [...platform.routes, ...evidence.routes, ...accreditation.routes, ...registry.routes, ...sites.routes, ...accounts.routes, ...register.routes, ...duties.routes, ...supervision.routes, ...siteExit.routes, ...sessions.routes, ...reports.routes, ...rectification.routes];

/** Senders of the mail queue that run at once (the SQS event source's maximum concurrency, its floor): the CDK stack's and the local queue's. */
export const MAIL_MAX_CONCURRENCY = 2;

/** The catch-all route: unknown routes answer 404 ROUTE_NOT_FOUND in the one error shape. */
export const defaultRoute: DefaultRouteSpec = platform.defaultRoute;

/** `screen-application` → `ScreenApplication`. */
export function pascalName(name: string): string {
  return name
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** The ASL placeholder for a function's ARN. */
export function functionArnPlaceholder(name: string): string {
  return `${pascalName(name)}FunctionArn`;
}

/** The module path of a function's handler, relative to the repository root. */
export function handlerEntry(name: string): string {
  return `functions/handlers/${name}.handler.ts`;
}

import { accreditationApiSchemas } from './accreditation.schema.ts';
import { applicationsApiSchemas } from './applications.schema.ts';
import { registryApiSchemas } from './registry.schema.ts';
import { evidenceApiSchemas } from './evidence.schema.ts';
import { sitesApiSchemas } from './sites.schema.ts';
import { registerApiSchemas } from './register.schema.ts';
import { dutiesApiSchemas } from './duties.schema.ts';
import { supervisionApiSchemas } from './supervision.schema.ts';
import { siteExitApiSchemas } from './site-exit.schema.ts';
import { sessionsApiSchemas } from './sessions.schema.ts';
import { reportsApiSchemas } from './reports.schema.ts';
import { rectificationApiSchemas } from './rectification.schema.ts';
import type { ApiRouteSchemas } from './route-schemas.ts';

export type { ApiRouteSchemas };

/**
 * The request and response bodies of every HTTP route, by route key
 * (`"<METHOD> <path>"`, exactly as in `functions/catalog.ts`). The OpenAPI
 * document (`schemas/openapi.ts`) is generated from these and the catalogue;
 * each area adds its routes in its own `schemas/api/<area>.schema.ts` and
 * spreads them in below.
 */
export type RouteKey = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /${string}`;

export const apiSchemas: Readonly<Record<string, ApiRouteSchemas>> = Object.freeze({
  ...registryApiSchemas,
  ...applicationsApiSchemas,
  ...accreditationApiSchemas,
  ...evidenceApiSchemas,
  ...sitesApiSchemas,
  ...registerApiSchemas,
  ...dutiesApiSchemas,
  ...supervisionApiSchemas,
  ...siteExitApiSchemas,
  ...sessionsApiSchemas,
  ...reportsApiSchemas,
  ...rectificationApiSchemas,
});

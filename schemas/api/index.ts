import type { z } from 'zod/mini';
import { accreditationApiSchemas } from './accreditation.schema.ts';
import { applicationsApiSchemas } from './applications.schema.ts';
import { registryApiSchemas } from './registry.schema.ts';
import { evidenceApiSchemas } from './evidence.schema.ts';
import { sitesApiSchemas } from './sites.schema.ts';

/**
 * The request and response bodies of every HTTP route, by route key
 * (`"<METHOD> <path>"`, exactly as in `functions/catalog.ts`). The OpenAPI
 * document (`schemas/openapi.ts`) is generated from these and the catalogue;
 * each area adds its routes in its own `schemas/api/<area>.schema.ts` and
 * spreads them in below.
 */
export interface ApiRouteSchemas {
  readonly summary: string;
  readonly description?: string;
  /** Grouping in the document (`registry`, `applications`, …). */
  readonly tag?: string;
  /** JSON body. */
  readonly request?: z.ZodMiniType;
  /** Other accepted body media types, e.g. `text/csv`, with their schema. */
  readonly requestAlternatives?: Readonly<Record<string, z.ZodMiniType>>;
  /** Query-string parameters (an object schema of strings). */
  readonly query?: z.ZodMiniObject;
  /** Optional request headers by name, with a description. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly response?: z.ZodMiniType;
  /** Status of the success response; default 200. */
  readonly status?: number;
  /** Error statuses the route documents besides 400/401/403/500. */
  readonly errors?: readonly number[];
}

export type RouteKey = `${'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} /${string}`;

export const apiSchemas: Readonly<Record<string, ApiRouteSchemas>> = Object.freeze({
  ...registryApiSchemas,
  ...applicationsApiSchemas,
  ...accreditationApiSchemas,
  ...evidenceApiSchemas,
  ...sitesApiSchemas,
});

import * as z from 'zod/mini';
import type { ApiRouteSchemas } from './api/route-schemas.ts';

/** A route of the catalogue as the document needs it (`RouteSpec` in `functions/catalog/types.ts` has this shape). */
export interface OpenApiRoute {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly fn: string;
  readonly auth: 'jwt' | 'none';
}

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the route
 * catalogue (every route, all areas) and the zod schemas of its bodies.
 * OpenAPI 3.1 schema objects are JSON Schema 2020-12, which is what
 * `toJSONSchema` produces; request bodies are described as the client sends
 * them (`io: 'input'`: defaults optional).
 */
export type JsonObject = Record<string, unknown>;

/** The error body of every API error (functions/domain/errors.ts). */
export const errorBodySchema = z.object({
  code: z.string().check(z.regex(/^[A-Z][A-Z0-9_]*$/)),
  message: z.object({ zh: z.string(), en: z.string() }),
  article: z.optional(z.string()),
  details: z.optional(z.unknown()),
  requestId: z.optional(z.string()),
});

const ERROR_DESCRIPTIONS: Record<number, string> = {
  304: 'Not Modified: the If-None-Match ETag still matches (no body)',
  400: 'Invalid request (VALIDATION_FAILED with the issues)',
  401: 'Sign-in required',
  403: 'Not allowed for this role or without a membership',
  404: 'Not found (also for records of another institution)',
  409: 'Conflict (state, version, duplicate)',
  410: 'Expired',
  413: 'Too large to answer at once (narrow the request)',
  428: 'Version required (If-Match or body version)',
  500: 'Internal error',
};

/** A JSON Schema for a zod schema, without the `$schema` header (the document declares the dialect once). */
export function jsonSchemaOf(schema: z.ZodMiniType, io: 'input' | 'output' = 'input'): JsonObject {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonObject;
  delete out.$schema;
  return out;
}

function operationId(route: OpenApiRoute): string {
  const words = route.path
    .replace(/^\/v1\//, '')
    .split(/[/.{}-]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return `${route.method.toLowerCase()}${words.join('')}`;
}

function parametersOf(route: OpenApiRoute, spec: ApiRouteSchemas | undefined): JsonObject[] {
  const params: JsonObject[] = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (spec?.query) {
    const query = jsonSchemaOf(spec.query);
    const props = (query.properties ?? {}) as Record<string, JsonObject>;
    const required = new Set((query.required as string[] | undefined) ?? []);
    for (const [name, schema] of Object.entries(props)) params.push({ name, in: 'query', required: required.has(name), schema });
  }
  for (const [name, description] of Object.entries(spec?.headers ?? {})) {
    params.push({ name, in: 'header', required: false, description, schema: { type: 'string' } });
  }
  return params;
}

function operationOf(route: OpenApiRoute, spec: ApiRouteSchemas | undefined): JsonObject {
  const status = String(spec?.status ?? 200);
  const responses: JsonObject = {
    [status]: {
      description: spec?.summary ?? 'Success',
      ...(spec?.response ? { content: { 'application/json': { schema: jsonSchemaOf(spec.response, 'output') } } } : {}),
    },
  };
  for (const [code, other] of Object.entries(spec?.otherResponses ?? {})) {
    responses[code] = { description: other.description, content: { 'application/json': { schema: jsonSchemaOf(other.schema, 'output') } } };
  }
  const errorStatuses = new Set<number>([400, ...(route.auth === 'jwt' ? [401, 403] : []), ...(spec?.errors ?? []), 500]);
  for (const code of [...errorStatuses].sort()) {
    responses[String(code)] =
      code === 304
        ? { description: ERROR_DESCRIPTIONS[code] }
        : { description: ERROR_DESCRIPTIONS[code] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  const content: JsonObject = {};
  if (spec?.request) content['application/json'] = { schema: jsonSchemaOf(spec.request) };
  for (const [mediaType, schema] of Object.entries(spec?.requestAlternatives ?? {})) content[mediaType] = { schema: jsonSchemaOf(schema) };
  const parameters = parametersOf(route, spec);
  return {
    operationId: operationId(route),
    summary: spec?.summary ?? `${route.method} ${route.path}`,
    ...(spec?.description ? { description: spec.description } : {}),
    tags: [spec?.tag ?? route.path.split('/')[2] ?? 'api'],
    'x-function': route.fn,
    security: route.auth === 'jwt' ? [{ bearerAuth: [] }] : [],
    ...(parameters.length ? { parameters } : {}),
    ...(Object.keys(content).length ? { requestBody: { required: true, content } } : {}),
    responses,
  };
}

/**
 * Builds the document: one operation per catalogued route, bodies from
 * `schemas` by route key (`"GET /v1/me"`); a route without an entry is still
 * listed, with the error responses only.
 */
export function buildOpenApiDocument(
  routes: readonly OpenApiRoute[],
  schemas: Readonly<Record<string, ApiRouteSchemas>>,
  info: { version: string; serverUrl?: string } = { version: '0.1.0' },
): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operationOf(route, schemas[`${route.method} ${route.path}`]);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Exam-site lifecycle API / 考核站点管理平台接口',
      version: info.version,
      description:
        'Applications, evidence, reviews and decisions for exam sites of the 1+X Cross-border E-commerce Multi-platform Operation certificate. Errors carry a stable code, zh-CN and English messages and, where a rule comes from the regulation, its article.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token of the identity provider (Cognito or any OIDC issuer).' },
      },
      schemas: { Error: jsonSchemaOf(errorBodySchema, 'output') },
    },
  };
}

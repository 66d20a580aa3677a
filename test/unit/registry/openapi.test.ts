import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { routes } from '../../../functions/catalog.ts';
import type { HttpEvent } from '../../../functions/shared/http.ts';
import { handler as getOpenApi } from '../../../functions/handlers/get-openapi.handler.ts';
import { apiSchemas } from '../../../schemas/api/index.ts';
import { buildOpenApiDocument } from '../../../schemas/openapi.ts';
import { setRegistryEnv } from './helpers/http.ts';

setRegistryEnv();

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** Every `$ref` in a document. */
function refsOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsOf(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsOf(v, out);
    }
  }
  return out;
}

function resolve(doc: Json, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Json)[part] : undefined), doc);
}

async function fetchDocument(): Promise<{ statusCode: number; doc: Json; headers: Record<string, string> }> {
  // The public route: no authorizer context at all.
  const event = { version: '2.0', rawPath: '/v1/openapi.json', headers: {}, requestContext: { requestId: 'r-1', http: { method: 'GET' } } } as unknown as HttpEvent;
  const res = (await getOpenApi(event, { awsRequestId: 'l-1' } as Context)) as { statusCode: number; body: string; headers: Record<string, string> };
  return { statusCode: res.statusCode, doc: JSON.parse(res.body) as Json, headers: res.headers };
}

describe('openapi', () => {
  describe('GET /v1/openapi.json', () => {
    it('is served without a token', async () => {
      const { statusCode, doc } = await fetchDocument();
      expect(statusCode).toBe(200);
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    });

    it('lists every catalogued route of every area with its method', async () => {
      const { doc } = await fetchDocument();
      const paths = doc.paths as Record<string, Json>;
      for (const route of routes) {
        expect(paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
      }
      const operations = Object.values(paths).flatMap((item) => Object.keys(item).filter((k) => METHODS.includes(k)));
      expect(operations).toHaveLength(routes.length);
    });
  });

  describe('buildOpenApiDocument', () => {
    const doc = buildOpenApiDocument(routes, apiSchemas);
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const operations = Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

    it('has the 3.1 top-level structure: info, paths, components with the JWT bearer scheme and the error body', () => {
      expect(doc).toMatchObject({
        openapi: '3.1.0',
        info: { title: expect.any(String), version: expect.any(String) },
        jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
        components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      });
      const error = (doc.components as { schemas: { Error: { properties: Json; required: string[] } } }).schemas.Error;
      expect(Object.keys(error.properties)).toEqual(expect.arrayContaining(['code', 'message', 'article', 'details']));
      expect(error.required).toEqual(expect.arrayContaining(['code', 'message']));
      expect(error.properties.message).toMatchObject({ properties: { zh: { type: 'string' }, en: { type: 'string' } } });
    });

    it('gives every operation a unique operationId, a success response and the error body', () => {
      const ids = operations.map(({ op }) => op.operationId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const { path, method, op } of operations) {
        const responses = op.responses as Record<string, Json>;
        expect(Object.keys(responses).some((s) => /^2\d\d$/.test(s)), `${method} ${path}`).toBe(true);
        expect(responses['500']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
        expect(paths[path]).toBeDefined();
      }
    });

    it('declares every path parameter of every path', () => {
      for (const { path, op } of operations) {
        const declared = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => p.name);
        const inPath = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
        expect(declared.sort()).toEqual(inPath.sort());
      }
    });

    it('requires the bearer token except on public routes, and names only defined schemes', () => {
      const schemes = Object.keys((doc.components as { securitySchemes: Json }).securitySchemes);
      for (const route of routes) {
        const op = paths[route.path]![route.method.toLowerCase()]!;
        const security = op.security as Array<Record<string, unknown>>;
        if (route.auth === 'none') expect(security).toEqual([]);
        else expect(security.flatMap((s) => Object.keys(s)).every((name) => schemes.includes(name))).toBe(true);
        if (route.auth === 'jwt') expect(security).toEqual([{ bearerAuth: [] }]);
      }
    });

    it('resolves every $ref inside the document', () => {
      const refs = refsOf(doc);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(resolve(doc, ref), ref).toBeDefined();
    });

    it('describes request bodies from the zod schemas, CSV included for the register import', () => {
      const staff = paths['/v1/admin/staff/{sub}']!.put!.requestBody as { content: { 'application/json': { schema: { properties: { role: { enum: string[] } } } } } };
      expect(staff.content['application/json'].schema.properties.role.enum).toEqual(['reviewer', 'admin']);
      const importBody = paths['/v1/admin/pilot-colleges/import']!.post!.requestBody as { content: Json };
      expect(Object.keys(importBody.content)).toEqual(['application/json', 'text/csv']);
      const form = paths['/v1/applications/{applicationId}/form']!.put!;
      expect((form.parameters as Json[]).map((p) => p.name)).toContain('if-match');
    });

    it('documents the accredited rooms of a site with their capacity (Art.9(2)) and the major of a form by catalogue code (Art.9(1))', () => {
      type Schema = { properties: Record<string, { items: { properties: Record<string, { enum?: string[] }>; required: string[] } }> };
      const ok = (paths['/v1/sites/{siteId}']!.get!.responses as Record<string, { content: { 'application/json': { schema: Schema } } }>)['200']!;
      const rooms = ok.content['application/json'].schema.properties.accreditedRooms!.items;
      expect(rooms.required.sort()).toEqual(['capacity', 'name', 'seatingArrangement', 'seats']);
      expect(rooms.properties.seatingArrangement!.enum).toEqual(['every-seat', 'alternate-seat']);
      expect(JSON.stringify(paths['/v1/applications/{applicationId}/form']!.put!.requestBody)).toContain('"530702"');
    });

    it("gives the decision body's outcome as an enum per decision kind, one alternative per kind a reviewer or an admin decides (Art.22 withdrawal, Art.23 revocation, Art.21 supervision)", () => {
      const body = paths['/v1/decisions/{decisionId}']!.post!.requestBody as { content: { 'application/json': { schema: { anyOf: Json[] } } } };
      const byKind = Object.fromEntries(
        body.content['application/json'].schema.anyOf.map((variant) => [variant.title, (variant.properties as Record<string, { enum?: string[] }>).outcome?.enum]),
      );
      expect(byKind).toEqual({
        'material-review': ['approve-for-visit', 'return', 'reject'],
        'site-visit': ['approve', 'reject'],
        'final-decision': ['approve', 'reject'],
        withdrawal: ['agree', 'decline'],
        revocation: ['revoke', 'dismiss'],
        // Art.21: the assessment of an evaluation report, the second person's confirmation, the rectification review.
        assessment: ['pass', 'warning', 'rectify', 'suspend-and-rectify', 'propose-revocation'],
        'sanction-confirmation': ['confirm', 'reject'],
        'rectification-review': ['pass', 'fail'],
      });
      for (const variant of body.content['application/json'].schema.anyOf) expect(variant.required).toEqual(['outcome', 'reason']);
      const material = body.content['application/json'].schema.anyOf.find((v) => v.title === 'material-review')!;
      expect(Object.keys(material.properties as Json)).toContain('visitorSub');
    });

    it('documents the accredited rooms of a site with their capacity (Art.9(2)) and the major of a form by catalogue code (Art.9(1))', () => {
      type Schema = { properties: Record<string, { items: { properties: Record<string, { enum?: string[] }>; required: string[] } }> };
      const ok = (paths['/v1/sites/{siteId}']!.get!.responses as Record<string, { content: { 'application/json': { schema: Schema } } }>)['200']!;
      const rooms = ok.content['application/json'].schema.properties.accreditedRooms!.items;
      expect(rooms.required.sort()).toEqual(['capacity', 'name', 'seatingArrangement', 'seats']);
      expect(rooms.properties.seatingArrangement!.enum).toEqual(['every-seat', 'alternate-seat']);
      expect(JSON.stringify(paths['/v1/applications/{applicationId}/form']!.put!.requestBody)).toContain('"530702"');
    });

    it('still lists a route no area has described yet', () => {
      const extra = buildOpenApiDocument([{ method: 'GET', path: '/v1/undocumented/{x}', fn: 'nothing', auth: 'jwt' }], {});
      expect((extra.paths as Record<string, Json>)['/v1/undocumented/{x}']).toHaveProperty('get');
    });
  });
});

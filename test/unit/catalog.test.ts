import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functions, handlerEntry, routes } from '../../functions/catalog.ts';

const root = join(import.meta.dirname, '..', '..');

describe('function catalogue', () => {
  it('has a handler file for every function and a function for every route', () => {
    for (const fn of functions) expect(existsSync(join(root, handlerEntry(fn.name))), fn.name).toBe(true);
    const names = new Set(functions.map((f) => f.name));
    for (const route of routes) expect(names.has(route.fn), `${route.method} ${route.path}`).toBe(true);
  });

  it('names each function and route once', () => {
    const fnNames = functions.map((f) => f.name);
    expect(new Set(fnNames).size).toBe(fnNames.length);
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('uses one parameter name per path position, so the routes also fit API Gateway resource trees', () => {
    const seen = new Map<string, string>();
    for (const route of routes) {
      const segments = route.path.split('/');
      segments.forEach((segment, i) => {
        if (!segment.startsWith('{')) return;
        const prefix = segments.slice(0, i).join('/');
        const previous = seen.get(prefix);
        expect(previous === undefined || previous === segment, `${route.path}: ${segment} vs ${previous}`).toBe(true);
        seen.set(prefix, segment);
      });
    }
  });

  it('keeps every route under /v1 and signs in everything but the OpenAPI document and the public register (GET only)', () => {
    for (const route of routes) {
      expect(route.path.startsWith('/v1/')).toBe(true);
      if (route.auth === 'none') {
        expect(route.method).toBe('GET');
        expect(route.path === '/v1/openapi.json' || route.path.startsWith('/v1/register/'), route.path).toBe(true);
      }
    }
    expect(routes.filter((r) => r.auth === 'none').map((r) => r.path).sort()).toEqual(['/v1/openapi.json', '/v1/register/coverage', '/v1/register/sites']);
  });
});

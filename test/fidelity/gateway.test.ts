import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../local/clock.ts';
import { LocalGateway } from '../../local/gateway/local-gateway.ts';
import { LocalIssuer } from '../../local/oidc/local-issuer.ts';
import { installTimeSource } from '../../functions/shared/clock.ts';
import { parseGroupsClaim } from '../../functions/shared/identity.ts';
import { type HttpEvent, principalOf } from '../../functions/shared/http.ts';
import { defaultRoute, type RouteSpec } from '../../functions/catalog.ts';
import { handler as notFound } from '../../functions/handlers/not-found.handler.ts';
import { errorBodySchema } from '../../schemas/openapi.ts';
import type { Context } from 'aws-lambda';

const routes: RouteSpec[] = [
  { method: 'GET', path: '/v1/applications/{applicationId}', fn: 'get-application', auth: 'jwt' },
  { method: 'GET', path: '/v1/applications/mine', fn: 'list-mine', auth: 'jwt' },
  { method: 'POST', path: '/v1/decisions/{decisionId}', fn: 'post-decision', auth: 'jwt' },
  { method: 'GET', path: '/v1/openapi.json', fn: 'openapi', auth: 'none' },
];

describe('local API gateway', () => {
  const clock = new VirtualClock();
  const calls: Array<{ fn: string; event: HttpEvent }> = [];
  let issuer: LocalIssuer;
  let gateway: LocalGateway;
  let base: string;

  beforeAll(async () => {
    installTimeSource(clock);
    issuer = await new LocalIssuer('http://127.0.0.1/_local/oidc', 'exam-site-portal').init();
    gateway = await new LocalGateway({
      routes,
      issuer,
      corsOrigins: ['http://portal.test'],
      control: {},
      invoke: async (fn, event) => {
        calls.push({ fn, event: event as HttpEvent });
        if (fn === 'openapi') return { openapi: '3.1.0' };
        return { statusCode: 201, headers: { 'X-Thing': 'yes' }, body: JSON.stringify({ ok: true }) };
      },
    }).start(0);
    base = `http://127.0.0.1:${gateway.port}`;
  });
  afterAll(async () => {
    await gateway.stop();
    installTimeSource(undefined);
    clock.dispose();
  });
  beforeEach(() => {
    calls.length = 0;
  });

  describe('JWT authorizer', () => {
    it('refuses a request without a bearer token with 401 and never invokes the function', async () => {
      const res = await fetch(`${base}/v1/applications/A1`);
      expect(res.status).toBe(401);
      expect(calls).toHaveLength(0);
    });

    it('passes the claims as strings, arrays as "[a b]", as the HTTP API JWT authorizer does', async () => {
      const token = await issuer.issueToken('demo-applicant');
      const res = await fetch(`${base}/v1/applications/A1?x=1&x=2`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(201);
      expect(res.headers.get('x-thing')).toBe('yes');
      const event = calls[0]!.event;
      const claims = event.requestContext.authorizer.jwt.claims;
      expect(claims['cognito:groups']).toBe('[applicant]');
      expect(typeof claims.exp).toBe('string');
      expect(claims.sub).toBe('demo-applicant');
      expect(event.pathParameters).toEqual({ applicationId: 'A1' });
      expect(event.queryStringParameters).toEqual({ x: '1,2' });
      expect(event.routeKey).toBe('GET /v1/applications/{applicationId}');
      expect(principalOf(event).groups).toEqual(['applicant']);
    });

    it('refuses a token once it has expired on the virtual clock', async () => {
      const token = await issuer.issueToken('demo-reviewer');
      expect((await fetch(`${base}/v1/applications/A1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(201);
      clock.advance(3601 * 1000);
      expect((await fetch(`${base}/v1/applications/A1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    });

    it('refuses a token signed by another key', async () => {
      const other = await new LocalIssuer('http://127.0.0.1/_local/oidc', 'exam-site-portal').init();
      const forged = await other.issueToken('demo-admin');
      expect((await fetch(`${base}/v1/applications/A1`, { headers: { authorization: `Bearer ${forged}` } })).status).toBe(401);
    });

    it('lets public routes through without a token and maps a plain object result to 200 JSON', async () => {
      const res = await fetch(`${base}/v1/openapi.json`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ openapi: '3.1.0' });
    });
  });

  describe('routing', () => {
    it('prefers the literal path over a parameter, as API Gateway does', async () => {
      const token = await issuer.issueToken('demo-applicant');
      await fetch(`${base}/v1/applications/mine`, { headers: { authorization: `Bearer ${token}` } });
      expect(calls[0]!.fn).toBe('list-mine');
    });

    it('answers 404 for an unknown route and a method the route does not have', async () => {
      expect((await fetch(`${base}/v1/nothing`)).status).toBe(404);
      expect((await fetch(`${base}/v1/openapi.json`, { method: 'DELETE' })).status).toBe(404);
    });

    it('answers the CORS preflight for the portal origin only', async () => {
      const ok = await fetch(`${base}/v1/decisions/D1`, { method: 'OPTIONS', headers: { origin: 'http://portal.test' } });
      expect(ok.headers.get('access-control-allow-origin')).toBe('http://portal.test');
      const other = await fetch(`${base}/v1/decisions/D1`, { method: 'OPTIONS', headers: { origin: 'http://evil.test' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('OIDC authorization code with PKCE', () => {
    it('issues tokens for a code once, only with the right verifier', async () => {
      const { createHash, randomBytes } = await import('node:crypto');
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const form = new URLSearchParams({
        sub: 'demo-reviewer',
        client_id: 'exam-site-portal',
        redirect_uri: 'http://portal.test/callback',
        state: 's1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      const auth = await fetch(`${base}/_local/oidc/authorize`, { method: 'POST', body: form, redirect: 'manual' });
      expect(auth.status).toBe(302);
      const location = new URL(auth.headers.get('location')!);
      expect(location.origin).toBe('http://portal.test');
      expect(location.searchParams.get('state')).toBe('s1');
      const code = location.searchParams.get('code')!;
      const exchange = (v: string) =>
        fetch(`${base}/_local/oidc/token`, {
          method: 'POST',
          body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: v, client_id: 'exam-site-portal', redirect_uri: 'http://portal.test/callback' }),
        });
      expect((await exchange('wrong-verifier-wrong-verifier-wrong-verifier')).status).toBe(400);
      // The failed attempt consumed the code, as a one-time code must be.
      expect((await exchange(verifier)).status).toBe(400);
    });

    it('refuses a redirect to an origin that is not the portal', async () => {
      const form = new URLSearchParams({ sub: 'demo-reviewer', client_id: 'exam-site-portal', redirect_uri: 'http://evil.test/cb', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
      const res = await fetch(`${base}/_local/oidc/authorize`, { method: 'POST', body: form, redirect: 'manual' });
      expect(res.status).toBe(400);
    });
  });
});

describe('local API gateway: unknown routes ($default)', () => {
  const clock = new VirtualClock();
  let gateway: LocalGateway;
  let base: string;
  const invoked: string[] = [];

  beforeAll(async () => {
    installTimeSource(clock);
    const issuer = await new LocalIssuer('http://127.0.0.1/_local/oidc', 'exam-site-portal').init();
    gateway = await new LocalGateway({
      routes,
      defaultRoute,
      issuer,
      corsOrigins: [],
      control: {},
      // The catalogue's real not-found handler behind the catch-all, as on AWS.
      invoke: async (fn, event) => {
        invoked.push(fn);
        if (fn === defaultRoute.fn) return notFound(event as HttpEvent, { awsRequestId: 'l-1' } as Context);
        return { statusCode: 200, body: '{}' };
      },
    }).start(0);
    base = `http://127.0.0.1:${gateway.port}`;
  });
  afterAll(async () => {
    await gateway.stop();
    installTimeSource(undefined);
    clock.dispose();
  });

  it.each([
    ['an unknown path', 'GET', '/v1/no/such/route'],
    ['a known path with a method it does not have', 'DELETE', '/v1/openapi.json'],
  ])('answers %s with 404 ROUTE_NOT_FOUND in the one error shape, signed in or not', async (_what, method, path) => {
    invoked.length = 0;
    const res = await fetch(`${base}${path}`, { method });
    expect(res.status).toBe(404);
    const body = (await res.json()) as Record<string, unknown>;
    expect(errorBodySchema.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({ code: 'ROUTE_NOT_FOUND', message: { zh: expect.stringContaining('接口不存在'), en: expect.stringContaining('No such route') }, details: { method, path } });
    expect(body.requestId).toEqual(expect.any(String));
    expect(body).not.toHaveProperty('stack');
    expect(invoked).toEqual(['not-found']);
  });

  it('still leaves a known signed-in route without a token to the authorizer, whose 401 has API Gateway\'s shape', async () => {
    const res = await fetch(`${base}/v1/applications/A1`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
  });
});

describe('local API gateway: handler invocations at once', () => {
  it('runs at most maxConcurrentInvocations handlers at once; the others wait their turn and all answer', async () => {
    const clock = new VirtualClock();
    installTimeSource(clock);
    const issuer = await new LocalIssuer('http://127.0.0.1/_local/oidc', 'exam-site-portal').init();
    let running = 0;
    let most = 0;
    const waiting: Array<() => void> = [];
    const gateway = await new LocalGateway({
      routes,
      issuer,
      corsOrigins: [],
      control: {},
      maxConcurrentInvocations: 2,
      // Each invocation holds its slot until the test lets it go.
      invoke: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((release) => waiting.push(release));
        running -= 1;
        return { openapi: '3.1.0' };
      },
    }).start(0);
    try {
      const answers = Array.from({ length: 5 }, () => fetch(`http://127.0.0.1:${gateway.port}/v1/openapi.json`).then((r) => r.status));
      let released = 0;
      while (released < 5) {
        await expect.poll(() => waiting.length, { timeout: 5_000, interval: 5 }).toBeGreaterThan(0);
        expect(running).toBeLessThanOrEqual(2);
        waiting.shift()!();
        released += 1;
      }
      expect(await Promise.all(answers)).toEqual([200, 200, 200, 200, 200]);
      expect(most).toBe(2);
    } finally {
      await gateway.stop();
      installTimeSource(undefined);
      clock.dispose();
    }
  });
});

describe('parseGroupsClaim', () => {
  it('reads the authorizer string form, a JSON array and a plain list, dropping unknown groups', () => {
    expect(parseGroupsClaim('[reviewer admin]')).toEqual(['reviewer', 'admin']);
    expect(parseGroupsClaim('["applicant"]')).toEqual(['applicant']);
    expect(parseGroupsClaim('admin')).toEqual(['admin']);
    expect(parseGroupsClaim('[root reviewer]')).toEqual(['reviewer']);
    expect(parseGroupsClaim(undefined)).toEqual([]);
  });
});

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { createLocalJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import pLimit from 'p-limit';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { DefaultRouteSpec, RouteSpec } from '../../functions/catalog.ts';
import { nowMs } from '../../functions/shared/clock.ts';
import { closeServer, listenLocal, readBody } from '../services/aws-json-server.ts';
import { LocalIssuer, OAuthError, SignUpError } from '../oidc/local-issuer.ts';
import { renderLoginPage } from '../oidc/login-page.ts';
import { buildHttpApiEvent, compileRoute, matchRoute, stringifyClaims, type CompiledRoute } from './http-api-event.ts';

/** A control route of the local stack (`/_local/...`), answered in-process. */
export type ControlRoute = (req: { method: string; path: string; query: URLSearchParams; body: unknown }) => Promise<{ status: number; body: unknown }>;

export interface LocalGatewayOptions {
  readonly routes: readonly RouteSpec[];
  /** Answers `/v1/…` requests no route matches, as the `$default` route does on AWS. */
  readonly defaultRoute?: DefaultRouteSpec;
  readonly invoke: (fn: string, event: unknown) => Promise<unknown>;
  readonly issuer: LocalIssuer;
  readonly corsOrigins: readonly string[];
  /** `/_local/<name>` → handler. */
  readonly control: Record<string, ControlRoute>;
  /** Built portal files, served for every other GET. */
  readonly portalDir?: string;
  /** The portal's runtime configuration, served at `/config.json` as CloudFront serves the deployed one. */
  readonly portalConfig?: Record<string, unknown>;
  /**
   * API handler invocations at once (default 16); the others wait their
   * turn, first come first served, before their function's time starts.
   * On AWS each invocation has a sandbox of its own; here every handler
   * shares one event loop, so a few hundred at once would each take the
   * time of all of them and run out of their 30 s.
   */
  readonly maxConcurrentInvocations?: number;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The local API Gateway: an HTTP front that builds HTTP API v2 events from
 * the same route table as the CDK stack, verifies JWTs from the local issuer
 * as the JWT authorizer does (issuer, audience or client_id, exp/nbf on the
 * virtual clock, RS256 from the JWKS) and passes the claims as strings.
 * It also serves the local OIDC issuer, the control routes and the portal.
 */
export class LocalGateway {
  private server: Server | undefined;
  private readonly compiled: CompiledRoute[];
  private readonly invokeLimited: (fn: string, event: unknown) => Promise<unknown>;
  port = 0;

  constructor(private readonly options: LocalGatewayOptions) {
    this.compiled = options.routes.map(compileRoute);
    const limit = pLimit(options.maxConcurrentInvocations ?? 16);
    this.invokeLimited = (fn, event) => limit(() => options.invoke(fn, event));
  }

  async start(port: number): Promise<this> {
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        console.error('[gateway] internal error', error);
        if (!res.headersSent) this.send(res, 500, { message: 'Internal Server Error' });
      });
    });
    this.port = await listenLocal(this.server, port);
    return this;
  }

  async stop(): Promise<void> {
    if (this.server) await closeServer(this.server);
  }

  private cors(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (origin && this.options.corsOrigins.includes(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      res.setHeader('access-control-allow-headers', 'authorization,content-type,idempotency-key');
      res.setHeader('access-control-allow-methods', 'GET,POST,PUT,PATCH,DELETE,OPTIONS');
      res.setHeader('access-control-max-age', '600');
      res.setHeader('access-control-expose-headers', 'content-disposition, x-next-cursor');
    }
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    this.cors(req, res);
    if (method === 'OPTIONS') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (url.pathname.startsWith('/_local/oidc')) return this.handleOidc(req, res, url, method);
    if (url.pathname.startsWith('/_local/')) return this.handleControl(req, res, url, method);
    if (url.pathname.startsWith('/v1/') || url.pathname === '/v1') return this.handleApi(req, res, url, method);
    if (method === 'GET' && url.pathname === '/config.json' && this.options.portalConfig) {
      return this.send(res, 200, this.options.portalConfig, { 'cache-control': 'no-store' });
    }
    return this.serveStatic(res, url, method);
  }

  /** The `$default` route (no auth, no path parameters), when one is configured. */
  private defaultMatch(): { route: CompiledRoute; pathParameters: Record<string, string> } | undefined {
    const fallback = this.options.defaultRoute;
    if (!fallback) return undefined;
    const route: CompiledRoute = {
      // Only `fn` and `auth` are read once matched; the method is not the request's.
      spec: { method: 'GET', path: '$default', fn: fallback.fn, auth: fallback.auth },
      routeKey: '$default',
      pattern: /^$/,
      params: [],
      specificity: -1,
    };
    return { route, pathParameters: {} };
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const match = matchRoute(this.compiled, method, url.pathname) ?? this.defaultMatch();
    if (!match) return this.send(res, 404, { message: 'Not Found' });
    const body = await readBody(req, 10 * 1024 * 1024);
    let claims: Record<string, string> | undefined;
    if (match.route.spec.auth === 'jwt') {
      const verified = await this.verify(req.headers.authorization);
      if (!verified) {
        return this.send(res, 401, { message: 'Unauthorized' }, { 'www-authenticate': 'Bearer' });
      }
      claims = verified;
    }
    const event = buildHttpApiEvent({
      route: match.route,
      pathParameters: match.pathParameters,
      method,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers: req.headers,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
      claims,
      domainName: req.headers.host ?? '127.0.0.1',
    });
    let result: unknown;
    try {
      result = await this.invokeLimited(match.route.spec.fn, event);
    } catch (error) {
      // Lambda failed outright: API Gateway answers 500 and hides the error.
      console.error(`[gateway] ${match.route.spec.fn} failed`, error);
      return this.send(res, 500, { message: 'Internal Server Error' });
    }
    this.writeLambdaResult(res, result);
  }

  /** Payload format 2.0 response mapping, including the inferred form for non-structured results. */
  private writeLambdaResult(res: ServerResponse, result: unknown): void {
    if (result && typeof result === 'object' && 'statusCode' in result) {
      const r = result as APIGatewayProxyStructuredResultV2;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
      if (r.cookies?.length) res.setHeader('set-cookie', r.cookies);
      const payload = r.body === undefined ? '' : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body;
      res.writeHead(r.statusCode ?? 200, headers);
      res.end(payload);
      return;
    }
    this.send(res, 200, typeof result === 'string' ? result : JSON.stringify(result ?? null));
  }

  private async verify(authorization: string | undefined): Promise<Record<string, string> | undefined> {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return undefined;
    const issuer = this.options.issuer;
    try {
      const { payload } = await jwtVerify(m[1]!, createLocalJWKSet(issuer.jwks()), {
        issuer: issuer.issuerUrl,
        algorithms: ['RS256'],
        currentDate: new Date(nowMs()),
      });
      const audiences = Array.isArray(payload.aud) ? payload.aud : payload.aud ? [payload.aud] : [];
      if (!audiences.includes(issuer.audience) && payload.client_id !== issuer.audience) return undefined;
      return stringifyClaims(payload);
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) return undefined;
      throw error;
    }
  }

  private async handleOidc(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const issuer = this.options.issuer;
    const sub = url.pathname.slice('/_local/oidc'.length) || '/';
    try {
      if (method === 'GET' && sub === '/.well-known/openid-configuration') return this.send(res, 200, issuer.discovery());
      if (method === 'GET' && sub === '/jwks.json') return this.send(res, 200, issuer.jwks());
      if (method === 'GET' && sub === '/authorize') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(renderLoginPage(issuer.listUsers(), url.searchParams));
        return;
      }
      if (method === 'POST' && sub === '/authorize') {
        const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
        const redirectUri = form.get('redirect_uri') ?? '';
        if (!isAllowedRedirect(redirectUri, this.options.corsOrigins)) throw new OAuthError('invalid_request', 'redirect_uri not allowed');
        let sub = form.get('sub') ?? '';
        if (form.get('action') === 'signup') {
          try {
            sub = issuer.signUp({ name: form.get('name') ?? '', email: form.get('email') ?? '' }).sub;
          } catch (error) {
            if (!(error instanceof SignUpError)) throw error;
            res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
            res.end(renderLoginPage(issuer.listUsers(), form, { error: { zh: error.zh, en: error.en }, name: form.get('name') ?? '', email: form.get('email') ?? '' }));
            return;
          }
        }
        const code = issuer.createCode({
          sub,
          clientId: form.get('client_id') ?? '',
          redirectUri,
          codeChallenge: form.get('code_challenge') ?? '',
          codeChallengeMethod: form.get('code_challenge_method') ?? '',
          nonce: form.get('nonce') ?? undefined,
        });
        const target = new URL(redirectUri);
        target.searchParams.set('code', code);
        if (form.get('state')) target.searchParams.set('state', form.get('state')!);
        res.writeHead(302, { location: target.toString(), 'cache-control': 'no-store' });
        res.end();
        return;
      }
      if (method === 'POST' && sub === '/token') {
        const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
        if (form.get('grant_type') !== 'authorization_code') throw new OAuthError('unsupported_grant_type', 'only authorization_code');
        const tokens = await issuer.exchangeCode({
          code: form.get('code') ?? '',
          codeVerifier: form.get('code_verifier') ?? '',
          clientId: form.get('client_id') ?? '',
          redirectUri: form.get('redirect_uri') ?? '',
        });
        return this.send(res, 200, tokens, { 'cache-control': 'no-store' });
      }
      if (method === 'GET' && sub === '/logout') {
        const back = url.searchParams.get('logout_uri') ?? url.searchParams.get('post_logout_redirect_uri');
        if (back && isAllowedRedirect(back, this.options.corsOrigins)) {
          res.writeHead(302, { location: back });
          res.end();
          return;
        }
        return this.send(res, 200, { signedOut: true });
      }
      // Local convenience for scripts (curl): the sign-up of the sign-in page, answering the new subject and a token.
      if (method === 'POST' && sub === '/signup') {
        const input = JSON.parse((await readBody(req, 16 * 1024)).toString('utf8') || '{}') as { name?: unknown; email?: unknown };
        try {
          const user = issuer.signUp({ name: String(input.name ?? ''), email: String(input.email ?? '') });
          return this.send(res, 201, { sub: user.sub, email: user.email, access_token: await issuer.issueToken(user.sub), token_type: 'Bearer', expires_in: issuer.tokenTtlSeconds });
        } catch (error) {
          if (error instanceof SignUpError) return this.send(res, 400, { error: 'invalid_request', error_description: error.en, message: { zh: error.zh, en: error.en } });
          throw error;
        }
      }
      // Local convenience: a fresh token for a known user, in the response body (never in a URL).
      if (method === 'POST' && sub === '/tokens') {
        const input = JSON.parse((await readBody(req, 16 * 1024)).toString('utf8') || '{}') as { sub?: string };
        return this.send(res, 200, { access_token: await issuer.issueToken(input.sub ?? ''), token_type: 'Bearer', expires_in: issuer.tokenTtlSeconds });
      }
      return this.send(res, 404, { error: 'not_found' });
    } catch (error) {
      if (error instanceof OAuthError) return this.send(res, 400, { error: error.error, error_description: error.message });
      if (error instanceof SyntaxError) return this.send(res, 400, { error: 'invalid_request', error_description: 'bad JSON' });
      throw error;
    }
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const name = url.pathname.slice('/_local/'.length).split('/')[0] ?? '';
    const route = this.options.control[name];
    if (!route) return this.send(res, 404, { message: `no control route ${name}` });
    const raw = (await readBody(req, 1024 * 1024)).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return this.send(res, 400, { message: 'body is not valid JSON' });
    }
    try {
      const result = await route({ method, path: url.pathname, query: url.searchParams, body });
      this.send(res, result.status, result.body, { 'cache-control': 'no-store' });
    } catch (error) {
      this.send(res, 400, { message: error instanceof Error ? error.message : String(error) });
    }
  }

  private serveStatic(res: ServerResponse, url: URL, method: string): void {
    const dir = this.options.portalDir;
    if (method !== 'GET' || !dir || !existsSync(dir)) {
      return this.send(res, 404, { message: 'Not Found' });
    }
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, relative);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) file = join(dir, 'index.html');
    if (!existsSync(file)) return this.send(res, 404, { message: 'Not Found' });
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'public, max-age=300',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    res.end(readFileSync(file));
  }
}

function isAllowedRedirect(uri: string, origins: readonly string[]): boolean {
  try {
    return origins.includes(new URL(uri).origin);
  } catch {
    return false;
  }
}

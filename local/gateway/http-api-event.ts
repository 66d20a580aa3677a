import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { JWTPayload } from 'jose';
import type { HttpEvent } from '../../functions/shared/http.ts';
import type { RouteSpec } from '../../functions/catalog.ts';
import { nowMs } from '../../functions/shared/clock.ts';

/** A route with its path template compiled to a matcher. */
export interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly routeKey: string;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  /** Literal segments count more than parameters when two templates match (API Gateway picks the most specific). */
  readonly specificity: number;
}

export function compileRoute(spec: RouteSpec): CompiledRoute {
  const params: string[] = [];
  let specificity = 0;
  const source = spec.path
    .split('/')
    .map((segment) => {
      const greedy = /^\{(\w+)\+\}$/.exec(segment);
      if (greedy) {
        params.push(greedy[1]!);
        return '(.+)';
      }
      const param = /^\{(\w+)\}$/.exec(segment);
      if (param) {
        params.push(param[1]!);
        specificity += 1;
        return '([^/]+)';
      }
      specificity += 10;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { spec, routeKey: `${spec.method} ${spec.path}`, pattern: new RegExp(`^${source}$`), params, specificity };
}

/** Finds the route for a method and path, as API Gateway does (most specific first). */
export function matchRoute(routes: readonly CompiledRoute[], method: string, path: string): { route: CompiledRoute; pathParameters: Record<string, string> } | undefined {
  let best: { route: CompiledRoute; pathParameters: Record<string, string> } | undefined;
  for (const route of routes) {
    if (route.spec.method !== method) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (best && best.route.specificity >= route.specificity) continue;
    const pathParameters: Record<string, string> = {};
    route.params.forEach((name, i) => (pathParameters[name] = decodeURIComponent(m[i + 1]!)));
    best = { route, pathParameters };
  }
  return best;
}

/**
 * Claims as the HTTP API JWT authorizer passes them to Lambda: every value a
 * string; arrays as `"[a b]"`; numbers as their decimal text.
 */
export function stringifyClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (Array.isArray(value)) claims[key] = `[${value.join(' ')}]`;
    else if (value !== null && typeof value === 'object') claims[key] = JSON.stringify(value);
    else claims[key] = String(value);
  }
  return claims;
}

/** Builds an HTTP API payload-format-2.0 event from a node request. */
export function buildHttpApiEvent(input: {
  route: CompiledRoute;
  pathParameters: Record<string, string>;
  method: string;
  rawPath: string;
  rawQueryString: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  sourceIp: string;
  claims?: Record<string, string>;
  scopes?: string[];
  domainName: string;
}): HttpEvent {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const [name, value] of Object.entries(input.headers)) {
    if (value === undefined) continue;
    if (name === 'cookie') {
      cookies.push(...String(value).split(/;\s*/));
      continue;
    }
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query = new URLSearchParams(input.rawQueryString);
  const queryStringParameters: Record<string, string> = {};
  for (const key of new Set(query.keys())) queryStringParameters[key] = query.getAll(key).join(',');
  const contentType = headers['content-type'] ?? '';
  const textual = /^(text\/|application\/(json|x-www-form-urlencoded|xml)|multipart\/form-data)/.test(contentType) || input.body.length === 0;
  const time = new Date(nowMs());
  const event = {
    version: '2.0',
    routeKey: input.route.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers,
    ...(Object.keys(queryStringParameters).length ? { queryStringParameters } : {}),
    ...(Object.keys(input.pathParameters).length ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      ...(input.claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: input.claims, scopes: input.scopes ?? [] } } } : {}),
      domainName: input.domainName,
      domainPrefix: input.domainName.split('.')[0] ?? 'local',
      http: {
        method: input.method,
        path: input.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: input.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: input.route.routeKey,
      stage: '$default',
      time: time.toUTCString(),
      timeEpoch: time.getTime(),
    },
    ...(input.body.length ? { body: textual ? input.body.toString('utf8') : input.body.toString('base64') } : {}),
    isBase64Encoded: !textual,
  };
  return event as unknown as HttpEvent;
}

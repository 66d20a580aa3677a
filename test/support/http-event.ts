import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../functions/shared/http.ts';

/** The Lambda context handlers receive in unit tests. */
export const lambdaContext = { awsRequestId: 'lambda-request-1' } as Context;

let requestCounter = 0;

/**
 * An HTTP API v2 event as the JWT authorizer hands it over: every claim a
 * string, the groups stringified as `"[a b]"`. Each event gets its own
 * request id unless one is given.
 */
export function httpEvent(input: {
  sub: string;
  groups?: readonly string[];
  name?: string;
  method?: string;
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  requestId?: string;
  /** Further claims, as strings (e.g. `email`, `email_verified: 'true'`). */
  claims?: Record<string, string>;
}): HttpEvent {
  requestCounter += 1;
  const method = input.method ?? 'GET';
  const path = input.path ?? '/v1/test';
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers: input.headers ?? {},
    queryStringParameters: input.query,
    isBase64Encoded: false,
    pathParameters: input.pathParameters ?? {},
    body: input.rawBody ?? (input.body === undefined ? undefined : JSON.stringify(input.body)),
    requestContext: {
      requestId: input.requestId ?? `req-${requestCounter}`,
      http: { method, path },
      authorizer: {
        jwt: {
          claims: { sub: input.sub, ...(input.name ? { name: input.name } : {}), 'cognito:groups': `[${(input.groups ?? []).join(' ')}]`, ...input.claims },
          scopes: [],
        },
      },
    },
  } as unknown as HttpEvent;
}

/** The parsed JSON body of a handler's result. */
export function bodyOf<T = Record<string, unknown>>(result: unknown): T {
  return JSON.parse(String((result as { body?: string }).body)) as T;
}

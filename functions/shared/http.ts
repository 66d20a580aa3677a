import { createHash } from 'node:crypto';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ulid } from 'ulid';
import type { z } from 'zod/mini';
import { DomainError, type ErrorKind, NotFoundError, UnauthenticatedError, ValidationError } from '../domain/errors.ts';
import { nowMs } from './clock.ts';
import { appConfig } from './env.ts';
import { type Caller, type Principal, parseGroupsClaim } from './identity.ts';
import { logger, loggerContext, setCorrelationId } from './logger.ts';
import { parseWith } from './validation.ts';

/**
 * The HTTP edge: the caller from the authorizer's claims, path and query
 * parameters, JSON bodies and responses, and the one error mapper. Only
 * handlers import this module; use cases take a {@link Caller}.
 */

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The status code of each kind of refusal: the only place where domain errors meet HTTP. */
export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  'precondition-required': 428,
  'too-large': 413,
  internal: 500,
  unavailable: 503,
};

/** The calling principal; `UnauthenticatedError` (401) when the authorizer passed no subject. */
export function principalOf(event: HttpEvent, groupsClaim = 'cognito:groups'): Principal {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const sub = claims.sub;
  if (typeof sub !== 'string' || !sub) throw new UnauthenticatedError();
  return {
    sub,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    name: typeof claims.name === 'string' ? claims.name : undefined,
    groups: parseGroupsClaim(claims[groupsClaim]),
  };
}

/** The claim holding the groups, from the typed config (an OIDC issuer may name it differently). */
function groupsClaimName(): string {
  const identity = appConfig().identity;
  return identity.kind === 'oidc' ? identity.groupsClaim : 'cognito:groups';
}

/**
 * The e-mail address the token vouches for: its `email` claim, and whether
 * `email_verified` is true (the authorizer hands claims over as strings).
 * Cognito access tokens carry neither; the accept-invitation use case asks
 * the user pool instead.
 */
export function tokenEmailOf(event: HttpEvent): { email?: string; verified: boolean } {
  const claims = event.requestContext?.authorizer?.jwt?.claims ?? {};
  const email = typeof claims.email === 'string' && claims.email ? claims.email : undefined;
  return { email, verified: String(claims.email_verified) === 'true' };
}

/** The caller of an HTTP request; 401 without a subject. */
export function callerOf(event: HttpEvent): Caller {
  const principal = principalOf(event, groupsClaimName());
  return { ...principal, requestId: event.requestContext?.requestId ?? ulid(nowMs()) };
}

/** The longest path parameter (UTF-8 bytes) any record can have (ids are ULIDs, credit codes, subjects); DynamoDB refuses keys over 1 KB. */
const MAX_PATH_PARAM = 256;

/** A path parameter; a missing, malformed (bad percent-encoding) or overlong one cannot match a record (404). */
export function pathParam(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value || value.length > MAX_PATH_PARAM * 3) throw new NotFoundError('Resource', '资源');
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    throw new NotFoundError('Resource', '资源');
  }
  if (Buffer.byteLength(decoded, 'utf8') > MAX_PATH_PARAM) throw new NotFoundError('Resource', '资源');
  return decoded;
}

/** The query string as a plain object (for zod). */
export function queryOf(event: HttpEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** `limit` as a number from 1 to 200 (default 50). */
export function pageOf(query: { cursor?: string; limit?: string }): { cursor?: string; limit: number } {
  if (!query.limit) return { cursor: query.cursor, limit: 50 };
  const asked = Number(query.limit);
  // Not a whole number (`{"$ne":null}`, `1e400`, `abc`): refused, never passed on to DynamoDB as NaN.
  if (!Number.isSafeInteger(asked)) {
    throw new ValidationError([{ path: 'limit', message: 'limit is a number from 1 to 200' }], 'limit must be a whole number from 1 to 200.', 'limit 必须是 1 到 200 之间的整数。');
  }
  return { cursor: query.cursor, limit: Math.min(Math.max(asked, 1), 200) };
}

/** Parses and validates a JSON body with a zod/mini schema; 400 with the issues otherwise. */
export function parseBody<S extends z.ZodMiniType>(event: HttpEvent, schema: S): z.infer<S> {
  let raw: unknown = {};
  if (event.body) {
    try {
      raw = JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body);
    } catch {
      throw new ValidationError([{ path: '', message: 'body is not valid JSON' }], 'The body is not valid JSON.', '请求体不是有效的 JSON。');
    }
  }
  return parseWith(schema, raw);
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/**
 * A public answer that caches: `Cache-Control: public`, a strong `ETag`
 * from the body, and 304 with no body when `If-None-Match` names it (or `*`).
 */
export function cacheableJson(event: HttpEvent, body: unknown, maxAgeSeconds = 300): HttpResult {
  const text = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 32)}"`;
  const headers = { 'cache-control': `public, max-age=${maxAgeSeconds}`, etag };
  const ifNoneMatch = event.headers?.['if-none-match'];
  const matches = ifNoneMatch?.split(',').some((tag) => {
    const value = tag.trim();
    return value === '*' || value.replace(/^W\//, '') === etag;
  });
  if (matches) return { statusCode: 304, headers };
  return { statusCode: 200, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: text };
}

/** Maps any error to a response: domain errors with their code and messages, everything else a generic 500. */
export function errorResponse(error: unknown, requestId: string | undefined): HttpResult {
  if (error instanceof DomainError) return json(STATUS_OF_KIND[error.kind], { ...error.toBody(), requestId });
  if (error instanceof Error && error.name === 'TimeoutError') {
    // middy answers before the function's own timeout: the request may be retried; nothing half-done is kept (every write is conditional).
    logger.warn('request timed out', { error: error.message });
    return json(503, { code: 'REQUEST_TIMED_OUT', message: { zh: '请求处理超时，请稍后重试。', en: 'The request took too long; please try again shortly.' }, requestId }, { 'retry-after': '5' });
  }
  logger.error('unhandled error', { error: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) });
  return json(500, {
    code: 'INTERNAL_ERROR',
    message: { zh: '服务器内部错误，请稍后重试。', en: 'Internal error; please try again later.' },
    requestId,
  });
}

/** The middleware every HTTP handler uses: correlation id, and the one error mapper. */
export function httpErrors(): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  return {
    before: (request) => {
      setCorrelationId(request.event.requestContext?.requestId ?? request.context.awsRequestId);
    },
    onError: (request) => {
      request.response = errorResponse(request.error, request.event.requestContext?.requestId);
    },
  };
}

/**
 * Wraps an HTTP use case in middy with the shared middlewares: the Lambda
 * context on every log line, the correlation id and the error mapper. POSTs
 * that take an `Idempotency-Key` add `.use(idempotentRequests())`
 * (`shared/idempotency.ts`) after it, so that the other handlers' bundles do
 * not carry the persistence layer.
 */
export function httpHandler(fn: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return middy<HttpEvent, HttpResult, Error, Context>().use(loggerContext()).use(httpErrors()).handler(fn);
}

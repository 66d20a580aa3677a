import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { DomainError, ForbiddenError, UnauthenticatedError, ValidationError } from '../domain/errors.ts';
import { logger, setCorrelationId } from './logger.ts';

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** The groups of the organisation and the colleges (Cognito groups or the OIDC issuer's groups claim). */
export type Group = 'applicant' | 'reviewer' | 'admin';

/** Who is calling, from the JWT authorizer's claims. Tenancy is NOT here: it comes from a membership record keyed by `sub`. */
export interface Principal {
  readonly sub: string;
  readonly email?: string;
  readonly name?: string;
  readonly groups: readonly Group[];
}

const GROUPS: readonly Group[] = ['applicant', 'reviewer', 'admin'];

/**
 * Parses a groups claim as the HTTP API JWT authorizer hands it over: arrays
 * arrive stringified as `"[a b]"`; a JSON array or a plain string also occur.
 */
export function parseGroupsClaim(value: unknown): Group[] {
  let items: string[] = [];
  if (Array.isArray(value)) items = value.map(String);
  else if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      const inner = trimmed.slice(1, -1).trim();
      try {
        const parsed: unknown = JSON.parse(trimmed);
        if (Array.isArray(parsed)) items = parsed.map(String);
      } catch {
        items = inner.split(/[\s,]+/);
      }
    } else if (trimmed) items = trimmed.split(/[\s,]+/);
  }
  return items.filter((g): g is Group => (GROUPS as readonly string[]).includes(g));
}

/** The calling principal; throws 401 when the authorizer passed no subject. */
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

/** Throws 403 unless the principal belongs to one of `groups`. */
export function requireGroup(principal: Principal, ...groups: Group[]): void {
  if (!groups.some((g) => principal.groups.includes(g))) {
    throw new ForbiddenError(`This needs the role ${groups.join(' or ')}.`, `此操作需要角色：${groups.join(' 或 ')}。`);
  }
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

/** Validates any value with a schema; 400 with the issues otherwise. */
export function parseWith<S extends z.ZodMiniType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
    );
  }
  return result.data as z.infer<S>;
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

/** Maps any error to a response: domain errors with their code and messages, everything else a generic 500. */
export function errorResponse(error: unknown, requestId: string | undefined): HttpResult {
  if (error instanceof DomainError) return json(error.statusCode, { ...error.toBody(), requestId });
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

/** Wraps an HTTP use case in middy with the shared middlewares. */
export function httpHandler(fn: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return middy<HttpEvent, HttpResult, Error, Context>().use(httpErrors()).handler(fn);
}

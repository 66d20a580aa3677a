import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer as HttpEvent, APIGatewayProxyStructuredResultV2 as HttpResult, Context } from 'aws-lambda';
import { idempotencyStore } from '../adapters/idempotency-store.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, ValidationError } from '../domain/errors.ts';

/** How long a response is replayed for the same key (DESIGN.md: POSTs accept an `Idempotency-Key`). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

const KEY_SHAPE = /^[A-Za-z0-9._:-]{8,128}$/;
const ACTIVE = 'exam-site.idempotency.active';

/** The `Idempotency-Key` header (HTTP API v2 lower-cases header names); 400 when it is malformed. */
export function idempotencyKeyOf(event: HttpEvent): string | undefined {
  const value = event.headers?.['idempotency-key'];
  if (value === undefined || value === '') return undefined;
  if (!KEY_SHAPE.test(value)) {
    throw new ValidationError(
      [{ path: 'headers.idempotency-key', message: '8-128 characters of A-Z a-z 0-9 . _ : -' }],
      'The Idempotency-Key header is not valid.',
      'Idempotency-Key 请求头格式不正确。',
    );
  }
  return value;
}

/** Options of {@link idempotentRequests}. */
export interface IdempotencyOptions {
  /** How long the first response is replayed (default 24 h); a function is read at the first request (cold start, config loaded). */
  readonly expiresAfterSeconds?: number | (() => number);
}

/**
 * The one way a POST honours `Idempotency-Key`: Powertools for AWS Lambda
 * Idempotency with its DynamoDB persistence layer, as a middy middleware.
 *
 * - The key is the caller's `sub` with the header (two users never share a
 *   record); without the header the request simply runs.
 * - The request is its method, path and body: the same key with another
 *   request is refused with 409 `IDEMPOTENCY_KEY_REUSED`, not replayed.
 * - A record is claimed before the handler runs, so a concurrent duplicate
 *   gets 409 `IDEMPOTENCY_IN_PROGRESS` instead of a second execution.
 * - When the handler throws (it changed nothing, by the rule that errors never
 *   half-change data) the claim is released, so the client may retry with the
 *   same key; only answers the handler returned (2xx) are stored.
 * - A replayed answer carries the header `idempotent-replayed: true`.
 *
 * Use it after the error mapper (`httpHandler(fn).use(idempotentRequests())`),
 * so that it sees the handler's errors before they become responses.
 */
export function idempotentRequests(options: IdempotencyOptions = {}): MiddlewareObj<HttpEvent, HttpResult, Error, Context> {
  const configure = () =>
    new IdempotencyConfig({
      eventKeyJmesPath: '[requestContext.authorizer.jwt.claims.sub, headers."idempotency-key"]',
      payloadValidationJmesPath: '[requestContext.http.method, rawPath, body]',
      expiresAfterSeconds: typeof options.expiresAfterSeconds === 'function' ? options.expiresAfterSeconds() : (options.expiresAfterSeconds ?? IDEMPOTENCY_TTL_SECONDS),
      throwOnNoIdempotencyKey: true,
      responseHook: (response) => {
        const stored = response as HttpResult;
        return { ...stored, headers: { ...(stored.headers ?? {}), 'idempotent-replayed': 'true' } };
      },
    });
  let powertools: ReturnType<typeof makeHandlerIdempotent> | undefined;
  // Made on first use: the persistence layer reads the table name from the environment, the options may read the config.
  const inner = () => (powertools ??= makeHandlerIdempotent({ persistenceStore: idempotencyStore(), config: configure(), keyPrefix: 'http' }));
  const active = (request: Request<HttpEvent, HttpResult, Error, Context>) => (request.internal as Record<string, unknown>)[ACTIVE] === true;

  return {
    before: async (request) => {
      // Without the header the request simply runs; without a subject the handler refuses it (401).
      if (!idempotencyKeyOf(request.event) || !request.event.requestContext?.authorizer?.jwt?.claims?.sub) return undefined;
      try {
        const replayed = await inner().before?.(request as never);
        (request.internal as Record<string, unknown>)[ACTIVE] = true;
        return replayed as HttpResult | undefined;
      } catch (error) {
        const name = error instanceof Error ? error.name : '';
        if (name === 'IdempotencyValidationError') throw new IdempotencyKeyReusedError();
        if (name === 'IdempotencyAlreadyInProgressError') throw new IdempotencyInProgressError();
        throw error;
      }
    },
    after: async (request) => {
      if (active(request)) await inner().after?.(request as never);
    },
    onError: async (request) => {
      if (active(request)) await inner().onError?.(request as never);
    },
  };
}

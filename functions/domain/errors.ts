/**
 * What kind of refusal an error is. The domain says what went wrong; the
 * HTTP edge (`functions/shared/http.ts`) alone turns a kind into a status code.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'gone'
  | 'precondition-required'
  | 'too-large'
  | 'internal'
  | 'unavailable';

/**
 * Errors that reach an API caller. Each has a stable machine code, a zh-CN
 * and an English message and, where a rule comes from the regulation, the
 * article it cites (e.g. `Art.9(2)`). Never a stack trace.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    readonly zh: string,
    readonly en: string,
    readonly article?: string,
    readonly details?: unknown,
  ) {
    super(en);
    this.name = new.target.name;
  }

  toBody(): { code: string; message: { zh: string; en: string }; article?: string; details?: unknown } {
    return {
      code: this.code,
      message: { zh: this.zh, en: this.en },
      ...(this.article ? { article: this.article } : {}),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export class ValidationError extends DomainError {
  constructor(details: unknown, en = 'The request is not valid.', zh = '请求内容不符合要求。') {
    super('VALIDATION_FAILED', 'invalid', zh, en, undefined, details);
  }
}

export class UnauthenticatedError extends DomainError {
  constructor() {
    super('UNAUTHENTICATED', 'unauthenticated', '请先登录。', 'Sign-in required.');
  }
}

export class ForbiddenError extends DomainError {
  constructor(en = 'You may not do this.', zh = '您无权执行此操作。') {
    super('FORBIDDEN', 'forbidden', zh, en);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, zhWhat: string) {
    super('NOT_FOUND', 'not-found', `未找到${zhWhat}。`, `${what} not found.`);
  }
}

/** A request no API route matches (method and path); details name them, the OpenAPI document lists the routes. */
export class RouteNotFoundError extends DomainError {
  constructor(method: string, path: string) {
    super(
      'ROUTE_NOT_FOUND',
      'not-found',
      '接口不存在，可用接口见 /v1/openapi.json。',
      'No such route; the API routes are listed at /v1/openapi.json.',
      undefined,
      { method: method.slice(0, 10), path: path.slice(0, 200) },
    );
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, zh: string, en: string, article?: string) {
    super(code, 'conflict', zh, en, article);
  }
}

export class GoneError extends DomainError {
  constructor(code: string, zh: string, en: string) {
    super(code, 'gone', zh, en);
  }
}

/** An `Idempotency-Key` sent again with another request (method, path or body): refused, not replayed. */
export class IdempotencyKeyReusedError extends ConflictError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', '该 Idempotency-Key 已用于另一个请求。', 'This Idempotency-Key was used for another request.');
  }
}

/** The first request with this `Idempotency-Key` is still running. */
export class IdempotencyInProgressError extends ConflictError {
  constructor() {
    super('IDEMPOTENCY_IN_PROGRESS', '相同的请求正在处理中，请稍后重试。', 'The same request is still being processed; retry later.');
  }
}

/** A failure worth retrying (throttling, a lost race); Step Functions retries `TransientError`. */
export class TransientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransientError';
  }
}

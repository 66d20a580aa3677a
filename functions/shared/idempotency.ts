import { createHash } from 'node:crypto';
import { deleteItem, getItem, keys, putUnlessLive, updateIf } from '../adapters/repository.ts';
import { IdempotencyInProgressError, IdempotencyKeyReusedError, ValidationError } from '../domain/errors.ts';
import { nowMs } from './clock.ts';
import type { HttpEvent, HttpResult } from './http.ts';

/** How long a response is replayed for the same key (DESIGN.md: POSTs accept an `Idempotency-Key`). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

const KEY_SHAPE = /^[A-Za-z0-9._:-]{8,128}$/;

/** The `Idempotency-Key` header (HTTP API v2 lower-cases header names). */
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

/** What a request is, so that a key sent again with another request is refused rather than replayed. */
function fingerprint(event: HttpEvent): string {
  return createHash('sha256')
    .update(`${event.requestContext?.http?.method ?? ''} ${event.rawPath ?? ''}\n${event.body ?? ''}`)
    .digest('hex');
}

/**
 * Runs `fn` at most once per (`sub`, `Idempotency-Key`) within 24 h and
 * replays its stored response to repeated requests, marked with the header
 * `idempotent-replayed: true`. Without the header `fn` simply runs.
 *
 * A record is claimed before `fn` runs, so a concurrent duplicate gets 409
 * `IDEMPOTENCY_IN_PROGRESS` instead of a second execution; the same key with
 * another method, path or body gets 409 `IDEMPOTENCY_KEY_REUSED`. When `fn`
 * throws (it changed nothing, by the rule that errors never half-change
 * data), the claim is released so the client may retry with the same key.
 * Responses of 500 and above are not stored for the same reason.
 */
export async function withIdempotency(event: HttpEvent, sub: string, fn: () => Promise<HttpResult>): Promise<HttpResult> {
  const key = idempotencyKeyOf(event);
  if (!key) return fn();
  const recordKey = keys.idempotency(sub, key);
  const print = fingerprint(event);
  const nowSeconds = Math.floor(nowMs() / 1000);
  const claimed = await putUnlessLive(
    { ...recordKey, type: 'idempotency', idempotencyState: 'pending', fingerprint: print, expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS },
    nowSeconds,
  );
  if (!claimed) {
    const stored = await getItem(recordKey);
    if (stored?.fingerprint !== print) {
      throw new IdempotencyKeyReusedError();
    }
    if (stored.idempotencyState !== 'done' || typeof stored.response !== 'object') {
      throw new IdempotencyInProgressError();
    }
    const response = stored.response as HttpResult;
    return { ...response, headers: { ...(response.headers ?? {}), 'idempotent-replayed': 'true' } };
  }
  let result: HttpResult;
  try {
    result = await fn();
  } catch (error) {
    await deleteItem(recordKey, 'idempotencyState = :pending', { ':pending': 'pending' }).catch(() => false);
    throw error;
  }
  if ((result.statusCode ?? 200) >= 500) {
    await deleteItem(recordKey);
    return result;
  }
  await updateIf(recordKey, { idempotencyState: 'done', response: { statusCode: result.statusCode, headers: result.headers ?? {}, body: result.body } }, 'attribute_exists(pk)');
  return result;
}

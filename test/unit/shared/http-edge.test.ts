import { describe, expect, it, vi } from 'vitest';
import { DomainError, type ErrorKind, ForbiddenError, NotFoundError, ValidationError } from '../../../functions/domain/errors.ts';
import { errorResponse, pageOf, STATUS_OF_KIND } from '../../../functions/shared/http.ts';
import { actorOf, requireGroup } from '../../../functions/shared/identity.ts';

describe('shared/http', () => {
  it('answers a request that ran out of time with 503 REQUEST_TIMED_OUT in both languages and Retry-After, not a 500', () => {
    const timeout = Object.assign(new Error('[AbortError]: The operation was aborted.'), { name: 'TimeoutError' });
    const res = errorResponse(timeout, 'req-1');
    expect(res.statusCode).toBe(503);
    expect(res.headers).toMatchObject({ 'retry-after': '5' });
    expect(JSON.parse(String(res.body))).toMatchObject({ code: 'REQUEST_TIMED_OUT', message: { zh: expect.stringContaining('超时'), en: expect.stringContaining('too long') }, requestId: 'req-1' });
    expect(errorResponse(new Error('boom'), 'req-2').statusCode).toBe(500);
  });

  describe('pageOf', () => {
    it('takes a whole-number limit within 1..200 and refuses anything else with VALIDATION_FAILED (never NaN to DynamoDB)', () => {
      expect(pageOf({})).toEqual({ cursor: undefined, limit: 50 });
      expect(pageOf({ limit: '20', cursor: 'c' })).toEqual({ cursor: 'c', limit: 20 });
      expect(pageOf({ limit: '5000' }).limit).toBe(200);
      expect(pageOf({ limit: '0' }).limit).toBe(1);
      for (const limit of ['{"$ne":null}', 'abc', '1e400', '2.5', 'NaN']) {
        expect(() => pageOf({ limit }), limit).toThrow(ValidationError);
      }
    });
  });

  describe('errorResponse', () => {
    it.each<[ErrorKind, number]>([
      ['invalid', 400],
      ['unauthenticated', 401],
      ['forbidden', 403],
      ['not-found', 404],
      ['conflict', 409],
      ['gone', 410],
      ['precondition-required', 428],
      ['too-large', 413],
      ['internal', 500],
      ['unavailable', 503],
    ])('answers a %s domain error with %i and its code, both messages and the article', (kind, status) => {
      const response = errorResponse(new DomainError('SOME_CODE', kind, '中文', 'English', 'Art.9(2)'), 'req-1');

      expect(STATUS_OF_KIND[kind]).toBe(status);
      expect(response.statusCode).toBe(status);
      expect(JSON.parse(response.body ?? '{}')).toEqual({ code: 'SOME_CODE', message: { zh: '中文', en: 'English' }, article: 'Art.9(2)', requestId: 'req-1' });
    });

    it('answers any other error with a generic 500 that carries no message or stack of the error', () => {
      const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const response = errorResponse(new Error('secret detail at line 3'), 'req-2');
      spy.mockRestore();

      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('secret detail');
      expect(JSON.parse(response.body ?? '{}')).toMatchObject({ code: 'INTERNAL_ERROR', requestId: 'req-2' });
    });

    it('maps the shared errors by their kind (no status code lives in the domain)', () => {
      expect(errorResponse(new ValidationError([]), undefined).statusCode).toBe(400);
      expect(errorResponse(new ForbiddenError(), undefined).statusCode).toBe(403);
      expect(errorResponse(new NotFoundError('Site', '站点'), undefined).statusCode).toBe(404);
      expect('statusCode' in new NotFoundError('Site', '站点')).toBe(false);
    });
  });
});

describe('shared/identity', () => {
  const reviewer = { sub: 'r-1', name: '李审核', groups: ['reviewer'] as const };

  it('requireGroup refuses a principal outside every named group with FORBIDDEN', () => {
    expect(() => requireGroup(reviewer, 'admin')).toThrow(ForbiddenError);
    expect(() => requireGroup(reviewer, 'admin', 'reviewer')).not.toThrow();
  });

  it('actorOf names the person, the role acted in and the display name for the audit trail', () => {
    expect(actorOf(reviewer, 'reviewer')).toEqual({ kind: 'user', id: 'r-1', role: 'reviewer', name: '李审核' });
    expect(actorOf({ sub: 'a-1', groups: ['applicant'] }, 'applicant')).toEqual({ kind: 'user', id: 'a-1', role: 'applicant' });
  });
});

import { ulid } from 'ulid';
import { type Actor, getMembership, type MembershipRecord } from '../../adapters/repository.ts';
import { DomainError, NotFoundError } from '../../domain/errors.ts';
import { nowMs } from '../../shared/clock.ts';
import { appConfig } from '../../shared/env.ts';
import { type HttpEvent, type Principal, principalOf } from '../../shared/http.ts';

/** The signed-in principal of a request and the request id (the deterministic part of its audit keys). */
export interface Caller extends Principal {
  readonly requestId: string;
}

/** The claim holding the groups, from the typed config (an OIDC issuer may name it differently). */
function groupsClaimName(): string {
  const identity = appConfig().identity;
  return identity.kind === 'oidc' ? identity.groupsClaim : 'cognito:groups';
}

/** The caller of an HTTP request; 401 without a subject. */
export function callerOf(event: HttpEvent): Caller {
  const principal = principalOf(event, groupsClaimName());
  return { ...principal, requestId: event.requestContext?.requestId ?? ulid(nowMs()) };
}

/** A path parameter; a missing one cannot match a record (404). */
export function pathParam(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new NotFoundError('Resource', '资源');
  return decodeURIComponent(value);
}

/** The query string as a plain object (for zod). */
export function queryOf(event: HttpEvent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

/** `limit` as a number from 1 to 200 (default 50). */
export function pageOf(query: { cursor?: string; limit?: string }): { cursor?: string; limit: number } {
  const limit = query.limit ? Math.min(Math.max(Number(query.limit), 1), 200) : 50;
  return { cursor: query.cursor, limit };
}

/** The audit actor for a signed-in caller. */
export function actorOf(caller: Caller, role: string): Actor {
  return { kind: 'user', id: caller.sub, role, ...(caller.name ? { name: caller.name } : {}) };
}

/** A user without an institution (no accepted invitation) cannot act for one. */
export class NoMembershipError extends DomainError {
  constructor() {
    super(
      'NO_MEMBERSHIP',
      403,
      '您的账号尚未关联申请单位，请使用邀请邮件中的链接加入。',
      'Your account is not linked to an institution yet; accept the invitation you received by e-mail.',
    );
  }
}

/** The caller's membership: tenancy comes only from this record, keyed by the token's `sub`. */
export async function requireMembership(caller: Caller): Promise<MembershipRecord> {
  const membership = await getMembership(caller.sub);
  if (!membership) throw new NoMembershipError();
  return membership;
}

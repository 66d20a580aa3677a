import type { Actor } from '../adapters/stores/table.ts';
import { ForbiddenError } from '../domain/errors.ts';

/**
 * Who is acting, as use cases see it: no HTTP here (the HTTP edge builds a
 * {@link Caller} from the JWT authorizer's claims in `shared/http.ts`).
 * Tenancy is NOT part of it: the institution of a user is a membership record
 * keyed by `sub`, never a token attribute.
 */

/** The groups of the organisation and the colleges (Cognito groups or the OIDC issuer's groups claim). */
export type Group = 'applicant' | 'reviewer' | 'admin';

/** Every group, in the order the portal lists them. */
export const GROUPS: readonly Group[] = ['applicant', 'reviewer', 'admin'];

/** A signed-in person. */
export interface Principal {
  readonly sub: string;
  readonly email?: string;
  readonly name?: string;
  readonly groups: readonly Group[];
}

/** The signed-in principal of a request and the request id (the deterministic part of its audit keys). */
export interface Caller extends Principal {
  readonly requestId: string;
}

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

/** Throws `ForbiddenError` unless the principal belongs to one of `groups`. */
export function requireGroup(principal: Principal, ...groups: Group[]): void {
  if (!groups.some((g) => principal.groups.includes(g))) {
    throw new ForbiddenError(`This needs the role ${groups.join(' or ')}.`, `此操作需要角色：${groups.join(' 或 ')}。`);
  }
}

/** The audit actor for a signed-in person acting in `role`. */
export function actorOf(principal: Principal, role: Group): Actor {
  return { kind: 'user', id: principal.sub, role, ...(principal.name ? { name: principal.name } : {}) };
}

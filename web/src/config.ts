/**
 * Runtime configuration of the portal, read from `/config.json` (written at
 * deploy by CDK, served by the local stack) so one build runs everywhere.
 * Without it the portal assumes the local stack: API, issuer and portal on
 * the same origin.
 */
export interface PortalConfig {
  /** Origin (and optional path prefix) of the HTTP API; routes are `${apiBase}/v1/…`. */
  readonly apiBase: string;
  /** OIDC issuer; `${issuer}/.well-known/openid-configuration` is read unless the endpoints are given. */
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: string;
  /** Set when discovery is not reachable from a browser (Cognito's hosted UI lives on another host). */
  readonly authorizationEndpoint?: string;
  readonly tokenEndpoint?: string;
  readonly endSessionEndpoint?: string;
  /** `cognito` logout takes `client_id` + `logout_uri`; `oidc` takes `post_logout_redirect_uri`. */
  readonly logout: 'oidc' | 'cognito';
  /** Shown in the footer (`local`, `prod`, …). */
  readonly stage?: string;
}

/** The same-origin defaults of the local stack. */
export function defaultConfig(origin: string): PortalConfig {
  return { apiBase: origin, issuer: `${origin}/_local/oidc`, clientId: 'exam-site-portal', scopes: 'openid email profile', logout: 'oidc', stage: 'local' };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

/** Fills a partial config.json over the defaults; unknown keys are ignored. */
export function mergeConfig(origin: string, raw: unknown): PortalConfig {
  const base = defaultConfig(origin);
  if (!raw || typeof raw !== 'object') return base;
  const r = raw as Record<string, unknown>;
  const strip = (s: string) => s.replace(/\/+$/, '');
  return {
    apiBase: strip(str(r.apiBase) ?? base.apiBase),
    issuer: strip(str(r.issuer) ?? base.issuer),
    clientId: str(r.clientId) ?? base.clientId,
    scopes: str(r.scopes) ?? base.scopes,
    authorizationEndpoint: str(r.authorizationEndpoint),
    tokenEndpoint: str(r.tokenEndpoint),
    endSessionEndpoint: str(r.endSessionEndpoint),
    logout: r.logout === 'cognito' ? 'cognito' : 'oidc',
    stage: str(r.stage) ?? base.stage,
  };
}

/** Loads `/config.json`; an absent file (the SPA fallback answers HTML) means the defaults. */
export async function loadConfig(origin = location.origin): Promise<PortalConfig> {
  try {
    const res = await fetch('/config.json', { cache: 'no-store', headers: { accept: 'application/json' } });
    if (!res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return defaultConfig(origin);
    return mergeConfig(origin, await res.json());
  } catch {
    return defaultConfig(origin);
  }
}

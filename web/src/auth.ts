import type { PortalConfig } from './config.ts';
import { REAUTH_KEY, shouldSignInAgain } from './reauth.ts';

/**
 * Sign-in with the OIDC authorization code flow and PKCE (S256) against the
 * configured issuer. Tokens live in this module's memory only: a reload or
 * a new tab signs in again (the issuer's session makes that one click), and
 * no script injected later can read them from storage. sessionStorage holds
 * only the PKCE verifier, state and nonce for the length of the redirect.
 */
export interface Session {
  readonly accessToken: string;
  readonly idToken?: string;
  readonly expiresAt: number;
  readonly sub: string;
  readonly name?: string;
  readonly email?: string;
  readonly groups: readonly string[];
}

interface Endpoints {
  readonly authorization: string;
  readonly token: string;
  readonly endSession?: string;
}

interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  readonly nonce: string;
  readonly returnTo: string;
}

const PENDING_KEY = 'exam-site.pkce';
let session: Session | undefined;
const listeners = new Set<() => void>();

/** The signed-in session, if any and not expired. */
export function currentSession(): Session | undefined {
  if (session && session.expiresAt <= Date.now()) session = undefined;
  return session;
}

/** Called whenever the session starts or ends. */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function setSession(next: Session | undefined): void {
  session = next;
  for (const l of listeners) l();
}

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** RFC 7636 S256 challenge of a verifier. */
export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Claims of a JWT, unverified: the API verifies; the portal only shows the name. */
export function decodeJwt(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** Groups as Cognito or any issuer puts them (`cognito:groups`, `groups`). */
export function groupsOf(claims: Record<string, unknown>): string[] {
  const raw = claims['cognito:groups'] ?? claims.groups;
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw === 'string') return raw.split(/[\s,]+/).filter(Boolean);
  return [];
}

let endpointsCache: Promise<Endpoints> | undefined;

async function endpoints(config: PortalConfig): Promise<Endpoints> {
  if (config.authorizationEndpoint && config.tokenEndpoint) {
    return { authorization: config.authorizationEndpoint, token: config.tokenEndpoint, endSession: config.endSessionEndpoint };
  }
  endpointsCache ??= fetch(`${config.issuer}/.well-known/openid-configuration`)
    .then(async (res) => {
      if (!res.ok) throw new Error(`discovery ${res.status}`);
      const d = (await res.json()) as Record<string, string | undefined>;
      if (!d.authorization_endpoint || !d.token_endpoint) throw new Error('discovery document without endpoints');
      return { authorization: d.authorization_endpoint, token: d.token_endpoint, endSession: config.endSessionEndpoint ?? d.end_session_endpoint };
    })
    .catch((error: unknown) => {
      endpointsCache = undefined;
      throw error;
    });
  return endpointsCache;
}

function redirectUri(): string {
  return `${location.origin}/callback`;
}

/** Sends the browser to the issuer's sign-in page; comes back to `/callback`, then to `returnTo`. */
export async function signIn(config: PortalConfig, returnTo = location.pathname + location.search + location.hash): Promise<void> {
  const ep = await endpoints(config);
  const pending: PendingSignIn = { state: randomString(16), verifier: randomString(48), nonce: randomString(16), returnTo };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(ep.authorization);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scopes,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await pkceChallenge(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * The API refused the token (401): forgets the session and signs in again,
 * back to this page (see reauth.ts). Returns false, signing nobody in, when
 * it already did so less than a minute ago.
 */
export function signInAgain(config: PortalConfig): boolean {
  setSession(undefined);
  const now = Date.now();
  if (!shouldSignInAgain(sessionStorage.getItem(REAUTH_KEY), now)) return false;
  sessionStorage.setItem(REAUTH_KEY, String(now));
  void signIn(config);
  return true;
}

/**
 * Completes the sign-in on `/callback`: checks the state, exchanges the code
 * with the verifier, keeps the tokens in memory. Returns where to go next.
 */
export async function completeSignIn(config: PortalConfig, search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  if (params.get('error')) throw new Error(params.get('error_description') ?? params.get('error') ?? 'sign-in failed');
  const pending = raw ? (JSON.parse(raw) as PendingSignIn) : undefined;
  const code = params.get('code');
  if (!pending || !code || params.get('state') !== pending.state) throw new Error('sign-in state mismatch');
  const ep = await endpoints(config);
  const res = await fetch(ep.token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }).toString(),
  });
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  const tokens = (await res.json()) as { access_token?: string; id_token?: string; expires_in?: number };
  if (!tokens.access_token) throw new Error('no access token');
  const idClaims = tokens.id_token ? decodeJwt(tokens.id_token) : {};
  if (tokens.id_token && idClaims.nonce !== undefined && idClaims.nonce !== pending.nonce) throw new Error('nonce mismatch');
  const claims = { ...decodeJwt(tokens.access_token), ...idClaims };
  setSession({
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000 - 30_000,
    sub: String(claims.sub ?? ''),
    name: typeof claims.name === 'string' ? claims.name : undefined,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    groups: groupsOf(claims),
  });
  return pending.returnTo.startsWith('/') && !pending.returnTo.startsWith('/callback') ? pending.returnTo : '/';
}

/** Forgets the tokens and ends the issuer's session, coming back to the portal's home. */
export async function signOut(config: PortalConfig): Promise<void> {
  const idToken = session?.idToken;
  setSession(undefined);
  let ep: Endpoints | undefined;
  try {
    ep = await endpoints(config);
  } catch {
    ep = undefined;
  }
  if (!ep?.endSession) {
    location.assign('/');
    return;
  }
  const url = new URL(ep.endSession);
  const back = `${location.origin}/`;
  if (config.logout === 'cognito') {
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('logout_uri', back);
  } else {
    url.searchParams.set('post_logout_redirect_uri', back);
    url.searchParams.set('client_id', config.clientId);
    if (idToken) url.searchParams.set('id_token_hint', idToken);
  }
  location.assign(url.toString());
}

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { normaliseEmail, sameEmail } from '../../functions/domain/email-address.ts';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type CryptoKey } from 'jose';
import { nowMs } from '../../functions/shared/clock.ts';
import type { Group } from '../../functions/shared/identity.ts';

/** A user the local issuer can sign in. */
export interface LocalUser {
  readonly sub: string;
  readonly email: string;
  readonly name: string;
  readonly groups: readonly Group[];
  /** Shown on the login page. */
  readonly label: string;
}

/** The demo users `npm start` prints tokens for. */
export const DEMO_USERS: readonly LocalUser[] = [
  { sub: 'demo-applicant', email: 'manager@gdcv.edu.cn', name: '陈晓梅', groups: ['applicant'], label: '申请院校站点负责人 / Applicant (site manager)' },
  { sub: 'demo-reviewer', email: 'reviewer1@org.example', name: '李审核', groups: ['reviewer'], label: '审核员 / Reviewer' },
  { sub: 'demo-reviewer-2', email: 'reviewer2@org.example', name: '王考察', groups: ['reviewer'], label: '第二审核员 / Second reviewer' },
  { sub: 'demo-admin', email: 'admin@org.example', name: '赵管理', groups: ['admin'], label: '管理员 / Administrator' },
];

interface PendingCode {
  sub: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce?: string;
  expiresAt: number;
}

/** A sign-up the local issuer refuses (the page shows the message again beside the form). */
export class SignUpError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Thrown for OAuth errors; `error` is the RFC 6749 error code. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local OpenID Connect issuer (authorization code + PKCE, RS256 JWTs,
 * JWKS), on the virtual clock. Its tokens carry the claims a Cognito access
 * token carries (`sub`, `client_id`, `cognito:groups`, `token_use`), plus
 * `aud` so either check of the JWT authorizer passes.
 */
export class LocalIssuer {
  private privateKey!: CryptoKey;
  private publicJwk!: JWK;
  private readonly kid = randomBytes(8).toString('hex');
  private readonly users = new Map<string, LocalUser>();
  private readonly codes = new Map<string, PendingCode>();

  constructor(
    readonly issuerUrl: string,
    readonly audience: string,
    readonly tokenTtlSeconds = 3600,
  ) {
    for (const u of DEMO_USERS) this.users.set(u.sub, u);
  }

  async init(): Promise<this> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    this.privateKey = privateKey;
    this.publicJwk = { ...(await exportJWK(publicKey)), kid: this.kid, alg: 'RS256', use: 'sig' };
    return this;
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  discovery(): Record<string, unknown> {
    return {
      issuer: this.issuerUrl,
      authorization_endpoint: `${this.issuerUrl}/authorize`,
      token_endpoint: `${this.issuerUrl}/token`,
      jwks_uri: `${this.issuerUrl}/jwks.json`,
      end_session_endpoint: `${this.issuerUrl}/logout`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'email', 'profile'],
    };
  }

  listUsers(): LocalUser[] {
    return [...this.users.values()];
  }

  user(sub: string): LocalUser | undefined {
    return this.users.get(sub);
  }

  /** Adds (or replaces) a user, e.g. an invited site manager. */
  addUser(user: LocalUser): void {
    this.users.set(user.sub, user);
  }

  /**
   * Creates an account from the sign-in page, as a person invited by e-mail
   * would on the real issuer: a new `sub`, the `applicant` group (what the
   * Cognito post-confirmation trigger gives an invited sign-up), one account
   * per address. Locally nobody proves they own the address (no mail is
   * sent), so every address counts as verified; real issuers must verify
   * it, and the API only trusts `email_verified`.
   */
  signUp(input: { name: string; email: string }): LocalUser {
    const name = input.name.trim();
    const email = normaliseEmail(input.email);
    if (!name || name.length > 100) throw new SignUpError('请填写姓名（最多 100 个字符）。', 'Give your name (at most 100 characters).');
    if (!EMAIL_SHAPE.test(email) || email.length > 254) throw new SignUpError('邮箱地址格式不正确。', 'The e-mail address is not valid.');
    if ([...this.users.values()].some((u) => sameEmail(u.email, email))) {
      throw new SignUpError('该邮箱已有账号，请直接选择它登录。', 'This address already has an account: choose it to sign in.');
    }
    const user: LocalUser = { sub: `local-${randomUUID()}`, email, name, groups: ['applicant'], label: '本地注册用户 / Signed up locally' };
    this.users.set(user.sub, user);
    return user;
  }

  /**
   * Signs an access token for `sub`, valid `tokenTtlSeconds` on the virtual
   * clock. `options` serve the security tests: `claims` adds attributes a
   * user could set on itself (Cognito custom attributes, `email`), which the
   * API must not trust; `ttlSeconds` below zero makes a token already expired.
   */
  async issueToken(sub: string, tokenUse: 'access' | 'id' = 'access', nonce?: string, options: { claims?: Record<string, unknown>; ttlSeconds?: number } = {}): Promise<string> {
    const user = this.users.get(sub);
    if (!user) throw new OAuthError('invalid_request', `unknown user ${sub}`);
    const iat = Math.floor(nowMs() / 1000);
    return new SignJWT({
      ...options.claims,
      'cognito:groups': [...user.groups],
      email: user.email,
      email_verified: true,
      name: user.name,
      client_id: this.audience,
      token_use: tokenUse,
      scope: 'openid email profile',
      ...(nonce ? { nonce } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' })
      .setIssuer(this.issuerUrl)
      .setSubject(sub)
      .setAudience(this.audience)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + (options.ttlSeconds ?? this.tokenTtlSeconds))
      .setJti(randomBytes(12).toString('hex'))
      .sign(this.privateKey);
  }

  /** Records a sign-in chosen on the login page and returns the one-time code. */
  createCode(input: { sub: string; clientId: string; redirectUri: string; codeChallenge: string; codeChallengeMethod: string; nonce?: string }): string {
    if (!this.users.has(input.sub)) throw new OAuthError('access_denied', 'unknown user');
    if (input.clientId !== this.audience) throw new OAuthError('unauthorized_client', 'unknown client_id');
    if (input.codeChallengeMethod !== 'S256' || !/^[A-Za-z0-9_-]{43,128}$/.test(input.codeChallenge)) {
      throw new OAuthError('invalid_request', 'PKCE with S256 is required');
    }
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      sub: input.sub,
      clientId: input.clientId,
      redirectUri: input.redirectUri,
      codeChallenge: input.codeChallenge,
      nonce: input.nonce,
      expiresAt: nowMs() + 5 * 60_000,
    });
    return code;
  }

  /** Exchanges a code (single use, PKCE-checked) for tokens. */
  async exchangeCode(input: { code: string; codeVerifier: string; clientId: string; redirectUri: string }): Promise<Record<string, unknown>> {
    const pending = this.codes.get(input.code);
    this.codes.delete(input.code);
    if (!pending || pending.expiresAt < nowMs()) throw new OAuthError('invalid_grant', 'code unknown, used or expired');
    if (pending.clientId !== input.clientId || pending.redirectUri !== input.redirectUri) {
      throw new OAuthError('invalid_grant', 'client or redirect_uri mismatch');
    }
    const challenge = createHash('sha256').update(input.codeVerifier).digest('base64url');
    if (challenge !== pending.codeChallenge) throw new OAuthError('invalid_grant', 'PKCE verification failed');
    return {
      access_token: await this.issueToken(pending.sub, 'access'),
      id_token: await this.issueToken(pending.sub, 'id', pending.nonce),
      token_type: 'Bearer',
      expires_in: this.tokenTtlSeconds,
    };
  }
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from './s3-error.ts';

/** The one key pair the local S3 accepts, and the region its bucket lives in. */
export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** Who signed a request, as far as the event's `requester` field needs it. */
export interface VerifiedCaller {
  accessKeyId: string;
  /** `header`, `query` (presigned URL) or `post` (POST policy). */
  mechanism: 'header' | 'query' | 'post';
  /** The declared payload hash (`x-amz-content-sha256`) to check against the body, if any. */
  payloadSha256?: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** S3 refuses header-signed requests whose x-amz-date is further than this from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

/** The SigV4 signing key for one day, region and service (`kSigning`). */
export function signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, shortDate);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, 'aws4_request');
}

/** Hex HMAC-SHA256 of `data` under `key`: the signature of a string to sign or a POST policy. */
export function hexHmac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data, 'utf8').digest('hex');
}

/** Compares two hex signatures in constant time. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Parses `yyyyMMddTHHmmssZ` into epoch ms (NaN when malformed). */
export function parseAmzDate(text: string | undefined): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

/** `<key>/<yyyyMMdd>/<region>/<service>/aws4_request`, split and checked. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

/** Parses a credential; returns undefined when it is not five slash-separated parts ending in aws4_request. */
export function parseCredential(text: string): CredentialScope | undefined {
  const parts = text.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (!/^\d{8}$/.test(date)) return undefined;
  return { accessKeyId, date, region, service };
}

/** RFC 3986 encoding as SigV4 wants it (everything but unreserved characters). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The canonical URI of a raw request path: each segment decoded and re-encoded once (S3 does not normalise). */
export function canonicalUri(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => uriEncode(safeDecode(segment)))
    .join('/');
}

/** Raw query pairs, decoded, in arrival order. */
export function parseQuery(rawQuery: string): [string, string][] {
  if (!rawQuery) return [];
  return rawQuery
    .split('&')
    .filter((p) => p.length > 0)
    .map((pair) => {
      const i = pair.indexOf('=');
      return i < 0 ? [safeDecode(pair), ''] : [safeDecode(pair.slice(0, i)), safeDecode(pair.slice(i + 1))];
    });
}

function canonicalQuery(pairs: [string, string][]): string {
  return pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function canonicalHeaders(headers: IncomingHttpHeaders, signed: string[]): string {
  return signed
    .map((name) => {
      const raw = headers[name];
      const value = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
      return `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
}

interface SignedRequestParts {
  method: string;
  rawPath: string;
  query: [string, string][];
  headers: IncomingHttpHeaders;
  signedHeaders: string[];
  payloadHash: string;
  amzDate: string;
  scope: CredentialScope;
}

/** The signature S3 would compute for a request with these parts. */
function expectedSignature(parts: SignedRequestParts, secret: string): { signature: string; stringToSign: string; canonicalRequest: string } {
  const canonicalRequest = [
    parts.method,
    canonicalUri(parts.rawPath),
    canonicalQuery(parts.query),
    canonicalHeaders(parts.headers, parts.signedHeaders),
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
  const scope = `${parts.scope.date}/${parts.scope.region}/${parts.scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, parts.amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const key = signingKey(secret, parts.scope.date, parts.scope.region, parts.scope.service);
  return { signature: hexHmac(key, stringToSign), stringToSign, canonicalRequest };
}

function mismatch(accessKeyId: string, provided: string, stringToSign: string, canonicalRequest: string): S3Error {
  return new S3Error(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    {
      AWSAccessKeyId: accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: provided,
      StringToSignBytes: hexBytes(stringToSign),
      CanonicalRequest: canonicalRequest,
      CanonicalRequestBytes: hexBytes(canonicalRequest),
    },
  );
}

/** Space-separated lower-case hex bytes, as S3 prints StringToSignBytes. */
export function hexBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

function checkScope(scope: CredentialScope | undefined, creds: LocalCredentials, where: 'header' | 'query'): CredentialScope {
  if (!scope) {
    throw where === 'header'
      ? new S3Error('AuthorizationHeaderMalformed', 'The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".')
      : new S3Error('AuthorizationQueryParametersError', 'Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  if (scope.accessKeyId !== creds.accessKeyId) {
    throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: scope.accessKeyId });
  }
  if (scope.region !== creds.region) {
    const message = `the region '${scope.region}' is wrong; expecting '${creds.region}'`;
    throw where === 'header'
      ? new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${message}`, { Region: creds.region })
      : new S3Error('AuthorizationQueryParametersError', `Error parsing the X-Amz-Credential parameter; ${message}`, { Region: creds.region });
  }
  if (scope.service !== 's3') {
    throw new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; incorrect service "${scope.service}". This endpoint belongs to "s3".`);
  }
  return scope;
}

/** The request as the verifier needs it: method, raw path and query, headers. */
export interface RawRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
}

/**
 * Verifies a SigV4 request the way S3 does: an `Authorization` header
 * (skew against `nowMs`, x-amz-content-sha256 required) or a presigned query
 * (`X-Amz-Expires` against `nowMs`). Throws the S3Error S3 would answer with;
 * returns undefined for an anonymous request (no auth at all).
 */
export function verifyRequest(req: RawRequest, creds: LocalCredentials, nowMs: number): VerifiedCaller | undefined {
  const query = parseQuery(req.rawQuery);
  const hasQueryAuth = query.some(([k]) => k === 'X-Amz-Algorithm' || k === 'X-Amz-Signature');
  const authorization = req.headers.authorization;
  if (authorization && hasQueryAuth) {
    throw new S3Error('InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', {
      ArgumentName: 'Authorization',
      ArgumentValue: authorization,
    });
  }
  if (authorization) return verifyHeaderAuth(req, authorization, query, creds, nowMs);
  if (hasQueryAuth) return verifyQueryAuth(req, query, creds, nowMs);
  return undefined;
}

function verifyHeaderAuth(req: RawRequest, authorization: string, query: [string, string][], creds: LocalCredentials, nowMs: number): VerifiedCaller {
  const [algorithm, ...rest] = authorization.trim().split(/\s+/);
  if (algorithm !== ALGORITHM) {
    throw new S3Error('InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: authorization });
  }
  const components = new Map(
    rest
      .join('')
      .split(',')
      .map((c) => {
        const i = c.indexOf('=');
        return [c.slice(0, i).trim(), c.slice(i + 1).trim()] as [string, string];
      }),
  );
  const credential = components.get('Credential');
  const signedHeadersText = components.get('SignedHeaders');
  const provided = components.get('Signature');
  if (!credential || !signedHeadersText || !provided) {
    throw new S3Error('AuthorizationHeaderMalformed', 'The authorization header is malformed; the authorization header requires three components: Credential, SignedHeaders, and Signature.');
  }
  const scope = checkScope(parseCredential(credential), creds, 'header');
  const payloadHash = firstHeader(req.headers['x-amz-content-sha256']);
  if (!payloadHash) throw new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  if (!/^(UNSIGNED-PAYLOAD|STREAMING-[A-Z0-9-]+|[0-9a-fA-F]{64})$/.test(payloadHash)) {
    throw new S3Error('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.', {
      ArgumentName: 'x-amz-content-sha256',
      ArgumentValue: payloadHash,
    });
  }
  const amzDate = firstHeader(req.headers['x-amz-date']);
  const requestTime = parseAmzDate(amzDate);
  if (Number.isNaN(requestTime)) throw new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (Math.abs(nowMs - requestTime) > MAX_SKEW_MS) {
    throw new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: amzDate ?? '',
      ServerTime: new Date(nowMs).toISOString().replace(/\.\d+Z$/, 'Z'),
      MaxAllowedSkewMilliseconds: MAX_SKEW_MS,
    });
  }
  const signedHeaders = signedHeadersText.split(';').map((h) => h.toLowerCase());
  if (!signedHeaders.includes('host')) {
    throw new S3Error('AuthorizationHeaderMalformed', 'The authorization header is malformed; SignedHeaders must include host.');
  }
  const expected = expectedSignature({ method: req.method, rawPath: req.rawPath, query, headers: req.headers, signedHeaders, payloadHash, amzDate: amzDate ?? '', scope }, creds.secretAccessKey);
  if (!sameSignature(expected.signature, provided)) throw mismatch(scope.accessKeyId, provided, expected.stringToSign, expected.canonicalRequest);
  return { accessKeyId: scope.accessKeyId, mechanism: 'header', payloadSha256: /^[0-9a-fA-F]{64}$/.test(payloadHash) ? payloadHash.toLowerCase() : undefined };
}

function verifyQueryAuth(req: RawRequest, query: [string, string][], creds: LocalCredentials, nowMs: number): VerifiedCaller {
  const get = (name: string) => query.find(([k]) => k === name)?.[1];
  if (get('X-Amz-Algorithm') !== ALGORITHM) {
    throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const credential = get('X-Amz-Credential');
  const amzDate = get('X-Amz-Date');
  const expiresText = get('X-Amz-Expires');
  const signedHeadersText = get('X-Amz-SignedHeaders');
  const provided = get('X-Amz-Signature');
  if (credential === undefined || amzDate === undefined || expiresText === undefined || signedHeadersText === undefined || provided === undefined) {
    throw new S3Error('AuthorizationQueryParametersError', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  const scope = checkScope(parseCredential(credential), creds, 'query');
  const requestTime = parseAmzDate(amzDate);
  if (Number.isNaN(requestTime)) {
    throw new S3Error('AuthorizationQueryParametersError', "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  const expires = Number(expiresText);
  if (!Number.isInteger(expires) || expires < 0) throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires must be non-negative');
  if (expires > MAX_PRESIGN_SECONDS) {
    throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds');
  }
  const expiresAt = requestTime + expires * 1000;
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  if (nowMs > expiresAt) {
    throw new S3Error('AccessDenied', 'Request has expired', { 'X-Amz-Expires': expiresText, Expires: iso(expiresAt), ServerTime: iso(nowMs) });
  }
  if (requestTime - nowMs > MAX_SKEW_MS) {
    throw new S3Error('AccessDenied', 'Request is not valid yet', { 'X-Amz-Date': amzDate, ServerTime: iso(nowMs) });
  }
  const signedHeaders = signedHeadersText.split(';').map((h) => h.toLowerCase());
  const payloadHash = get('X-Amz-Content-Sha256') ?? firstHeader(req.headers['x-amz-content-sha256']) ?? 'UNSIGNED-PAYLOAD';
  const expected = expectedSignature(
    { method: req.method, rawPath: req.rawPath, query: query.filter(([k]) => k !== 'X-Amz-Signature'), headers: req.headers, signedHeaders, payloadHash, amzDate, scope },
    creds.secretAccessKey,
  );
  if (!sameSignature(expected.signature, provided)) throw mismatch(scope.accessKeyId, provided, expected.stringToSign, expected.canonicalRequest);
  return { accessKeyId: scope.accessKeyId, mechanism: 'query' };
}

/** The first value of a header that may repeat. */
export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

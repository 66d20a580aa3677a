import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';

/**
 * The one logger: Powertools for AWS Lambda Logger (structured JSON with the
 * Lambda context, the cold-start flag, the X-Ray trace id and a
 * `correlation_id` on every line). Never pass raw events, task tokens,
 * upload policies or personal data to it; as a second line of defence, the
 * replacer below masks what must never reach CloudWatch even when a caller
 * slips: secret-named fields, JWTs, Step Functions task tokens and PRC ID
 * numbers (PIPL).
 */

/** Fields whose value is a secret whatever it looks like. */
const SECRET_KEYS = new Set(
  ['taskToken', 'token', 'idToken', 'accessToken', 'refreshToken', 'authorization', 'cookie', 'password', 'secret', 'policy', 'signature', 'idNumber', 'idCardNumber', 'x-amz-signature'].map((k) =>
    k.toLowerCase(),
  ),
);
/** A JWT (header.payload.signature, base64url, header starting `{"`). */
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** An 18-character PRC resident ID number (GB 11643: region, birth date, sequence, check character). */
const ID_NUMBER = /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
/** A Step Functions task token or another opaque credential: a long unbroken base64 run. */
const OPAQUE_TOKEN = /[A-Za-z0-9+/=_-]{160,}/g;

export const REDACTED = '[redacted]';

/** Masks what must never be logged; used as the JSON replacer of every log line. */
export function redact(key: string, value: unknown): unknown {
  if (key && SECRET_KEYS.has(key.toLowerCase()) && value !== undefined && value !== null && value !== '') return REDACTED;
  if (typeof value !== 'string') return value;
  return value.replace(JWT, REDACTED).replace(ID_NUMBER, REDACTED).replace(OPAQUE_TOKEN, REDACTED);
}

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'exam-site',
  jsonReplacerFn: redact,
});

/** Sets the correlation id of the current invocation (API request id, execution name, SQS message id). */
export function setCorrelationId(id: string | undefined): void {
  if (id) logger.setCorrelationId(id);
  else logger.removeKeys(['correlation_id']);
}

/** Adds the Lambda context and cold-start flag to every line of an invocation; keys appended during it are dropped after it. */
export function loggerContext() {
  return injectLambdaContext(logger, { resetKeys: true });
}

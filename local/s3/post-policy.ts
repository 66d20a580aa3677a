import { S3Error } from './s3-error.ts';
import { hexBytes, hexHmac, parseCredential, sameSignature, signingKey, type LocalCredentials } from './sigv4.ts';

/** One form field as sent, before the `file` part. */
export interface FormField {
  name: string;
  value: string;
}

/** What a verified POST may store: the expanded fields and the limits the policy set. */
export interface PostPlan {
  key: string;
  /** Inclusive bounds from `content-length-range` (0..Infinity when absent). */
  minSize: number;
  maxSize: number;
  /** Expanded field values by lower-case name (duplicates joined with commas, as S3 does). */
  fields: Map<string, string>;
  successStatus: 200 | 201 | 204;
  redirect?: string;
  accessKeyId: string;
}

/** Inputs of a POST policy check: the form before the file, the URL's bucket and the time. */
export interface PostPolicyInput {
  fields: FormField[];
  bucket: string;
  /** The file part's filename, for `${filename}` (undefined when the part had none). */
  filename: string | undefined;
  creds: LocalCredentials;
  nowMs: number;
}

/** Fields S3 does not require a condition for (SigV4 form). */
const EXEMPT = new Set(['x-amz-signature', 'file', 'policy']);

type Condition =
  | { op: 'eq' | 'starts-with'; field: string; printedField: string; value: string; printedOp: string; valid: boolean }
  | { op: 'content-length-range'; min: number; max: number; printed: string; valid: boolean };

/**
 * Checks a browser POST against its policy in S3's order: required fields,
 * credential, signature over the base64 policy as sent, policy document,
 * expiration (on the caller's clock), conditions, uncovered fields. Throws
 * the S3Error S3 answers with; returns the plan for storing the file.
 * The size range is returned, not checked: the file has not been read yet.
 */
export function checkPostPolicy(input: PostPolicyInput): PostPlan {
  const fields = collectFields(input.fields, input.filename);
  const get = (name: string) => fields.get(name)?.value;

  const authFields = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature', 'policy'];
  if (authFields.every((f) => get(f) === undefined)) throw new S3Error('AccessDenied', 'Access Denied');
  for (const [name, printed] of [
    ['x-amz-algorithm', 'X-Amz-Algorithm'],
    ['x-amz-credential', 'X-Amz-Credential'],
    ['x-amz-date', 'X-Amz-Date'],
    ['x-amz-signature', 'X-Amz-Signature'],
    ['policy', 'Policy'],
  ] as const) {
    if (get(name) === undefined) throw missingField(printed);
  }
  const key = get('key');
  if (key === undefined) throw missingField('key');

  const algorithm = get('x-amz-algorithm') as string;
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    throw new S3Error('InvalidArgument', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', { ArgumentName: 'X-Amz-Algorithm', ArgumentValue: algorithm });
  }
  const credentialText = get('x-amz-credential') as string;
  const scope = parseCredential(credentialText);
  if (!scope || scope.service !== 's3') {
    throw new S3Error('InvalidArgument', 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".', { ArgumentName: 'X-Amz-Credential', ArgumentValue: credentialText });
  }
  if (!scope.accessKeyId) {
    throw new S3Error('InvalidArgument', 'a non-empty Access Key (AKID) must be provided in the credential.', { ArgumentName: 'X-Amz-Credential', ArgumentValue: credentialText });
  }
  if (scope.accessKeyId !== input.creds.accessKeyId) {
    throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: scope.accessKeyId });
  }
  if (scope.region !== input.creds.region) {
    throw new S3Error('InvalidArgument', `the region '${scope.region}' is wrong; expecting '${input.creds.region}'`, {
      ArgumentName: 'X-Amz-Credential',
      ArgumentValue: credentialText,
      Region: input.creds.region,
    });
  }
  const amzDate = get('x-amz-date') as string;
  if (!/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw new S3Error('InvalidArgument', 'X-Amz-Date must be formated via ISO8601 Long format', { ArgumentName: 'X-Amz-Date', ArgumentValue: amzDate });
  }

  // The signature covers the base64 text exactly as sent, so it is checked before the policy is decoded.
  const policyB64 = get('policy') as string;
  const provided = get('x-amz-signature') as string;
  const expected = hexHmac(signingKey(input.creds.secretAccessKey, scope.date, scope.region, 's3'), policyB64);
  if (!sameSignature(expected, provided)) {
    throw new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      AWSAccessKeyId: scope.accessKeyId,
      StringToSign: policyB64,
      SignatureProvided: provided,
      StringToSignBytes: hexBytes(policyB64),
    });
  }

  const { expiresAt, conditions } = parsePolicy(policyB64);
  if (input.nowMs > expiresAt) throw new S3Error('AccessDenied', 'Invalid according to Policy: Policy expired.');

  let minSize = 0;
  let maxSize = Number.POSITIVE_INFINITY;
  const covered = new Set<string>();
  for (const condition of conditions) {
    if (condition.op === 'content-length-range') {
      if (!condition.valid) throw conditionFailed(condition.printed);
      minSize = Math.max(minSize, condition.min);
      maxSize = Math.min(maxSize, condition.max);
      continue;
    }
    covered.add(condition.field);
    const printed = `[${[condition.printedOp, condition.printedField, condition.value].map((v) => JSON.stringify(v)).join(', ')}]`;
    const actual = condition.field === 'bucket' ? input.bucket : get(condition.field);
    if (!condition.valid || actual === undefined || !matches(condition.op, condition.field, actual, condition.value)) throw conditionFailed(printed);
  }
  for (const [name, { printedName }] of fields) {
    if (EXEMPT.has(name) || name.startsWith('x-ignore-') || covered.has(name)) continue;
    throw new S3Error('AccessDenied', `Invalid according to Policy: Extra input fields: ${printedName}`);
  }

  if (key.length === 0) throw new S3Error('InvalidArgument', 'User key must have a length greater than 0.', { ArgumentName: 'key', ArgumentValue: '' });
  const status = get('success_action_status');
  const redirect = get('success_action_redirect') ?? get('redirect');
  const plain = new Map([...fields].map(([k, v]) => [k, v.value]));
  return {
    key,
    minSize,
    maxSize,
    fields: plain,
    successStatus: status === '200' ? 200 : status === '201' ? 201 : 204,
    redirect: redirect && /^https?:\/\//i.test(redirect) ? redirect : undefined,
    accessKeyId: scope.accessKeyId,
  };
}

function collectFields(list: FormField[], filename: string | undefined): Map<string, { value: string; printedName: string }> {
  // "If the browser or client provides a full or partial path to the file, only the text following the last slash (/) or backslash (\) is used"
  const base = filename === undefined ? undefined : filename.split(/[\\/]/).pop() ?? '';
  const map = new Map<string, { value: string; printedName: string }>();
  for (const { name, value } of list) {
    const lower = name.toLowerCase();
    const expanded = base === undefined ? value : value.split('${filename}').join(base);
    const previous = map.get(lower);
    map.set(lower, previous ? { value: `${previous.value},${expanded}`, printedName: previous.printedName } : { value: expanded, printedName: name });
  }
  return map;
}

function matches(op: 'eq' | 'starts-with', field: string, actual: string, expected: string): boolean {
  if (op === 'eq') return actual === expected;
  // "Content-Types values for a starts-with condition that include commas are interpreted as lists."
  if (field === 'content-type' && actual.includes(',')) return actual.split(',').every((part) => part.trim().startsWith(expected));
  return actual.startsWith(expected);
}

function missingField(printed: string): S3Error {
  return new S3Error('InvalidArgument', `Bucket POST must contain a field named '${printed}'.  If it is specified, please check the order of the fields.`, {
    ArgumentName: printed,
    ArgumentValue: '',
  });
}

function conditionFailed(printed: string): S3Error {
  return new S3Error('AccessDenied', `Invalid according to Policy: Policy Condition failed: ${printed}`);
}

function invalidPolicy(reason: string): S3Error {
  return new S3Error('InvalidPolicyDocument', `Invalid Policy: ${reason}`);
}

function parsePolicy(policyB64: string): { expiresAt: number; conditions: Condition[] } {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(policyB64.replace(/\s+/g, ''))) throw invalidPolicy('invalid Base64 encoding.');
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(policyB64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidPolicy('Invalid JSON.');
  const record = doc as Record<string, unknown>;
  for (const member of Object.keys(record)) {
    if (member !== 'expiration' && member !== 'conditions') throw invalidPolicy(`Unexpected: '${member.toLowerCase()}'`);
  }
  if (record.expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  const expiration = record.expiration;
  const expiresAt =
    typeof expiration === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(expiration) ? Date.parse(expiration) : Number.NaN;
  if (Number.isNaN(expiresAt)) throw invalidPolicy(`Invalid 'expiration' value: '${String(expiration)}'`);
  if (record.conditions === undefined) throw invalidPolicy('Policy missing conditions.');
  if (!Array.isArray(record.conditions)) throw invalidPolicy("Invalid 'conditions' value: must be a List.");
  return { expiresAt, conditions: record.conditions.map(parseCondition) };
}

function parseCondition(raw: unknown): Condition {
  if (Array.isArray(raw)) {
    if (raw.length === 0 || typeof raw[0] !== 'string') throw invalidPolicy('Invalid Condition: missing operation identifier.');
    const printedOp = raw[0];
    const op = printedOp.toLowerCase();
    if (op === 'content-length-range') {
      if (raw.length !== 3) throw invalidPolicy('Invalid content-length-range: wrong number of arguments.');
      const [min, max] = [toBound(raw[1]), toBound(raw[2])];
      const printed = `[${raw.map((v) => JSON.stringify(v)).join(', ')}]`;
      return { op, min: min ?? 0, max: max ?? -1, printed, valid: min !== undefined && max !== undefined && min <= max };
    }
    if (op !== 'eq' && op !== 'starts-with') throw invalidPolicy(`Invalid Condition: unknown operation '${printedOp}'.`);
    if (raw.length !== 3) throw invalidPolicy(`Invalid ${printedOp}: wrong number of arguments.`);
    const [, target, value] = raw as [string, unknown, unknown];
    if (typeof target !== 'string' || typeof value !== 'string') throw invalidPolicy('Invalid JSON.');
    // A name without the `$` never matches a field: S3 answers "Policy Condition failed".
    const valid = target.startsWith('$');
    return { op, field: (valid ? target.slice(1) : target).toLowerCase(), printedField: target, value, printedOp, valid };
  }
  if (typeof raw === 'object' && raw !== null) {
    const entries = Object.entries(raw);
    if (entries.length !== 1) throw invalidPolicy('Invalid Simple-Condition: Simple-Conditions must have exactly one property specified.');
    const [name, value] = entries[0] as [string, unknown];
    if (typeof value !== 'string') throw invalidPolicy('Invalid Simple-Condition: value must be a string.');
    return { op: 'eq', field: name.toLowerCase(), printedField: `$${name}`, value, printedOp: 'eq', valid: true };
  }
  throw invalidPolicy('Invalid condition test: must be a List or Object.');
}

function toBound(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  if (typeof value === 'number') throw invalidPolicy('Invalid JSON.');
  return undefined;
}

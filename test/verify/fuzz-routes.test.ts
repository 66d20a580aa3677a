import { writeFileSync, mkdirSync } from 'node:fs';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, type RouteSpec } from '../../functions/catalog.ts';
import { installTimeSource } from '../../functions/shared/clock.ts';
import { resetConfigCache } from '../../functions/shared/env.ts';
import type { HttpEvent } from '../../functions/shared/http.ts';
import { putItem } from '../../functions/adapters/stores/table.ts';
import { APP_ID, APPLICANT, CREDIT_CODE, application, membership } from '../unit/evidence/fixtures.ts';
import { lambdaContext } from '../unit/evidence/helpers.ts';
import { loadRouteHandlers, setInProcessEnv, stubOtherAwsClients, type HttpHandler } from '../support/in-process.ts';
import { seedSite } from '../support/site-operations.ts';
import { useTestTable } from '../support/table.ts';

/**
 * Issue 12 (fuzzing): every route of the catalogue, invoked in-process with
 * generated invalid input — bodies, path parameters, query strings, headers —
 * as callers of every role. No answer is a 5xx; every 4xx carries a stable
 * UPPER_SNAKE `code` and a message in zh-CN and English; no input pollutes
 * `Object.prototype`. Seeded (FUZZ_SEED, default 1212): a failure prints the
 * seed and path that reproduce it. FUZZ_RUNS cases per route (50 inside
 * `npm test`; `npm run verify` runs 1,000).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const SEED = Number(process.env.FUZZ_SEED ?? 1212);
const NOW = Date.parse('2025-06-01T08:00:00.000Z');
const SITE_ID = '01JSITE00000000000000000FZ';

setInProcessEnv();

useTestTable({ clear: 'once' });
// Every other AWS service is stubbed (each call answers `undefined`): only refusals are under test here.
const aws = stubOtherAwsClients();
// A started workflow answers as Step Functions does (a withdrawal or a revocation a fuzzed request happens to open starts one).
aws.sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws-cn:states:cn-north-1:000000000000:execution:fuzz:run', startDate: new Date(NOW) });

type Handler = HttpHandler;
let handlers = new Map<string, Handler>();

// ── generators ──────────────────────────────────────────────────────────────

interface Who {
  readonly label: string;
  readonly sub?: string;
  readonly groups: string;
}

/** Callers of every role: a member of the seeded institution, an applicant of none, staff, anonymous, forged groups. */
const callerArb: fc.Arbitrary<Who> = fc.constantFrom<Who>(
  { label: 'member', sub: APPLICANT, groups: '[applicant]' },
  { label: 'stranger', sub: 'applicant-sub-9', groups: '[applicant]' },
  { label: 'reviewer', sub: 'reviewer-sub-1', groups: '[reviewer]' },
  { label: 'admin', sub: 'admin-sub-1', groups: '[admin]' },
  { label: 'anonymous', groups: '[]' },
  { label: 'forged', sub: 'x', groups: '["admin"' },
);

/** Strings meant to break parsers, keys and queries. */
const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%',
    '%E0%A4%A',
    '%00',
    '\u0000',
    "' OR '1'='1' --",
    '{"$ne":null}',
    '$where',
    '__proto__',
    'constructor',
    'APP#x#EVIDENCE',
    '🀄️申请表',
    '\u202Eexe.pdf',
    'NaN',
    '-1',
    '1e309',
    '9'.repeat(400),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.nat(1024).map((n) => 'a'.repeat(n + 1024)),
);

/** A path parameter: the seeded record's id (to reach validation) or something hostile. */
function paramArb(name: string): fc.Arbitrary<string> {
  const valid = name === 'applicationId' ? APP_ID : name === 'siteId' ? SITE_ID : undefined;
  return valid ? fc.oneof({ arbitrary: fc.constant(valid), weight: 3 }, { arbitrary: hostileString, weight: 2 }) : hostileString;
}

const deepNesting = fc.nat(3000).map((n) => JSON.stringify(JSON.parse('['.repeat(n + 1) + ']'.repeat(n + 1))));
const pollution = fc.constantFrom(
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"kind":"policies","__proto__":{"isAdmin":true},"fields":{"__proto__":{"polluted":true}}}',
);
const fieldNames = fc.constantFrom(
  'kind', 'fileName', 'contentType', 'size', 'sha256', 'sealConfirmed', 'decision', 'outcome', 'reason', 'comment', 'form', 'email', 'creditCode',
  'name', 'groups', 'role', 'startsAt', 'endsAt', 'room', 'rooms', 'candidates', 'deadline', 'campaignId', 'year', 'summary', 'items', 'marks',
  'status', 'version', 'assigneeSub', 'rows', 'csv', 'token', 'trainings', 'date', 'text', 'findings',
);
/** JSON objects with the fields handlers read, holding values of the wrong type. */
const wrongTypes = fc.dictionary(fieldNames, fc.oneof(fc.jsonValue({ maxDepth: 3 }), hostileString), { maxKeys: 8 }).map((o) => JSON.stringify(o));

/** A body as sent; `huge` stands for a JSON body of that many characters per field (built when sent, so a counterexample prints short). */
interface BodyCase {
  readonly body?: string;
  readonly base64?: boolean;
  readonly huge?: number;
}

const bodyArb: fc.Arbitrary<BodyCase> = fc.oneof(
  fc.constant({}),
  fc.string({ maxLength: 60 }).map((body) => ({ body })),
  fc.constantFrom('{', 'null', 'true', '[]', '"x"', '0', '{"a":}', '\uFEFF{}', 'undefined').map((body) => ({ body })),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ body: JSON.stringify(v) ?? 'null' })),
  wrongTypes.map((body) => ({ body })),
  deepNesting.map((body) => ({ body })),
  pollution.map((body) => ({ body })),
  fc.nat(300_000).map((huge) => ({ huge })),
  fc.string({ maxLength: 30 }).map((body) => ({ body, base64: true })),
);

const queryArb = fc.option(
  fc.dictionary(
    fc.oneof(fc.constantFrom('limit', 'cursor', 'status', 'q', 'province', 'year', 'kind', 'from', 'to', 'format', 'campaignId', '__proto__'), fc.string({ maxLength: 10 })),
    hostileString,
    { maxKeys: 4 },
  ),
  { nil: undefined },
);

const headersArb = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '', 'application/json; charset=gbk'),
    'idempotency-key': fc.oneof(hostileString, fc.uuid()),
    'if-none-match': fc.constantFrom('*', 'W/"x"', '"', ''),
    'if-match': hostileString,
  },
  { requiredKeys: [] },
);

interface Case {
  readonly who: Who;
  readonly params: Record<string, string>;
  readonly body: BodyCase;
  readonly query?: Record<string, string>;
  readonly headers: Record<string, string>;
}

function caseArb(route: RouteSpec): fc.Arbitrary<Case> {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const params = fc.record(Object.fromEntries(names.map((n) => [n, paramArb(n)])) as Record<string, fc.Arbitrary<string>>);
  return fc.record({ who: callerArb, params, body: bodyArb, query: queryArb, headers: headersArb });
}

let requestCounter = 0;

function eventOf(route: RouteSpec, c: Case): HttpEvent {
  requestCounter += 1;
  let path = route.path;
  for (const [k, v] of Object.entries(c.params)) path = path.replace(`{${k}}`, encodeURIComponent(v));
  const claims: Record<string, string> = { 'cognito:groups': c.who.groups };
  if (c.who.sub) claims.sub = c.who.sub;
  return {
    version: '2.0',
    routeKey: `${route.method} ${route.path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(c.query ?? {}).toString(),
    headers: c.headers,
    queryStringParameters: c.query,
    isBase64Encoded: c.body.base64 === true,
    pathParameters: c.params,
    body: c.body.huge === undefined ? c.body.body : JSON.stringify({ kind: 'x'.repeat(c.body.huge), fileName: 'y'.repeat(c.body.huge), reason: 'z'.repeat(c.body.huge) }),
    requestContext: {
      requestId: `fuzz-${requestCounter}`,
      http: { method: route.method, path },
      authorizer: route.auth === 'jwt' ? { jwt: { claims, scopes: [] } } : undefined,
    },
  } as unknown as HttpEvent;
}

// ── the property ────────────────────────────────────────────────────────────

interface Tally {
  cases: number;
  ok: number;
  byCode: Map<string, number>;
  fiveXx: number;
}
const tallies = new Map<string, Tally>();

const UPPER_SNAKE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

async function check(route: RouteSpec, handler: Handler, c: Case, tally: Tally): Promise<void> {
  const result = await handler(eventOf(route, c), lambdaContext);
  tally.cases += 1;
  const status = result.statusCode ?? 200;
  if (status >= 500) tally.fiveXx += 1;
  expect(status, `${route.method} ${route.path} answered ${status}: ${String(result.body).slice(0, 300)}`).toBeLessThan(500);
  expect(({} as Record<string, unknown>).polluted, 'Object.prototype polluted').toBeUndefined();
  if (status < 400) {
    tally.ok += 1;
    return;
  }
  const body = JSON.parse(String(result.body)) as { code?: unknown; message?: { zh?: unknown; en?: unknown } };
  expect(body.code, `${route.method} ${route.path} ${status} without a stable code: ${String(result.body).slice(0, 300)}`).toMatch(UPPER_SNAKE);
  expect(typeof body.message?.zh === 'string' && body.message.zh.length > 0, `no zh message: ${String(result.body).slice(0, 300)}`).toBe(true);
  expect(typeof body.message?.en === 'string' && body.message.en.length > 0, `no en message: ${String(result.body).slice(0, 300)}`).toBe(true);
  const key = `${status} ${String(body.code)}`;
  tally.byCode.set(key, (tally.byCode.get(key) ?? 0) + 1);
}

describe(`every API route under generated invalid input (${RUNS} cases per route, seed ${SEED})`, () => {
  beforeAll(async () => {
    installTimeSource({ now: () => NOW });
    resetConfigCache();
    handlers = await loadRouteHandlers();
    await putItem(application('DRAFT'));
    await putItem(membership(APPLICANT, CREDIT_CODE));
    await seedSite(SITE_ID, CREDIT_CODE, '2025-01-15T00:00:00.000Z');
  });

  afterAll(() => {
    installTimeSource(undefined);
    // Left for `npm run verify` (and `npm run verify -- --report` after `npm test`).
    mkdirSync('.local', { recursive: true });
    const rows = [...tallies].map(([route, t]) => ({ route, cases: t.cases, ok: t.ok, fiveXx: t.fiveXx, byCode: Object.fromEntries(t.byCode) }));
    writeFileSync(process.env.FUZZ_REPORT ?? '.local/verify-fuzz.json', JSON.stringify({ seed: SEED, runs: RUNS, rows }, null, 2));
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s', async (label, route) => {
    const handler = handlers.get(route.fn);
    if (!handler) throw new Error(`no handler for ${route.fn}`);
    const tally: Tally = { cases: 0, ok: 0, byCode: new Map(), fiveXx: 0 };
    tallies.set(label, tally);
    await fc.assert(
      fc.asyncProperty(caseArb(route), (c) => check(route, handler, c, tally)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, Math.max(60_000, RUNS * 200));
});

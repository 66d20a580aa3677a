import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DemoInstitution, DemoScenario } from '../../local/demo-scenario.ts';
import type { LocalStack } from '../../local/stack.ts';
import { verifyReport } from '../support/verify-report.ts';

/**
 * Issue 12 (security): the one list of the security checks. Checks that no
 * other test makes run here, through the whole local stack (the gateway
 * verifies JWTs as API Gateway's JWT authorizer does; handlers, workflows,
 * S3, SES and EventBridge are the local ones): forged and `alg: none` JWTs,
 * wrong roles, institution A against B's records whatever its token's
 * self-set attributes say, decision links replayed, taken by another
 * reviewer or opened with GET, the product's own presigned POST misused, and
 * no secret in any log line, event or e-mail of an accreditation and a
 * session with candidates. Checks made elsewhere are listed in
 * {@link ELSEWHERE} with the file and test name that make them, and that
 * mapping is itself checked, so the list cannot rot.
 */

// Every handler line is captured, down to debug, before the one logger is made (local/log-level.ts).
process.env.LOG_LEVEL = 'DEBUG';
const captured: string[] = [];
const consoleSpies = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
  vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
    captured.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 6, breakLength: Infinity }))).join(' '));
  }),
);

const { startSeededStack } = await import('../support/local-stack.ts');
const { demoInstitutions, evidenceFiles } = await import('../../local/demo-scenario.ts');
const { buildJpeg } = await import('../unit/evidence/helpers.ts');

const report = verifyReport('security');
const check = report.check;
const { pilot, second } = demoInstitutions();
/** Valid GB 11643 numbers: they must appear nowhere but in the request that imports them. */
const ID_NUMBERS = ['11010519491231002X', '440106199003071231'];
const DAY = 86_400_000;
const MB = 1024 * 1024;

/** Checks made by other test files: the file and the exact test name (asserted below to exist). */
const ELSEWHERE: ReadonlyArray<{ check: string; file: string; test: string }> = [
  { check: 'no token → 401 (JWT authorizer)', file: 'test/fidelity/gateway.test.ts', test: 'refuses a request without a bearer token with 401 and never invokes the function' },
  { check: 'expired JWT → 401', file: 'test/fidelity/gateway.test.ts', test: 'refuses a token once it has expired on the virtual clock' },
  { check: 'JWT signed by another key → 401', file: 'test/fidelity/gateway.test.ts', test: 'refuses a token signed by another key' },
  { check: 'decision link past its deadline → 410', file: 'test/unit/decisions/decisions.handler.test.ts', test: 'refuses a decision after its deadline (410 DECISION_EXPIRED)' },
  { check: 'decision whose task timed out → 410', file: 'test/unit/decisions/decisions.handler.test.ts', test: 'marks the decision expired and answers 410 when Step Functions says the task timed out' },
  { check: 'staff cannot become members (unit)', file: 'test/unit/registry/registry.handler.test.ts', test: 'refuses a %s token with 409 STAFF_CANNOT_BE_MEMBER and creates no membership' },
  { check: 'staff cannot become members (through the stack)', file: 'test/integration/second-institution.test.ts', test: 'is invited, signs up, accepts, applies and is accredited; a reviewer cannot join it' },
  { check: 'S3 emulator: POST over content-length-range refused', file: 'test/fidelity/s3.test.ts', test: 'refuses a file over content-length-range with 400 EntityTooLarge, stores nothing and announces nothing' },
  { check: 'S3 emulator: POST with another Content-Type refused', file: 'test/fidelity/s3.test.ts', test: 'refuses a Content-Type other than the policy names with 403 AccessDenied' },
  { check: 'S3 emulator: POST to another key refused', file: 'test/fidelity/s3.test.ts', test: 'refuses a key other than the policy names with 403 AccessDenied' },
  { check: 'S3 emulator: tampered policy refused', file: 'test/fidelity/s3.test.ts', test: 'refuses a tampered policy with 403 SignatureDoesNotMatch before reading it' },
  { check: 'upload keys never carry the client’s file name', file: 'test/unit/evidence/request-evidence-upload.handler.test.ts', test: 'keeps the client’s file name out of the key and shows it sanitised' },
  { check: 'logger masks JWTs, task tokens and ID numbers', file: 'test/unit/shared/logger.test.ts', test: 'never writes a JWT, a task token or an ID number, even when a caller passes one' },
  { check: 'state machines log without execution data', file: 'test/infra/workflows.test.ts', test: 'logs at level ALL without execution data (task tokens stay out of CloudWatch) and traces with X-Ray' },
  { check: 'IAM: no "*" or service-wide wildcard action (stateless stack)', file: 'test/infra/stateless-stack.test.ts', test: 'grants no "*" action and no service-wide wildcard action anywhere' },
  { check: 'IAM: the validator writes only under quarantine/', file: 'test/infra/stateless-stack.test.ts', test: 'lets validate-evidence write objects only under quarantine/' },
  { check: 'IAM: no wildcard Allow on data in the stateful stack', file: 'test/infra/stateful-stack.test.ts', test: 'allows no wildcard action on the table, the buckets or the queues in any policy of the stateful stack' },
  { check: 'cdk-nag AwsSolutions: no unacknowledged finding', file: 'test/infra/nag.test.ts', test: 'leaves no unacknowledged finding, error or warning, in either stack' },
  { check: "a site's documents: another institution gets 404 on upload, list and download", file: 'test/integration/site-documents.test.ts', test: 'answers a revocation case with a validated PDF: hostile and unvalidated files refused, another institution sees nothing, staff download it (Art.23(3))' },
  { check: "a site's documents: staff never upload them, only an admin adds case evidence", file: 'test/unit/evidence/request-evidence-upload.handler.test.ts', test: 'answers 404 to another institution and 403 to staff: only the site uploads its documents' },
  { check: 'hostile evidence files refused, keys within the prefix', file: 'test/verify/hostile-files.test.ts', test: 'refuses every hostile file as %s with a stable reason, quarantined in its own key, reading at most 64 KiB' },
];

describe('security (issue 12)', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  const jwts = new Set<string>();
  const taskTokens = new Set<string>();
  let unsubscribe: () => void = () => {};
  const ids = { appA: '', itemA: '', siteA: '', sessionA: '', appB: '', itemB: '', decisionReplayed: '' };
  let roomA = '';

  const decisionLink = {} as {
    link: { sub: string; decisionId: string };
    statusBefore: string;
    statusAfterGet: string;
    statusAfter: string;
    get: { status: number; body: { status?: string } };
    getAgain: { status: number; body: { status?: string } };
    byOther: { status: number; body: { code?: string } };
    byApplicant: { status: number; body: { code?: string } };
    first: { status: number };
    replayed: { status: number; body: { code?: string } };
  };

  /** A request with a token of one's own making (or none), as a browser sends it. */
  async function raw(token: string | undefined, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    await stack.settle();
    return { status: res.status, text };
  }

  function claimsFor(sub: string, groups: string[]): Record<string, unknown> {
    const iat = Math.floor(stack.clock.now() / 1000);
    return { iss: stack.issuer.issuerUrl, aud: stack.issuer.audience, client_id: stack.issuer.audience, sub, 'cognito:groups': groups, token_use: 'access', iat, nbf: iat, exp: iat + 3600 };
  }

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const kid = () => String(stack.issuer.jwks().keys[0]?.kid);

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(1400, 'security'));
    // Every JWT the issuer signs and every task token the engine hands out is a secret to look for afterwards.
    const issue = stack.issuer.issueToken.bind(stack.issuer);
    stack.issuer.issueToken = async (...args: Parameters<typeof issue>) => {
      const token = await issue(...args);
      jwts.add(token);
      return token;
    };
    unsubscribe = stack.engine.subscribe((event) => {
      if (event.type === 'callback-submitted') taskTokens.add(event.callback.token);
    });

    // Institution A: an accreditation whose first decision link is misused on the way, then a session with candidates.
    ids.appA = await demo.apply(pilot);
    await demo.submit(pilot, ids.appA);
    const link = demo.newDecisionLink();
    if (!link) throw new Error('no decision link mailed');
    ids.decisionReplayed = link.decisionId;
    demo.markUsed(link.decisionId);
    decisionLink.link = link;
    decisionLink.statusBefore = await demo.status(ids.appA);
    decisionLink.get = await demo.api.call(link.sub, 'GET', `/v1/decisions/${link.decisionId}`);
    decisionLink.getAgain = await demo.api.call(link.sub, 'GET', `/v1/decisions/${link.decisionId}`);
    decisionLink.statusAfterGet = await demo.status(ids.appA);
    const otherReviewer = link.sub === 'demo-reviewer' ? 'demo-reviewer-2' : 'demo-reviewer';
    const decision = { outcome: 'approve-for-visit', reason: 'Materials complete and consistent with Art.9-11.' };
    decisionLink.byOther = await demo.api.call(otherReviewer, 'POST', `/v1/decisions/${link.decisionId}`, decision);
    decisionLink.byApplicant = await demo.api.call(pilot.user.sub, 'POST', `/v1/decisions/${link.decisionId}`, decision);
    decisionLink.first = await demo.api.call(link.sub, 'POST', `/v1/decisions/${link.decisionId}`, decision);
    decisionLink.replayed = await demo.api.call(link.sub, 'POST', `/v1/decisions/${link.decisionId}`, decision);
    decisionLink.statusAfter = await demo.status(ids.appA);
    const visit = await demo.decide('approve', 'Rooms, PCs and cameras as declared.', { recommendation: 'approve', findings: [] });
    await demo.decide('approve', 'Review and site visit both passed (Art.4).', {}, visit.sub);
    const sites = await demo.api.expect<{ items: Array<{ siteId: string; status: string }> }>(200, pilot.user.sub, 'GET', '/v1/sites');
    ids.siteA = sites.items.find((s) => s.status === 'ACTIVE')?.siteId ?? '';
    const evidenceA = await demo.api.expect<{ kinds: Array<{ items: Array<{ itemId: string }> }> }>(200, pilot.user.sub, 'GET', `/v1/applications/${ids.appA}/evidence`);
    ids.itemA = evidenceA.kinds.flatMap((k) => k.items)[0]?.itemId ?? '';
    const site = await demo.api.expect<{ accreditedRooms: Array<{ name: string }> }>(200, pilot.user.sub, 'GET', `/v1/sites/${ids.siteA}`);
    roomA = site.accreditedRooms[0]?.name ?? '';
    const startsAt = new Date(stack.clock.now() + 30 * DAY).toISOString();
    const session = await demo.api.expect<{ sessionId: string }>(201, pilot.user.sub, 'POST', `/v1/sites/${ids.siteA}/sessions`, {
      title: '跨境电商多平台运营（中级）',
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 3 * 3_600_000).toISOString(),
      rooms: [site.accreditedRooms[0]?.name],
      capacity: 2,
    });
    ids.sessionA = session.sessionId;
    const imported = await demo.api.call(pilot.user.sub, 'POST', `/v1/sites/${ids.siteA}/sessions/${ids.sessionA}/candidates`, `name,idNumber,category\n张三,${ID_NUMBERS[0]},student\n李四,${ID_NUMBERS[1]},public\n`, {
      'content-type': 'text/csv; charset=utf-8',
    });
    if (imported.status >= 300) throw new Error(`candidate import answered ${imported.status}`);

    // Institution B: a member with a draft application and one file.
    await demo.onboard(second);
    const draftB = await demo.api.expect<{ id: string }>(201, second.user.sub, 'POST', '/v1/applications', {});
    ids.appB = draftB.id;
    await demo.uploadEvidence(second, ids.appB, evidenceFiles(second.creditCode)[0]!);
    const evidenceB = await demo.api.expect<{ kinds: Array<{ items: Array<{ itemId: string }> }> }>(200, second.user.sub, 'GET', `/v1/applications/${ids.appB}/evidence`);
    ids.itemB = evidenceB.kinds.flatMap((k) => k.items)[0]?.itemId ?? '';
  }, 300_000);

  afterAll(async () => {
    unsubscribe();
    await stack?.stop();
    for (const spy of consoleSpies) spy.mockRestore();
    report.write({ mappedElsewhere: ELSEWHERE.length });
  });

  describe('JWTs the gateway must refuse (401), on an admin route a valid admin token reads', () => {
    const PATH = '/v1/admin/staff';

    it('reads the route with a token the issuer signed (the control)', async () => {
      await check('valid admin JWT → 200 (control)', async () => {
        const res = await raw(await stack.issuer.issueToken('demo-admin'), 'GET', PATH);
        expect(res.status).toBe(200);
        return '200';
      });
    });

    const FORGED: Array<[string, () => Promise<string>]> = [
      ['alg: none, no signature', async () => `${b64({ alg: 'none', typ: 'JWT', kid: kid() })}.${b64(claimsFor('demo-admin', ['admin']))}.`],
      ['alg: none, with the issuer’s kid and a signature copied from a real token', async () => {
        const real = await stack.issuer.issueToken('demo-admin');
        return `${b64({ alg: 'none', typ: 'JWT', kid: kid() })}.${b64(claimsFor('demo-admin', ['admin']))}.${real.split('.')[2]}`;
      }],
      ['RS256 signed by another key under the issuer’s kid', async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT(claimsFor('demo-admin', ['admin'])).setProtectedHeader({ alg: 'RS256', kid: kid(), typ: 'JWT' }).sign(privateKey);
      }],
      ['HS256 keyed with the issuer’s public key (algorithm confusion)', async () => {
        const secret = new TextEncoder().encode(JSON.stringify(stack.issuer.jwks().keys[0]));
        return new SignJWT(claimsFor('demo-admin', ['admin'])).setProtectedHeader({ alg: 'HS256', kid: kid(), typ: 'JWT' }).sign(secret);
      }],
      ['a real applicant token whose payload was edited to the admin group', async () => {
        const [header, , signature] = (await stack.issuer.issueToken(pilot.user.sub)).split('.');
        return `${header}.${b64(claimsFor(pilot.user.sub, ['admin']))}.${signature}`;
      }],
      ['a token the issuer signed that expired a minute ago', async () => stack.issuer.issueToken('demo-admin', 'access', undefined, { ttlSeconds: -60 })],
      ['a token for another audience', async () => {
        const real = (await stack.issuer.issueToken('demo-admin')).split('.');
        return `${real[0]}.${b64({ ...claimsFor('demo-admin', ['admin']), aud: 'another-client', client_id: 'another-client' })}.${real[2]}`;
      }],
      ['garbage in the Authorization header', async () => 'not.a.jwt'],
    ];
    it.each(FORGED)('refuses %s with 401', async (label, make) => {
      await check(`JWT ${label} → 401`, async () => {
        const res = await raw(await make(), 'GET', PATH);
        expect(res.status).toBe(401);
        expect(JSON.parse(res.text)).toEqual({ message: 'Unauthorized' });
        return '401 Unauthorized';
      });
    });
  });

  describe('roles (403)', () => {
    // Bodies an admin could send, so that only the role refuses them.
    const ROLE_CASES: Array<[string, string, string, string, unknown?]> = [
      ['an applicant', pilot.user.sub, 'GET', '/v1/admin/staff'],
      ['an applicant', pilot.user.sub, 'GET', '/v1/admin/reports'],
      ['an applicant', pilot.user.sub, 'GET', '/v1/admin/campaigns'],
      ['an applicant', pilot.user.sub, 'GET', '/v1/admin/pilot-colleges'],
      ['an applicant', pilot.user.sub, 'POST', '/v1/admin/invitations', { creditCode: pilot.creditCode, email: 'deputy@gdcv.edu.cn', name: '副站长' }],
      ['an applicant', pilot.user.sub, 'GET', '/v1/tasks'],
      ['a reviewer', 'demo-reviewer', 'POST', '/v1/applications', {}],
      ['a reviewer', 'demo-reviewer', 'GET', '/v1/admin/staff'],
    ];
    it.each(ROLE_CASES)('refuses %s (%s) on %s %s with 403 and a stable code', async (who, sub, method, path, body) => {
      await check(`${who} ${method} ${path} → 403`, async () => {
        const res = await demo.api.call<{ code: string; message: { zh: string; en: string } }>(sub, method, path, body);
        expect(res.status).toBe(403);
        expect(res.body.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
        return `403 ${res.body.code}`;
      });
    });
  });

  describe('institution B against A’s records, and A against B’s (404 or 403, nothing changed)', () => {
    /** What one institution may try on the other's records, with plausible bodies so that only ownership can refuse them. */
    const attempts = (target: 'A' | 'B'): Array<[string, string, unknown?, Record<string, string>?]> => {
      const app = target === 'A' ? ids.appA : ids.appB;
      const item = target === 'A' ? ids.itemA : ids.itemB;
      const list: Array<[string, string, unknown?, Record<string, string>?]> = [
        ['GET', `/v1/applications/${app}`],
        ['GET', `/v1/applications/${app}/evidence`],
        ['GET', `/v1/applications/${app}/evidence/${item}/download`],
        ['GET', `/v1/applications/${app}/audit`],
        ['POST', `/v1/applications/${app}/evidence`, { kind: 'policies', fileName: 'x.pdf', contentType: 'application/pdf', size: 4096, sealConfirmed: true, sha256: 'ab'.repeat(32) }],
        ['DELETE', `/v1/applications/${app}/evidence/${item}`],
        ['POST', `/v1/applications/${app}/submit`],
      ];
      if (target === 'B') return list;
      const site = ids.siteA;
      const session = ids.sessionA;
      const startsAt = new Date(stack.clock.now() + 40 * DAY).toISOString();
      return [
        ...list,
        ['GET', `/v1/sites/${site}`],
        ['GET', `/v1/sites/${site}/timeline`],
        ['GET', `/v1/sites/${site}/sessions`],
        ['GET', `/v1/sites/${site}/sessions/${session}`],
        ['GET', `/v1/sites/${site}/trainings`],
        ['GET', `/v1/sites/${site}/work-summaries`],
        ['GET', `/v1/sites/${site}/evaluations`],
        ['GET', `/v1/sites/${site}/cases`],
        ['GET', `/v1/sites/${site}/supervision`],
        ['POST', `/v1/sites/${site}/sessions`, { title: 'x', startsAt, endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(), rooms: [roomA], capacity: 1 }],
        ['POST', `/v1/sites/${site}/sessions/${session}/cancel`, { reason: '冒名取消 / cancelled by another institution' }],
        ['POST', `/v1/sites/${site}/sessions/${session}/candidates`, `name,idNumber,category\n王五,${ID_NUMBERS[0]},student\n`, { 'content-type': 'text/csv; charset=utf-8' }],
        ['POST', `/v1/sites/${site}/sessions/${session}/held`, { attendance: [], incidents: [] }],
        ['POST', `/v1/sites/${site}/trainings`, { traineeName: '冒名', title: '考务培训', trainedOn: startsAt.slice(0, 10), organiser: 'site', hours: 2 }],
        ['POST', `/v1/sites/${site}/work-summaries`, { periodStart: '2025-01-01', periodEnd: '2025-06-30', text: '冒名提交的工作总结 / a summary sent by another institution' }],
        ['POST', `/v1/sites/${site}/withdrawal`, { reason: '冒名申请退出 / withdrawal asked by another institution' }],
      ];
    };

    /** Attributes a user could set on itself (Cognito custom attributes, e-mail), naming the other institution and a staff role. */
    const selfSet = (victim: DemoInstitution) => ({
      'custom:creditCode': victim.creditCode,
      'custom:institution': victim.name,
      'custom:role': 'admin',
      'custom:groups': '[admin reviewer]',
      email: victim.user.email,
      email_verified: false,
    });

    for (const [attacker, victim, target] of [
      ['B', 'A', 'A'],
      ['A', 'B', 'B'],
    ] as const) {
      for (const tokenKind of ['its own token', 'a token carrying self-set attributes naming the other institution and admin'] as const) {
        it(`refuses ${attacker} every read and write of ${victim}’s records with ${tokenKind}`, async () => {
          const [attackerInst, victimInst] = attacker === 'B' ? [second, pilot] : [pilot, second];
          const before = await demo.api.expect(200, 'demo-admin', 'GET', `/v1/applications/${target === 'A' ? ids.appA : ids.appB}`);
          const sessionBefore = target === 'A' ? await demo.api.expect(200, pilot.user.sub, 'GET', `/v1/sites/${ids.siteA}/sessions/${ids.sessionA}`) : undefined;
          const answers: string[] = [];
          for (const [method, path, body, headers] of attempts(target)) {
            const token = await stack.issuer.issueToken(attackerInst.user.sub, 'access', undefined, tokenKind === 'its own token' ? {} : { claims: selfSet(victimInst) });
            const res = await raw(token, method, path, body, headers);
            await check(`${attacker} (${tokenKind === 'its own token' ? 'own token' : 'self-set attributes'}) ${method} ${path.replace(/[0-9A-Z]{26}/g, '<id>')}`, () => {
              expect([403, 404], `${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`).toContain(res.status);
              expect(res.text).not.toContain(victimInst.creditCode);
              return String(res.status);
            });
            answers.push(`${res.status}`);
          }
          // Nothing the attempts could have changed did change.
          expect(await demo.api.expect(200, 'demo-admin', 'GET', `/v1/applications/${target === 'A' ? ids.appA : ids.appB}`)).toEqual(before);
          if (sessionBefore) expect(await demo.api.expect(200, pilot.user.sub, 'GET', `/v1/sites/${ids.siteA}/sessions/${ids.sessionA}`)).toEqual(sessionBefore);
          expect(answers.length).toBeGreaterThan(5);
        }, 120_000);
      }
    }

    it('lists to B neither A’s applications nor A’s site, whatever its token says', async () => {
      await check('B’s lists hold none of A’s records', async () => {
        const token = await stack.issuer.issueToken(second.user.sub, 'access', undefined, { claims: selfSet(pilot) });
        const apps = await raw(token, 'GET', '/v1/applications');
        const sites = await raw(token, 'GET', '/v1/sites');
        expect(apps.status).toBe(200);
        expect(apps.text).not.toContain(ids.appA);
        expect(apps.text).toContain(ids.appB);
        expect([200, 403]).toContain(sites.status);
        expect(sites.text).not.toContain(ids.siteA);
        return `applications 200 (own only), sites ${sites.status} (none of A’s)`;
      });
    });
  });

  describe('decision links (Art.4)', () => {
    it('shows the page on GET and changes nothing, however often it is opened (mail scanners open links)', async () => {
      await check('decision link opened with GET changes nothing', () => {
        expect([decisionLink.get.status, decisionLink.getAgain.status]).toEqual([200, 200]);
        expect(decisionLink.statusAfterGet).toBe(decisionLink.statusBefore);
        expect(decisionLink.getAgain.body.status).toBe(decisionLink.get.body.status);
        return `200 twice, application stays ${decisionLink.statusBefore}`;
      });
    });

    it('refuses the link to a reviewer it was not sent to, and to the applicant (403), deciding nothing', async () => {
      await check('decision link used by someone other than the assignee → 403', () => {
        expect(decisionLink.byOther.status).toBe(403);
        expect(decisionLink.byApplicant.status).toBe(403);
        expect(decisionLink.first.status).toBe(200);
        return `other reviewer 403 ${decisionLink.byOther.body.code}, applicant 403 ${decisionLink.byApplicant.body.code}; the assignee then decided (200)`;
      });
    });

    it('refuses the same link replayed (409 DECISION_ALREADY_MADE), the decision taken once', async () => {
      await check('decision link replayed → 409', () => {
        expect(decisionLink.replayed.status).toBe(409);
        expect(decisionLink.replayed.body.code).toBe('DECISION_ALREADY_MADE');
        expect(decisionLink.statusAfter).toBe('SITE_VISIT');
        return `409 ${decisionLink.replayed.body.code}`;
      });
    });
  });

  describe('the presigned POST the API grants', () => {
    it('cannot be used past its size, with another type or for another key; nothing is stored', async () => {
      const s3 = new S3Client({ endpoint: stack.s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! } });
      s3.config.systemClockOffset = stack.clock.now() - Date.now();
      const keys = async () => {
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: process.env.EVIDENCE_BUCKET!, MaxKeys: 1000 }));
        return (listed.Contents ?? []).map((o) => o.Key).sort();
      };
      const photo = Buffer.from(buildJpeg(1600, 1200));
      const grant = await demo.api.expect<{ itemId: string; upload: { url: string; fields: Record<string, string> } }>(201, second.user.sub, 'POST', `/v1/applications/${ids.appB}/evidence`, {
        kind: 'venue-photo',
        fileName: 'room.jpg',
        contentType: 'image/jpeg',
        size: photo.length,
        sha256: createHash('sha256').update(photo).digest('hex'),
      });
      const post = async (fields: Record<string, string>, file: Buffer, type: string) => {
        const form = new FormData();
        for (const [k, v] of Object.entries(fields)) form.append(k, v);
        form.append('file', new Blob([file], { type }), 'room.jpg');
        const res = await fetch(grant.upload.url, { method: 'POST', body: form });
        const text = await res.text();
        await stack.settle();
        return { status: res.status, code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? '' };
      };
      const before = await keys();
      const cases: Array<[string, Record<string, string>, Buffer, string]> = [
        ['a file past the kind’s 15 MB', grant.upload.fields, Buffer.alloc(15 * MB + 1, 0xff), 'image/jpeg'],
        ['another Content-Type (text/html)', { ...grant.upload.fields, 'Content-Type': 'text/html' }, photo, 'text/html'],
        ['another key: A’s application', { ...grant.upload.fields, key: `applications/${ids.appA}/venue-photo/${grant.itemId}` }, photo, 'image/jpeg'],
        ['another key: a path out of the prefix', { ...grant.upload.fields, key: `applications/${ids.appB}/venue-photo/../../../x.html` }, photo, 'image/jpeg'],
        ['other bytes than the SHA-256 it pinned', grant.upload.fields, Buffer.concat([photo, Buffer.from('<script>')]), 'image/jpeg'],
      ];
      for (const [label, fields, file, type] of cases) {
        await check(`presigned POST with ${label} → refused`, async () => {
          const res = await post(fields, file, type);
          expect(res.status, label).toBeGreaterThanOrEqual(400);
          expect(res.status, label).toBeLessThan(500);
          return `${res.status} ${res.code}`;
        });
      }
      await check('presigned POST misuse stored nothing', async () => {
        expect(await keys()).toEqual(before);
        return `${before.length} keys before and after`;
      });
      await check('presigned POST as granted → stored (the control)', async () => {
        const res = await post(grant.upload.fields, photo, 'image/jpeg');
        expect(res.status).toBe(204);
        expect(await keys()).toContain(`applications/${ids.appB}/venue-photo/${grant.itemId}`);
        return '204';
      });
    }, 120_000);
  });

  describe('secrets in logs, events and e-mails', () => {
    it('writes no task token, JWT or candidate ID number into any captured log line, event or e-mail of the run', async () => {
      const events = stack.events.events().map((e) => JSON.stringify(e));
      const mails = stack.ses.messages().map((m) => JSON.stringify(m));
      const haystacks: Array<[string, string[]]> = [
        ['log lines', captured],
        ['events', events],
        ['e-mails', mails],
      ];
      await check('the run produced what is searched', () => {
        expect(captured.length).toBeGreaterThan(20);
        expect(events.length).toBeGreaterThan(0);
        expect(mails.length).toBeGreaterThan(3);
        expect(taskTokens.size).toBeGreaterThan(2);
        expect(jwts.size).toBeGreaterThan(20);
        return `${captured.length} log lines, ${events.length} events, ${mails.length} e-mails; looked for ${taskTokens.size} task tokens, ${jwts.size} JWTs, ${ID_NUMBERS.length} ID numbers`;
      });
      const secrets: Array<[string, string[]]> = [
        ['task token', [...taskTokens]],
        ['JWT', [...jwts].flatMap((t) => [t, t.split('.')[2] as string])],
        ['candidate ID number', ID_NUMBERS],
      ];
      for (const [where, lines] of haystacks) {
        for (const [what, values] of secrets) {
          await check(`no ${what} in ${where}`, () => {
            const leaks = lines.filter((line) => values.some((v) => line.includes(v)));
            expect(leaks.map((l) => l.slice(0, 200))).toEqual([]);
            return `0 of ${lines.length}`;
          });
        }
        await check(`nothing JWT-shaped in ${where}`, () => {
          const leaks = lines.filter((line) => /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./.test(line));
          expect(leaks.map((l) => l.slice(0, 200))).toEqual([]);
          return `0 of ${lines.length}`;
        });
      }
    });
  });

  describe('checks made elsewhere', () => {
    it.each(ELSEWHERE.map((e) => [e.check, e] as const))('%s: still a test of its file', async (_, entry) => {
      await check(`${entry.check} (${entry.file})`, () => {
        const source = readFileSync(entry.file, 'utf8');
        const quoted = ["'", '"', '`'].some((q) => source.includes(`${q}${entry.test}${q}`));
        expect(quoted, `${entry.file} has no test named "${entry.test}"`).toBe(true);
        return `mapped: ${entry.file} › ${entry.test}`;
      });
    });
  });
});

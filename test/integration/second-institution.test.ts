import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoScenario, DemoInstitution } from '../../local/demo-scenario.ts';
import type { LocalStack } from '../../local/stack.ts';
import { startSeededStack } from '../support/local-stack.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/** The README's "Try a second institution" shell block, exactly as written there. */
function readmeWalkthrough(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- walkthrough:second-institution -->\s*```sh\n([\s\S]*?)```\s*<!-- \/walkthrough:second-institution -->/.exec(readme);
  if (!m) throw new Error('README has no second-institution walkthrough block');
  return m[1]!;
}

/**
 * A second institution, from nothing to an ACTIVE site, through the local
 * stack: the README's curl commands (admin invites, the site manager signs up
 * on the local issuer, a reviewer is refused, she accepts and opens an
 * application), then the form, the evidence, screening, review, site visit
 * and decision with the accreditation helpers.
 */
describe('a second institution through the local stack', () => {
  let stack: LocalStack;
  let demo: DemoScenario;

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(200, 'second-institution'));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('is invited, signs up, accepts, applies and is accredited; a reviewer cannot join it', async () => {
    // Async child process: the stack answers curl from this same event loop.
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', readmeWalkthrough()], { env: { ...process.env, API: stack.baseUrl }, timeout: 60_000 });
    const answers = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>);
    expect(answers).toHaveLength(4);
    const [invitation, reviewer, membership, draft] = answers as [Record<string, any>, Record<string, any>, Record<string, any>, Record<string, any>];
    expect(invitation).toMatchObject({ creditCode: '12350200MB01397659', onRegister: true, email: 'lin.hai@xmhw.edu.cn' });
    expect(reviewer.code).toBe('STAFF_CANNOT_BE_MEMBER');
    expect(membership).toMatchObject({ creditCode: '12350200MB01397659', role: 'site-manager' });
    expect(draft).toMatchObject({ status: 'DRAFT', creditCode: '12350200MB01397659' });
    expect(await demo.api.call('demo-reviewer', 'GET', '/v1/me').then((r) => r.body.membership)).toBeUndefined();

    // The account she made on the local issuer: a new subject in the applicant group.
    const user = stack.issuer.listUsers().find((u) => u.email === 'lin.hai@xmhw.edu.cn');
    expect(user).toMatchObject({ groups: ['applicant'], name: '林海' });
    expect(user!.sub).toMatch(/^local-/);
    const me = await demo.api.expect<{ membership: { creditCode: string } }>(200, user!.sub, 'GET', '/v1/me');
    expect(me.membership.creditCode).toBe('12350200MB01397659');

    const xiamen: DemoInstitution = { user: user!, creditCode: '12350200MB01397659', name: '厦门海湾职业技术学院', provinceCode: '350000', cityCode: '350200', onRegister: true };
    const id = await demo.complete(xiamen, { id: draft.id as string, version: draft.version as number });
    await demo.submit(xiamen, id);
    expect(await demo.status(id)).toBe('UNDER_REVIEW');
    await demo.decide('approve-for-visit', 'Materials complete (Art.3).');
    const visit = await demo.decide('approve', 'Venue as declared (Art.9-11).', { recommendation: 'approve', findings: [] });
    await demo.decide('approve', 'Review and site visit passed (Art.4).', {}, visit.sub);
    expect(await demo.status(id)).toBe('APPROVED');

    const sites = await demo.api.expect<{ items: Array<{ status: string; certificateNumber: string }> }>(200, user!.sub, 'GET', '/v1/sites');
    expect(sites.items).toEqual([expect.objectContaining({ status: 'ACTIVE', certificateNumber: expect.stringMatching(/^CBEC-350000-/) })]);
  }, 180_000);

  it('refuses a sign-up with an address that already has an account, and an acceptance by an account of another address', async () => {
    const taken = await fetch(`${stack.baseUrl}/_local/oidc/signup`, { method: 'POST', body: JSON.stringify({ name: '冒名', email: 'MANAGER@gdcv.edu.cn' }) });
    expect(taken.status).toBe(400);
    await demo.api.expect(201, 'demo-admin', 'POST', '/v1/admin/invitations', { creditCode: '12440100455861238H', email: 'deputy@gdcv.edu.cn', name: '副站长' });
    const code = demo.api.latestInvitationCode('deputy@gdcv.edu.cn')!;
    const other = (await (await fetch(`${stack.baseUrl}/_local/oidc/signup`, { method: 'POST', body: JSON.stringify({ name: '他人', email: 'someone@else.example' }) })).json()) as { sub: string };
    const res = await demo.api.call(other.sub, 'POST', '/v1/invitations/accept', { code });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('INVITATION_EMAIL_MISMATCH');
  });
});

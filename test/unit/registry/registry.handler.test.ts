import { QueryCommand, ScanCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AdminGetUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useTestTable } from '../../support/table.ts';
import { IDEMPOTENCY_PARTITION } from '../../../functions/adapters/idempotency-store.ts';
import { getStaff, listActiveReviewers } from '../../../functions/adapters/stores/staff.ts';
import { creditCodeCheckChar } from '../../../schemas/validators/credit-code.ts';
import { emailHash } from '../../../functions/domain/email-address.ts';
import { installTimeSource } from '../../../functions/shared/clock.ts';
import { handler as acceptInvitation } from '../../../functions/handlers/accept-invitation.handler.ts';
import { handler as createInvitation } from '../../../functions/handlers/create-invitation.handler.ts';
import { handler as deactivatePilotCollege } from '../../../functions/handlers/deactivate-pilot-college.handler.ts';
import { handler as getMe } from '../../../functions/handlers/get-me.handler.ts';
import { handler as importPilotColleges } from '../../../functions/handlers/import-pilot-colleges.handler.ts';
import { handler as listPilotColleges } from '../../../functions/handlers/list-pilot-colleges.handler.ts';
import { handler as listInvitations } from '../../../functions/handlers/list-invitations.handler.ts';
import { handler as listStaff } from '../../../functions/handlers/list-staff.handler.ts';
import { handler as putPilotCollege } from '../../../functions/handlers/put-pilot-college.handler.ts';
import { handler as putStaff } from '../../../functions/handlers/put-staff.handler.ts';
import { hashInvitationCode } from '../../../functions/use-cases/registry/invitations.ts';
import { httpEvent, invoke, setRegistryEnv } from './helpers/http.ts';

setRegistryEnv();
const table = useTestTable();
const sqs = mockClient(SQSClient);

const T0 = Date.parse('2025-03-03T08:00:00.000Z');
let clockMs = T0;
const DAY = 24 * 60 * 60 * 1000;

const PILOT = { creditCode: '12440100455861238H', name: '广州南方商贸职业技术学院', provinceCode: '440000', cityCode: '440100' };
const NON_PILOT = { creditCode: '91110000600037341L', name: '北京某商贸有限公司', provinceCode: '110000', cityCode: '110100' };
/** The pilot's credit code with a wrong check character. */
const BAD_CHECK = `${PILOT.creditCode.slice(0, 17)}${PILOT.creditCode.endsWith('A') ? 'B' : 'A'}`;

const admin = (extra: Partial<Parameters<typeof httpEvent>[0]> = {}) => httpEvent({ sub: 'admin-1', groups: ['admin'], name: '赵管理', ...extra });
const applicant = (sub: string, extra: Partial<Parameters<typeof httpEvent>[0]> = {}) => httpEvent({ sub, groups: ['applicant'], ...extra });
/** An applicant whose issuer vouches for `email` (default: the invited site manager's address). */
const invitee = (sub: string, extra: Partial<Parameters<typeof httpEvent>[0]> = {}, email = 'manager@gdcv.edu.cn') =>
  applicant(sub, { claims: { email, email_verified: 'true' }, ...extra });

/** Valid credit codes of Guangzhou institutions, numbered. */
function guangzhouCode(n: number): string {
  const body = `124401004558${String(n).padStart(5, '0')}`;
  return `${body}${creditCodeCheckChar(body)}`;
}

beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  clockMs = T0;
  installTimeSource({ now: () => clockMs });
});

afterAll(() => installTimeSource(undefined));

function sentMails(): Array<{ to: string[]; subject: string; text: string; html: string; tag: string }> {
  return sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(String(c.args[0].input.MessageBody)));
}

async function invite(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return invoke(createInvitation, admin({ method: 'POST', path: '/v1/admin/invitations', body, headers }));
}

/** The code of the last invitation e-mail, from the link's fragment. */
function codeFromLastMail(): string {
  const mail = sentMails().at(-1);
  const match = mail?.text.match(/#code=([A-Za-z0-9_-]+)/);
  if (!match) throw new Error('no invitation link in the mail');
  return match[1]!;
}

describe('registry API', () => {
  describe('role checks', () => {
    it.each([
      ['GET /v1/admin/staff', listStaff, {}],
      ['PUT /v1/admin/staff/{sub}', putStaff, { pathParameters: { sub: 'r-1' }, body: { name: '李审核', email: 'r1@org.example', role: 'reviewer', active: true } }],
      ['GET /v1/admin/pilot-colleges', listPilotColleges, {}],
      ['PUT /v1/admin/pilot-colleges/{creditCode}', putPilotCollege, { pathParameters: { creditCode: PILOT.creditCode }, body: { ...PILOT, creditCode: undefined } }],
      ['DELETE /v1/admin/pilot-colleges/{creditCode}', deactivatePilotCollege, { pathParameters: { creditCode: PILOT.creditCode } }],
      ['POST /v1/admin/pilot-colleges/import', importPilotColleges, { body: [PILOT] }],
      ['POST /v1/admin/invitations', createInvitation, { body: { creditCode: PILOT.creditCode, email: 'x@gdcv.edu.cn', name: '陈晓梅' } }],
      ['GET /v1/admin/invitations', listInvitations, {}],
    ] as const)('refuses an applicant on %s with 403 and changes nothing', async (_route, handler, extra) => {
      await table.put({ pk: `PILOT#${PILOT.creditCode}`, sk: 'PILOT', ...PILOT, active: true });
      const before = (await table.all()).length;
      const res = await invoke(handler, applicant('applicant-1', extra));
      expect(res.statusCode).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect((await table.all()).length).toBe(before);
      expect(sentMails()).toHaveLength(0);
    });
  });

  describe('GET /v1/me', () => {
    it('takes the institution from the membership keyed by the token subject, never from a token attribute', async () => {
      await table.put({ pk: 'USER#applicant-1', sk: 'MEMBERSHIP', sub: 'applicant-1', creditCode: PILOT.creditCode, institutionName: PILOT.name, provinceCode: '440000', cityCode: '440100', role: 'site-manager', email: 'm@gdcv.edu.cn', name: '陈晓梅', invitationId: 'inv-1', createdAt: '2025-01-01T00:00:00.000Z' });
      const event = applicant('applicant-1');
      (event.requestContext.authorizer.jwt.claims as Record<string, string>)['custom:creditCode'] = NON_PILOT.creditCode;
      const res = await invoke(getMe, event);
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatchObject({ sub: 'applicant-1', groups: ['applicant'], membership: { creditCode: PILOT.creditCode, name: PILOT.name, role: 'site-manager' } });
      expect(res.body.staff).toBeUndefined();
    });

    it('has no membership for a signed-in user who accepted no invitation', async () => {
      const res = await invoke(getMe, applicant('stranger'));
      expect(res.statusCode).toBe(200);
      expect(res.body.membership).toBeUndefined();
    });
  });

  describe('staff directory', () => {
    it('lists only the active reviewers from the index, without a Scan, for the workflow to assign reviews', async () => {
      const put = (sub: string, body: Record<string, unknown>) => invoke(putStaff, admin({ method: 'PUT', pathParameters: { sub }, body }));
      expect((await put('r-2', { name: '王考察', email: 'r2@org.example', role: 'reviewer', active: true })).statusCode).toBe(200);
      await put('r-1', { name: '李审核', email: 'r1@org.example', role: 'reviewer', active: true });
      await put('r-3', { name: '孙离职', email: 'r3@org.example', role: 'reviewer', active: false });
      await put('a-1', { name: '赵管理', email: 'a1@org.example', role: 'admin', active: true });
      const reviewers = await listActiveReviewers();
      expect(reviewers.map((r) => r.sub).sort()).toEqual(['r-1', 'r-2']);
      expect(table.sent(ScanCommand)).toHaveLength(0);
      expect(table.sent(QueryCommand).at(-1)?.IndexName).toBe('gsi2');
      expect(await getStaff('r-3')).toMatchObject({ name: '孙离职', active: false, updatedBy: 'admin-1' });
      const listed = await invoke<{ items: unknown[] }>(listStaff, admin());
      expect(listed.body.items).toHaveLength(4);
    });

    it('moves a reviewer out of the assignable list when deactivated', async () => {
      const body = { name: '李审核', email: 'r1@org.example', role: 'reviewer', active: true };
      await invoke(putStaff, admin({ method: 'PUT', pathParameters: { sub: 'r-1' }, body }));
      await invoke(putStaff, admin({ method: 'PUT', pathParameters: { sub: 'r-1' }, body: { ...body, active: false } }));
      expect(await listActiveReviewers()).toEqual([]);
    });

    it('refuses a body with an unknown role with 400', async () => {
      const res = await invoke(putStaff, admin({ method: 'PUT', pathParameters: { sub: 'r-1' }, body: { name: 'x', email: 'r1@org.example', role: 'applicant', active: true } }));
      expect(res.statusCode).toBe(400);
      expect((await table.all()).length).toBe(0);
    });
  });

  describe('pilot-college register (Art.3(2))', () => {
    it('refuses an entry whose credit code has a wrong check character and stores nothing (Art.3(2))', async () => {
      const res = await invoke(putPilotCollege, admin({ method: 'PUT', pathParameters: { creditCode: BAD_CHECK }, body: { name: PILOT.name, provinceCode: '440000', cityCode: '440100' } }));
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.body.details)).toContain('creditCode');
      expect((await table.all()).length).toBe(0);
    });

    it('refuses a city outside the province', async () => {
      const res = await invoke(putPilotCollege, admin({ method: 'PUT', pathParameters: { creditCode: PILOT.creditCode }, body: { name: PILOT.name, provinceCode: '350000', cityCode: '440100' } }));
      expect(res.statusCode).toBe(400);
    });

    it('upserts an entry with an audit event under PILOT#<creditCode>', async () => {
      const res = await invoke(putPilotCollege, admin({ method: 'PUT', pathParameters: { creditCode: PILOT.creditCode }, body: { name: PILOT.name, provinceCode: '440000', cityCode: '440100' } }));
      expect(res.statusCode).toBe(200);
      expect(res.body).toMatchObject({ ...PILOT, active: true, updatedBy: 'admin-1' });
      expect(await table.get(`PILOT#${PILOT.creditCode}`, 'PILOT')).toMatchObject({ gsi3pk: 'PILOTS', gsi3sk: `440000#440100#${PILOT.creditCode}` });
      const audit = (await table.withPk(`PILOT#${PILOT.creditCode}`)).filter((i) => String(i.sk).startsWith('AUDIT#'));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'pilot-college-added', to: 'active', article: 'Art.3(2)', actor: { id: 'admin-1' } });
    });

    it('marks an entry inactive on DELETE and keeps it and its history', async () => {
      await invoke(putPilotCollege, admin({ method: 'PUT', pathParameters: { creditCode: PILOT.creditCode }, body: { name: PILOT.name, provinceCode: '440000', cityCode: '440100' } }));
      clockMs += 1000;
      const res = await invoke(deactivatePilotCollege, admin({ method: 'DELETE', pathParameters: { creditCode: PILOT.creditCode } }));
      expect(res.statusCode).toBe(200);
      expect(await table.get(`PILOT#${PILOT.creditCode}`, 'PILOT')).toMatchObject({ active: false, name: PILOT.name });
      const actions = (await table.withPk(`PILOT#${PILOT.creditCode}`)).filter((i) => String(i.sk).startsWith('AUDIT#')).map((i) => [i.action, i.from, i.to]);
      expect(actions).toEqual([
        ['pilot-college-added', undefined, 'active'],
        ['pilot-college-deactivated', 'active', 'inactive'],
      ]);
    });

    it('answers 404 when deactivating an entry that is not on the register', async () => {
      const res = await invoke(deactivatePilotCollege, admin({ method: 'DELETE', pathParameters: { creditCode: PILOT.creditCode } }));
      expect(res.statusCode).toBe(404);
    });

    it('lists the register of one province', async () => {
      await table.put({ pk: `PILOT#${PILOT.creditCode}`, sk: 'PILOT', ...PILOT, active: true, gsi3pk: 'PILOTS', gsi3sk: `440000#440100#${PILOT.creditCode}` });
      await table.put({ pk: 'PILOT#12350200MB01397659', sk: 'PILOT', creditCode: '12350200MB01397659', name: '厦门海湾职业技术学院', provinceCode: '350000', cityCode: '350200', active: true, gsi3pk: 'PILOTS', gsi3sk: '350000#350200#12350200MB01397659' });
      const res = await invoke<{ items: Array<{ creditCode: string; pk?: string }> }>(listPilotColleges, admin({ query: { provinceCode: '440000' } }));
      expect(res.body.items.map((i) => i.creditCode)).toEqual([PILOT.creditCode]);
      expect(res.body.items[0]?.pk).toBeUndefined();
    });

    describe('import', () => {
      it('reports the row with a bad check digit and imports nothing (Art.3(2))', async () => {
        const rows = [PILOT, { ...PILOT, creditCode: BAD_CHECK, name: '错误校验码学院' }, { ...PILOT, creditCode: guangzhouCode(7), name: '广州第七学院' }];
        const res = await invoke<{ code: string; details: { rowErrors: Array<{ row: number; creditCode: string; issues: Array<{ path: string }> }> } }>(
          importPilotColleges,
          admin({ method: 'POST', body: rows }),
        );
        expect(res.statusCode).toBe(400);
        expect(res.body.details.rowErrors).toHaveLength(1);
        expect(res.body.details.rowErrors[0]).toMatchObject({ row: 2, creditCode: BAD_CHECK });
        expect(res.body.details.rowErrors[0]?.issues.map((i) => i.path)).toContain('creditCode');
        expect((await table.all()).length).toBe(0);
      });

      it('reports duplicate credit codes within one import', async () => {
        const res = await invoke<{ details: { rowErrors: Array<{ row: number; issues: Array<{ message: string }> }> } }>(
          importPilotColleges,
          admin({ method: 'POST', body: { rows: [PILOT, PILOT] } }),
        );
        expect(res.statusCode).toBe(400);
        expect(res.body.details.rowErrors[0]).toMatchObject({ row: 2, issues: [{ message: 'duplicate of row 1' }] });
      });

      it('imports CSV text in transactions of 25 rows, each row audited', async () => {
        const lines = Array.from({ length: 60 }, (_, i) => `${guangzhouCode(i + 1)},"广州第${i + 1}学院, 番禺校区",440000,440100`);
        const csv = ['creditCode,name,provinceCode,cityCode', ...lines].join('\r\n');
        const res = await invoke<{ received: number; written: number; complete: boolean; batches: Array<{ status: string; firstRow: number; lastRow: number }> }>(
          importPilotColleges,
          admin({ method: 'POST', rawBody: csv, headers: { 'content-type': 'text/csv; charset=utf-8' } }),
        );
        expect(res.statusCode).toBe(200);
        expect(res.body).toMatchObject({ received: 60, written: 60, complete: true });
        expect(res.body.batches.map((b) => [b.firstRow, b.lastRow, b.status])).toEqual([
          [1, 25, 'written'],
          [26, 50, 'written'],
          [51, 60, 'written'],
        ]);
        expect(await table.get(`PILOT#${guangzhouCode(3)}`, 'PILOT')).toMatchObject({ name: '广州第3学院, 番禺校区', active: true });
        expect((await table.all()).filter((i) => i.action === 'pilot-college-imported')).toHaveLength(60);
      });

      it('reports a failed batch, keeps the written ones, and attempts no later batch', async () => {
        const rows = Array.from({ length: 60 }, (_, i) => ({ ...PILOT, creditCode: guangzhouCode(i + 1), name: `广州第${i + 1}学院` }));
        const ddb = table.mockStores();
        let transactions = 0;
        ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
          transactions += 1;
          if (transactions === 2) throw new Error('simulated service failure');
          return table.passThrough(new TransactWriteCommand(input));
        });
        const res = await invoke<{ written: number; complete: boolean; batches: Array<{ status: string }> }>(importPilotColleges, admin({ method: 'POST', body: rows }));
        expect(res.statusCode).toBe(207);
        expect(res.body.complete).toBe(false);
        expect(res.body.written).toBe(25);
        expect(res.body.batches.map((b) => b.status)).toEqual(['written', 'failed', 'not-attempted']);
        expect(await table.get(`PILOT#${guangzhouCode(25)}`, 'PILOT')).toBeDefined();
        expect(await table.get(`PILOT#${guangzhouCode(26)}`, 'PILOT')).toBeUndefined();
        expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(2);
      });

      it('refuses more than 1,000 rows', async () => {
        const rows = Array.from({ length: 1001 }, (_, i) => ({ ...PILOT, creditCode: guangzhouCode(i + 1) }));
        const res = await invoke(importPilotColleges, admin({ method: 'POST', body: rows }));
        expect(res.statusCode).toBe(400);
        expect((await table.all()).length).toBe(0);
      });

      it('refuses CSV without the expected header', async () => {
        const res = await invoke(importPilotColleges, admin({ method: 'POST', rawBody: 'code,name\nx,y', headers: { 'content-type': 'text/csv' } }));
        expect(res.statusCode).toBe(400);
      });
    });
  });

  describe('invitations', () => {
    beforeEach(async () => {
      await table.put({ pk: `PILOT#${PILOT.creditCode}`, sk: 'PILOT', ...PILOT, active: true });
    });

    it('stores only the SHA-256 of the code and mails the link with the code in the fragment, zh-CN first', async () => {
      const res = await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅', institutionName: '表单上的别名' });
      expect(res.statusCode).toBe(201);
      expect(res.body).toMatchObject({ creditCode: PILOT.creditCode, institutionName: PILOT.name, onRegister: true, expiresOn: new Date(T0 + 14 * DAY).toISOString() });
      const code = codeFromLastMail();
      const stored = await table.withPk('INVITE#');
      expect(stored).toHaveLength(1);
      expect(stored[0]?.pk).toBe(`INVITE#${hashInvitationCode(code)}`);
      expect(JSON.stringify(stored)).not.toContain(code);
      const mail = sentMails()[0]!;
      expect(mail.to).toEqual(['manager@gdcv.edu.cn']);
      expect(mail.text).toContain(`https://portal.example.cn/invitations/accept#code=${code}`);
      expect(mail.text.indexOf('您好')).toBeLessThan(mail.text.indexOf('Dear'));
      expect(mail.html).toContain('<hr>');
    });

    it('invites an institution not on the register when its name, province and city are given (eligibility is decided at screening, Art.3(2))', async () => {
      const missing = await invite({ creditCode: NON_PILOT.creditCode, email: 'boss@company.cn', name: '张经理' });
      expect(missing.statusCode).toBe(400);
      expect(sentMails()).toHaveLength(0);
      const res = await invite({ creditCode: NON_PILOT.creditCode, email: 'boss@company.cn', name: '张经理', institutionName: NON_PILOT.name, provinceCode: '110000', cityCode: '110100' });
      expect(res.statusCode).toBe(201);
      expect(res.body).toMatchObject({ onRegister: false, institutionName: NON_PILOT.name });
    });

    it('refuses a credit code with a wrong check character', async () => {
      const res = await invite({ creditCode: BAD_CHECK, email: 'x@gdcv.edu.cn', name: '陈晓梅' });
      expect(res.statusCode).toBe(400);
      expect(await table.withPk('INVITE#')).toHaveLength(0);
    });

    it('creates the membership keyed by the token subject when accepted', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
      const res = await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code: codeFromLastMail() } }));
      expect(res.statusCode).toBe(201);
      expect(res.body).toMatchObject({ creditCode: PILOT.creditCode, name: PILOT.name, role: 'site-manager' });
      expect(await table.get('USER#user-7', 'MEMBERSHIP')).toMatchObject({ creditCode: PILOT.creditCode, gsi3pk: `INST#${PILOT.creditCode}#MEMBERS` });
      expect((await table.withPk('INVITE#'))[0]).toMatchObject({ status: 'accepted', acceptedBy: 'user-7' });
      const me = await invoke(getMe, applicant('user-7'));
      expect(me.body.membership).toMatchObject({ creditCode: PILOT.creditCode });
    });

    it('lists the invitations newest first, accepted, pending or expired by the clock, a page at a time, no item with the code or its hash', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'first@gdcv.edu.cn', name: '陈晓梅' });
      const firstCode = codeFromLastMail();
      clockMs = T0 + DAY;
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '王建国' });
      expect((await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code: codeFromLastMail() } }))).statusCode).toBe(201);
      clockMs = T0 + 10 * DAY;
      await invite({ creditCode: NON_PILOT.creditCode, email: 'boss@company.cn', name: '张经理', institutionName: NON_PILOT.name, provinceCode: '110000', cityCode: '110100' });
      clockMs = T0 + 14 * DAY + 1;

      type Listed = { items: Array<Record<string, unknown>>; cursor?: string };
      const all = await invoke<Listed>(listInvitations, admin());
      expect(all.statusCode).toBe(200);
      expect(all.body.items.map((i) => [i.email, i.state])).toEqual([
        ['boss@company.cn', 'pending'],
        ['manager@gdcv.edu.cn', 'accepted'],
        ['first@gdcv.edu.cn', 'expired'],
      ]);
      expect(all.body.items[0]).toMatchObject({ institutionName: NON_PILOT.name, onRegister: false, provinceCode: '110000', cityCode: '110100', createdBy: 'admin-1', createdAt: new Date(T0 + 10 * DAY).toISOString() });
      expect(all.body.items[1]).toMatchObject({ name: '王建国', acceptedAt: new Date(T0 + DAY).toISOString() });
      expect(all.body.items[0]).not.toHaveProperty('acceptedAt');
      // No item carries the code or its hash (a page cursor is the index key, which holds the hash: it opens nothing,
      // accepting hashes the code it is given).
      const text = JSON.stringify(all.body.items);
      expect(text).not.toContain(hashInvitationCode(firstCode));
      expect(text).not.toContain(firstCode);
      expect(text).not.toContain('codeHash');

      const first = await invoke<Listed>(listInvitations, admin({ query: { limit: '2' } }));
      expect(first.body.items.map((i) => i.email)).toEqual(['boss@company.cn', 'manager@gdcv.edu.cn']);
      expect(first.body.cursor).toEqual(expect.any(String));
      const second = await invoke<Listed>(listInvitations, admin({ query: { limit: '2', cursor: first.body.cursor! } }));
      expect(second.body.items.map((i) => i.email)).toEqual(['first@gdcv.edu.cn']);
      expect(second.body.cursor).toBeUndefined();
    });

    it('refuses a used invitation with 409', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
      const code = codeFromLastMail();
      await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code } }));
      const again = await invoke(acceptInvitation, invitee('user-8', { method: 'POST', body: { code } }));
      expect(again.statusCode).toBe(409);
      expect(again.body.code).toBe('INVITATION_USED');
      expect(await table.get('USER#user-8', 'MEMBERSHIP')).toBeUndefined();
    });

    it('refuses an expired invitation with 410 after 14 days on the clock', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
      clockMs = T0 + 14 * DAY + 1;
      const res = await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code: codeFromLastMail() } }));
      expect(res.statusCode).toBe(410);
      expect(res.body.code).toBe('INVITATION_EXPIRED');
      expect(await table.get('USER#user-7', 'MEMBERSHIP')).toBeUndefined();
    });

    it('accepts an invitation on its last valid day', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
      clockMs = T0 + 14 * DAY - 1;
      const res = await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code: codeFromLastMail() } }));
      expect(res.statusCode).toBe(201);
    });

    it('answers 404 for an unknown code and 409 for a user who already has an institution', async () => {
      const unknown = await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code: 'x'.repeat(43) } }));
      expect(unknown.statusCode).toBe(404);
      await table.put({ pk: 'USER#user-7', sk: 'MEMBERSHIP', sub: 'user-7', creditCode: NON_PILOT.creditCode });
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
      const res = await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code: codeFromLastMail() } }));
      expect(res.statusCode).toBe(409);
      expect(res.body.code).toBe('ALREADY_A_MEMBER');
      expect((await table.withPk('INVITE#'))[0]).toMatchObject({ status: 'pending' });
    });

    it('keys the e-mail index of an invitation by the SHA-256 of the lower-cased address, never the address itself', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'Manager@GDCV.edu.cn', name: '陈晓梅' });
      const index = await table.withPk('INVITEMAIL#');
      expect(index).toHaveLength(1);
      expect(index[0]?.pk).toBe(`INVITEMAIL#${emailHash('manager@gdcv.edu.cn')}`);
      expect(JSON.stringify(index)).not.toContain('manager@');
      expect(index[0]).toMatchObject({ status: 'pending', expiresOn: new Date(T0 + 14 * DAY).toISOString() });
      expect(sentMails()[0]?.to).toEqual(['manager@gdcv.edu.cn']);
    });

    it('closes the e-mail index item when the invitation is accepted', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
      await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code: codeFromLastMail() } }));
      expect((await table.withPk('INVITEMAIL#'))[0]).toMatchObject({ status: 'accepted' });
    });

    it('accepts when the verified e-mail differs from the invited address only in case', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
      const res = await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code: codeFromLastMail() } }, 'Manager@GDCV.edu.cn'));
      expect(res.statusCode).toBe(201);
    });

    it('refuses with 403 INVITATION_EMAIL_MISMATCH a code forwarded to an account of another address, and keeps the invitation open', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
      const res = await invoke(acceptInvitation, invitee('user-9', { method: 'POST', body: { code: codeFromLastMail() } }, 'someone.else@gdcv.edu.cn'));
      expect(res.statusCode).toBe(403);
      expect(res.body.code).toBe('INVITATION_EMAIL_MISMATCH');
      expect(JSON.stringify(res.body)).not.toContain('manager@gdcv.edu.cn');
      expect(await table.get('USER#user-9', 'MEMBERSHIP')).toBeUndefined();
      expect((await table.withPk('INVITE#'))[0]).toMatchObject({ status: 'pending' });
    });

    it('refuses with 403 EMAIL_NOT_VERIFIED when the issuer does not vouch for the address', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
      const code = codeFromLastMail();
      const unverified = await invoke(acceptInvitation, applicant('user-7', { method: 'POST', body: { code }, claims: { email: 'manager@gdcv.edu.cn', email_verified: 'false' } }));
      expect(unverified.statusCode).toBe(403);
      expect(unverified.body.code).toBe('EMAIL_NOT_VERIFIED');
      const noEmail = await invoke(acceptInvitation, applicant('user-7', { method: 'POST', body: { code } }));
      expect(noEmail.body.code).toBe('EMAIL_NOT_VERIFIED');
      expect(await table.get('USER#user-7', 'MEMBERSHIP')).toBeUndefined();
    });

    it('reads the verified e-mail from the Cognito user pool, whose access tokens carry none', async () => {
      await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
      const code = codeFromLastMail();
      const config = JSON.parse(process.env.APP_CONFIG!);
      process.env.APP_CONFIG = JSON.stringify({ ...config, identity: { kind: 'cognito', domainPrefix: 'exam-site-test' } });
      process.env.USER_POOL_ID = 'eu-west-1_pool';
      resetConfigCache();
      const cognito = mockClient(CognitoIdentityProviderClient);
      try {
        cognito.on(AdminGetUserCommand).resolves({ Username: 'user-7', UserAttributes: [{ Name: 'email', Value: 'manager@gdcv.edu.cn' }, { Name: 'email_verified', Value: 'false' }] });
        const unverified = await invoke(acceptInvitation, applicant('user-7', { method: 'POST', body: { code } }));
        expect(unverified.body.code).toBe('EMAIL_NOT_VERIFIED');
        cognito.on(AdminGetUserCommand).resolves({ Username: 'user-7', UserAttributes: [{ Name: 'email', Value: 'manager@gdcv.edu.cn' }, { Name: 'email_verified', Value: 'true' }] });
        const res = await invoke(acceptInvitation, applicant('user-7', { method: 'POST', body: { code } }));
        expect(res.statusCode).toBe(201);
        expect(cognito.commandCalls(AdminGetUserCommand).at(-1)?.args[0].input).toEqual({ UserPoolId: 'eu-west-1_pool', Username: 'user-7' });
      } finally {
        cognito.restore();
        delete process.env.USER_POOL_ID;
        setRegistryEnv();
      }
    });

    describe('staff are never members', () => {
      it.each([['reviewer'], ['admin']])('refuses a %s token with 409 STAFF_CANNOT_BE_MEMBER and creates no membership', async (group) => {
        await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
        const res = await invoke(
          acceptInvitation,
          httpEvent({ sub: 'staff-1', groups: [group], method: 'POST', body: { code: codeFromLastMail() }, claims: { email: 'manager@gdcv.edu.cn', email_verified: 'true' } }),
        );
        expect(res.statusCode).toBe(409);
        expect(res.body.code).toBe('STAFF_CANNOT_BE_MEMBER');
        expect(await table.get('USER#staff-1', 'MEMBERSHIP')).toBeUndefined();
        expect((await table.withPk('INVITE#'))[0]).toMatchObject({ status: 'pending' });
      });

      it('refuses a subject on the staff directory whose token has no staff group, in the acceptance transaction', async () => {
        await invoke(putStaff, admin({ method: 'PUT', pathParameters: { sub: 'user-7' }, body: { name: '李审核', email: 'r1@org.example', role: 'reviewer', active: false } }));
        await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
        const res = await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code: codeFromLastMail() } }));
        expect(res.statusCode).toBe(409);
        expect(res.body.code).toBe('STAFF_CANNOT_BE_MEMBER');
        const tx = table.sent(TransactWriteCommand).at(-1)?.TransactItems ?? [];
        expect(tx.some((op) => op.ConditionCheck?.Key?.pk === 'STAFF#user-7')).toBe(true);
        expect(await table.get('USER#user-7', 'MEMBERSHIP')).toBeUndefined();
        expect((await table.withPk('INVITE#'))[0]).toMatchObject({ status: 'pending' });
      });

      it('refuses to make a member staff with 409 MEMBER_CANNOT_BE_STAFF, checked in the transaction that writes the entry', async () => {
        await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' });
        await invoke(acceptInvitation, invitee('user-7', { method: 'POST', body: { code: codeFromLastMail() } }));
        const res = await invoke(putStaff, admin({ method: 'PUT', pathParameters: { sub: 'user-7' }, body: { name: '陈晓梅', email: 'chen@org.example', role: 'reviewer', active: true } }));
        expect(res.statusCode).toBe(409);
        expect(res.body.code).toBe('MEMBER_CANNOT_BE_STAFF');
        const tx = table.sent(TransactWriteCommand).at(-1)?.TransactItems ?? [];
        expect(tx.some((op) => op.ConditionCheck?.Key?.pk === 'USER#user-7' && op.ConditionCheck.Key.sk === 'MEMBERSHIP')).toBe(true);
        expect(await getStaff('user-7')).toBeUndefined();
        expect(await listActiveReviewers()).toEqual([]);
      });

      it('refuses to invite an address of the staff directory (any case) with 409 STAFF_CANNOT_BE_MEMBER and sends nothing', async () => {
        await invoke(putStaff, admin({ method: 'PUT', pathParameters: { sub: 'r-1' }, body: { name: '李审核', email: 'Reviewer1@org.example', role: 'reviewer', active: true } }));
        const res = await invite({ creditCode: PILOT.creditCode, email: 'reviewer1@ORG.example', name: '李审核' });
        expect(res.statusCode).toBe(409);
        expect(res.body.code).toBe('STAFF_CANNOT_BE_MEMBER');
        expect(await table.withPk('INVITE#')).toHaveLength(0);
        expect(sentMails()).toHaveLength(0);
      });
    });

    describe('Idempotency-Key (Powertools Idempotency on DynamoDB Local)', () => {
      /** The Powertools idempotency records, in the same table. */
      const records = () => table.withPk(IDEMPOTENCY_PARTITION);
      afterAll(() => {
        vi.useRealTimers();
      });
      beforeEach(() => {
        // Powertools reads the system clock for the record's expiry.
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(T0);
      });

      it('replays the first response to a repeated POST and sends one e-mail', async () => {
        const body = { creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' };
        const headers = { 'idempotency-key': 'invite-0001-abcdef' };
        const before = (await records()).length;
        const first = await invite(body, headers);
        const second = await invite(body, headers);
        expect(second.statusCode).toBe(first.statusCode);
        expect(second.body).toEqual(first.body);
        expect(second.headers['idempotent-replayed']).toBe('true');
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        expect(sentMails()).toHaveLength(1);
        expect(await table.withPk('INVITE#')).toHaveLength(1);
        const stored = await records();
        expect(stored).toHaveLength(before + 1);
        expect(stored.at(-1)).toMatchObject({ status: 'COMPLETED', expiresAt: Math.floor(T0 / 1000) + 24 * 60 * 60 });
      });

      it('refuses the same key with another body with 409', async () => {
        const headers = { 'idempotency-key': 'invite-0002-abcdef' };
        await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' }, headers);
        const res = await invite({ creditCode: PILOT.creditCode, email: 'other@gdcv.edu.cn', name: '陈晓梅' }, headers);
        expect(res.statusCode).toBe(409);
        expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
        expect(sentMails()).toHaveLength(1);
      });

      it('runs the request again after 24 hours', async () => {
        const body = { creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' };
        const headers = { 'idempotency-key': 'invite-0003-abcdef' };
        await invite(body, headers);
        clockMs = T0 + DAY + 1000;
        vi.setSystemTime(clockMs);
        const later = await invite(body, headers);
        expect(later.headers['idempotent-replayed']).toBeUndefined();
        expect(sentMails()).toHaveLength(2);
      });

      it('releases the key when the request fails, so a corrected retry runs', async () => {
        const headers = { 'idempotency-key': 'invite-0004-abcdef' };
        const before = (await records()).length;
        sqs.on(SendMessageCommand).rejectsOnce(new Error('queue down')).resolves({ MessageId: 'm-2' });
        const failed = await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' }, headers);
        expect(failed.statusCode).toBe(500);
        expect(await records()).toHaveLength(before);
        const retried = await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' }, headers);
        expect(retried.statusCode).toBe(201);
      });

      it('refuses a malformed key with 400 and runs nothing', async () => {
        const res = await invite({ creditCode: PILOT.creditCode, email: 'manager@gdcv.edu.cn', name: '陈晓梅' }, { 'idempotency-key': 'short' });
        expect(res.statusCode).toBe(400);
        expect(sentMails()).toHaveLength(0);
      });
    });
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type { z } from 'zod/mini';
import type { CreateInvitationBody, InvitationListItem, invitationViewSchema } from '../../../schemas/api/registry.schema.ts';
import type { MailMessage } from '../../../schemas/mail.schema.ts';
import { enqueueMail } from '../../adapters/mailer.ts';
import { userEmail } from '../../adapters/user-directory.ts';
import {
  acceptInvitation as acceptInvitationRecord,
  findStaffByEmail,
  getInvitation,
  type InvitationRecord,
  listInvitations as listInvitationRecords,
  type MembershipRecord,
  putInvitation,
} from '../../adapters/stores/staff.ts';
import { getPilotCollege } from '../../adapters/stores/register.ts';
import { emailHash, normaliseEmail, sameEmail } from '../../domain/email-address.ts';
import { ConflictError, DomainError, GoneError, ValidationError } from '../../domain/errors.ts';
import { cityBelongsToProvince } from '../../../schemas/validators/region-codes.ts';
import { nowIso, nowMs } from '../../shared/clock.ts';
import type { Page } from '../../adapters/stores/table.ts';
import { appConfig, requireEnv } from '../../shared/env.ts';
import { actorOf, type Caller, requireGroup } from '../../shared/identity.ts';
import { membershipView, type MeResponse } from './me.ts';

/**
 * Applicant accounts exist by invitation only: an admin invites a college's
 * site manager, the e-mail carries a single-use code, and accepting it
 * creates the membership that gives the user their institution. Institutions
 * not on the pilot register may be invited too; whether they may apply is
 * decided at screening, from the register (Art.3(2)).
 *
 * The invitation admits exactly the invited address: with Cognito only that
 * address can sign up (the pre-sign-up trigger reads the invitation's e-mail
 * index), and with any issuer the acceptance requires the caller's verified
 * e-mail to be that address, so a forwarded code is of no use to another
 * account. Staff of the organisation are never members of an applicant
 * (conflict of interest): they cannot be invited, cannot accept, and a
 * member cannot be made staff (see staff.ts).
 */
export const INVITATION_VALIDITY_MS = 14 * 24 * 60 * 60 * 1000;

export type InvitationView = z.infer<typeof invitationViewSchema>;

/** Only the hash of a code is stored: a table read leaks no usable code. */
export function hashInvitationCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The invitation e-mail, zh-CN first and English second. The code travels
 * in the URL fragment, which browsers never send to a server, so it lands
 * in no access log; the portal page posts it to the API.
 */
export function invitationMail(invitation: InvitationRecord, code: string, portalOrigin: string): MailMessage {
  const link = `${portalOrigin.replace(/\/$/, '')}/invitations/accept#code=${code}`;
  const expires = invitation.expiresOn.slice(0, 10);
  const text = [
    `${invitation.name}，您好：`,
    `培训评价组织邀请您作为「${invitation.institutionName}」（统一社会信用代码 ${invitation.creditCode}）的站点负责人，登录考核站点管理平台申报考核站点。`,
    `请在 ${expires} 前打开以下链接，登录（尚无账号的，请用本邮箱 ${invitation.email} 注册）后接受邀请（链接仅可使用一次）：`,
    link,
    '',
    '---',
    '',
    `Dear ${invitation.name},`,
    `The training-evaluation organisation invites you, as site manager of ${invitation.institutionName} (credit code ${invitation.creditCode}), to the exam-site platform to apply for an exam site.`,
    `Open this link before ${expires}, sign in (no account yet? sign up with this address, ${invitation.email}) and accept (it works once):`,
    link,
  ].join('\n');
  const html = [
    `<p>${escapeHtml(invitation.name)}，您好：</p>`,
    `<p>培训评价组织邀请您作为「${escapeHtml(invitation.institutionName)}」（统一社会信用代码 ${escapeHtml(invitation.creditCode)}）的站点负责人，登录考核站点管理平台申报考核站点。</p>`,
    `<p>请在 ${expires} 前打开<a href="${escapeHtml(link)}">接受邀请</a>链接，登录（尚无账号的，请用本邮箱 ${escapeHtml(invitation.email)} 注册）后接受（链接仅可使用一次）。</p>`,
    '<hr>',
    `<p lang="en">Dear ${escapeHtml(invitation.name)},</p>`,
    `<p lang="en">The training-evaluation organisation invites you, as site manager of ${escapeHtml(invitation.institutionName)} (credit code ${escapeHtml(invitation.creditCode)}), to the exam-site platform to apply for an exam site.</p>`,
    `<p lang="en">Before ${expires}, open <a href="${escapeHtml(link)}">the invitation</a>, sign in (no account yet? sign up with this address, ${escapeHtml(invitation.email)}) and accept it (the link works once).</p>`,
  ].join('\n');
  return {
    id: `invitation-${invitation.invitationId}`,
    to: [invitation.email],
    subject: `考核站点申报邀请 / Invitation to apply for an exam site: ${invitation.institutionName}`,
    text,
    html,
    tag: 'invitation',
  };
}

/**
 * Creates an invitation and queues its e-mail. Name and city come from the
 * register when the credit code is on it; otherwise the admin gives them.
 * The record is written before the mail is queued: if queueing fails the
 * code reached nobody, and the admin invites again.
 */
export async function createInvitation(caller: Caller, body: CreateInvitationBody): Promise<InvitationView> {
  requireGroup(caller, 'admin');
  const email = normaliseEmail(body.email);
  if ((await findStaffByEmail(email)).length > 0) {
    throw new StaffCannotBeMemberError('该邮箱属于培训评价组织的工作人员，不能被邀请为申请单位成员。', 'This address belongs to a member of the organisation\'s staff, who cannot be a member of an applicant institution.');
  }
  const entry = await getPilotCollege(body.creditCode);
  let institution: { name: string; provinceCode: string; cityCode: string };
  if (entry) institution = { name: entry.name, provinceCode: entry.provinceCode, cityCode: entry.cityCode };
  else {
    if (!body.institutionName || !body.provinceCode || !body.cityCode) {
      throw new ValidationError(
        [{ path: 'institutionName', message: 'institutionName, provinceCode and cityCode are required for an institution not on the pilot register' }],
        'The institution is not on the pilot register: give its name, province and city.',
        '该单位不在试点院校名单中，请填写单位名称、所在省份和地级市。',
      );
    }
    if (!cityBelongsToProvince(body.cityCode, body.provinceCode)) {
      throw new ValidationError([{ path: 'cityCode', message: 'The city is not in the province' }]);
    }
    institution = { name: body.institutionName, provinceCode: body.provinceCode, cityCode: body.cityCode };
  }
  const code = randomBytes(32).toString('base64url');
  const createdMs = nowMs();
  const invitation: InvitationRecord & { emailHash: string } = {
    invitationId: ulid(createdMs),
    codeHash: hashInvitationCode(code),
    creditCode: body.creditCode,
    institutionName: institution.name,
    provinceCode: institution.provinceCode,
    cityCode: institution.cityCode,
    onRegister: entry !== undefined,
    email,
    emailHash: emailHash(email),
    name: body.name,
    status: 'pending',
    expiresOn: new Date(createdMs + INVITATION_VALIDITY_MS).toISOString(),
    createdAt: new Date(createdMs).toISOString(),
    createdBy: caller.sub,
  };
  await putInvitation(invitation);
  await enqueueMail(invitationMail(invitation, code, appConfig().portalOrigin));
  return {
    invitationId: invitation.invitationId,
    creditCode: invitation.creditCode,
    institutionName: invitation.institutionName,
    onRegister: invitation.onRegister,
    email: invitation.email,
    expiresOn: invitation.expiresOn,
  };
}

/**
 * The invitations sent, newest first: whom each went to, and whether it was
 * accepted, is still open, or expired unused (then the admin invites again).
 * The fields are listed one by one, so no item carries the code's hash (the
 * page cursor, the index key, does: it opens nothing).
 */
export async function listInvitations(caller: Caller, page: { cursor?: string; limit?: number }): Promise<Page<InvitationListItem>> {
  requireGroup(caller, 'admin');
  const records = await listInvitationRecords(page);
  const now = nowMs();
  return {
    items: records.items.map((r) => ({
      invitationId: r.invitationId,
      creditCode: r.creditCode,
      institutionName: r.institutionName,
      onRegister: r.onRegister,
      email: r.email,
      expiresOn: r.expiresOn,
      name: r.name,
      provinceCode: r.provinceCode,
      cityCode: r.cityCode,
      state: r.status === 'accepted' ? 'accepted' : Date.parse(r.expiresOn) <= now ? 'expired' : 'pending',
      createdAt: r.createdAt,
      createdBy: r.createdBy,
      ...(r.acceptedAt ? { acceptedAt: r.acceptedAt } : {}),
    })),
    cursor: records.cursor,
  };
}

class InvitationNotFoundError extends DomainError {
  constructor() {
    super('INVITATION_NOT_FOUND', 'not-found', '邀请码无效。', 'The invitation code is not valid.');
  }
}

/** Staff of the organisation are never members of an applicant institution (conflict of interest). */
export class StaffCannotBeMemberError extends ConflictError {
  constructor(
    zh = '培训评价组织的工作人员（审核员、管理员）不能成为申请单位成员。',
    en = 'Staff of the organisation (reviewers, administrators) cannot be members of an applicant institution.',
  ) {
    super('STAFF_CANNOT_BE_MEMBER', zh, en);
  }
}

/** The caller's e-mail address and whether its issuer verified it. */
export interface CallerEmail {
  readonly email?: string;
  readonly verified: boolean;
}

/**
 * The caller's e-mail as the identity provider vouches for it. An external
 * OIDC issuer must put `email` and `email_verified` in the token the portal
 * sends (`tokenEmail`, read at the HTTP edge); a Cognito access token carries
 * no e-mail, so the user pool is asked (AdminGetUser).
 */
async function verifiedEmailOf(caller: Caller, tokenEmail: CallerEmail): Promise<CallerEmail> {
  if (appConfig().identity.kind === 'cognito') return userEmail(requireEnv('USER_POOL_ID'), caller.sub);
  return tokenEmail;
}

const usedError = () => new ConflictError('INVITATION_USED', '该邀请已被使用。', 'This invitation has already been used.');

/**
 * Accepts an invitation for the signed-in user: single use (a conditional
 * transaction), refused when expired (410) or used (409), when the caller's
 * verified e-mail is not the invited address (403), when the user already
 * belongs to an institution (409) and when the user is staff (409
 * STAFF_CANNOT_BE_MEMBER: by the token's groups, and by the staff directory
 * inside the transaction, so a concurrent staff entry cannot slip in).
 */
export async function acceptInvitation(caller: Caller, code: string, tokenEmail: CallerEmail): Promise<NonNullable<MeResponse['membership']>> {
  if (caller.groups.includes('reviewer') || caller.groups.includes('admin')) throw new StaffCannotBeMemberError();
  const invitation = await getInvitation(hashInvitationCode(code));
  if (!invitation) throw new InvitationNotFoundError();
  if (invitation.status !== 'pending') throw usedError();
  if (Date.parse(invitation.expiresOn) <= nowMs()) {
    throw new GoneError('INVITATION_EXPIRED', '该邀请已过期，请联系管理员重新邀请。', 'This invitation has expired; ask an administrator to invite you again.');
  }
  const callerEmail = await verifiedEmailOf(caller, tokenEmail);
  if (!callerEmail.email || !callerEmail.verified) {
    throw new DomainError(
      'EMAIL_NOT_VERIFIED',
      'forbidden',
      '您的账号没有经过验证的邮箱，无法接受邀请。请先在身份提供方验证邮箱。',
      'Your account has no verified e-mail address, so it cannot accept an invitation; verify your address with the identity provider first.',
    );
  }
  if (!sameEmail(callerEmail.email, invitation.email)) {
    throw new DomainError(
      'INVITATION_EMAIL_MISMATCH',
      'forbidden',
      '该邀请发给了另一个邮箱。请使用受邀邮箱注册的账号登录后再接受邀请。',
      'This invitation was sent to another e-mail address; sign in with the account of the invited address to accept it.',
    );
  }
  const at = nowIso();
  const membership: MembershipRecord = {
    sub: caller.sub,
    creditCode: invitation.creditCode,
    institutionName: invitation.institutionName,
    provinceCode: invitation.provinceCode,
    cityCode: invitation.cityCode,
    role: 'site-manager',
    email: invitation.email,
    name: caller.name ?? invitation.name,
    invitationId: invitation.invitationId,
    createdAt: at,
  };
  const outcome = await acceptInvitationRecord(invitation, membership, {
    key: { at, key: caller.requestId },
    event: { actor: actorOf(caller, 'applicant'), action: 'membership-created', to: invitation.creditCode, details: { invitationId: invitation.invitationId } },
  });
  if (outcome === 'used') throw usedError();
  if (outcome === 'member') {
    throw new ConflictError('ALREADY_A_MEMBER', '您的账号已关联申请单位。', 'Your account already belongs to an institution.');
  }
  if (outcome === 'staff') throw new StaffCannotBeMemberError();
  return membershipView(membership);
}

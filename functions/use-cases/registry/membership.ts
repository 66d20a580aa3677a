import { getMembership, type MembershipRecord } from '../../adapters/stores/staff.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Caller } from '../../shared/identity.ts';

/** A user without an institution (no accepted invitation) cannot act for one. */
export class NoMembershipError extends DomainError {
  constructor() {
    super(
      'NO_MEMBERSHIP',
      'forbidden',
      '您的账号尚未关联申请单位，请使用邀请邮件中的链接加入。',
      'Your account is not linked to an institution yet; accept the invitation you received by e-mail.',
    );
  }
}

/** The caller's membership: tenancy comes only from this record, keyed by the token's `sub`. */
export async function requireMembership(caller: Caller): Promise<MembershipRecord> {
  const membership = await getMembership(caller.sub);
  if (!membership) throw new NoMembershipError();
  return membership;
}

import {
  invitationRecordSchema,
  membershipRecordSchema,
  staffRecordSchema,
  type InvitationRecord,
  type MembershipRecord,
  type StaffRecord,
  type StaffRole,
} from '../../../schemas/records/registry.record.ts';
import { emailHash } from '../../domain/email-address.ts';
import { ConflictError, TransientError } from '../../domain/errors.ts';
import { INVITATION_EMAIL_PREFIX } from '../table-design.ts';
import { auditOp, getItem, getMany, parseRecord, putNewOp, queryAll, queryPage, read, runTransaction, tableName, updateOp, type AuditWrite, type Item, type Page, type TransactItem } from './table.ts';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';

export type { InvitationRecord, MembershipRecord, StaffRecord, StaffRole };

/**
 * Staff directory, memberships and invitations: who may act, and for which
 * institution (tenancy comes only from a membership, never from a token).
 * | item | pk | sk | gsi1 | gsi2 | gsi3 |
 * |---|---|---|---|---|---|
 * | staff member | `STAFF#<sub>` | `STAFF` | `STAFFEMAIL#<sha256(email)>` / `<sub>` | `STAFF#<role>#<ACTIVE\|INACTIVE>` / `<name>#<sub>` | `STAFF` / `<sub>` |
 * | membership | `USER#<sub>` | `MEMBERSHIP` | | | `INST#<creditCode>#MEMBERS` / `<sub>` |
 * | invitation | `INVITE#<sha256(code)>` | `INVITE` | | | `INVITES` / `<createdAt>` |
 * | invitation by e-mail | `INVITEMAIL#<sha256(email)>` | `INVITE#<invitationId>` | | | |
 * A membership's creation is audited under `USER#<sub>`.
 */
const staffKey = (sub: string) => ({ pk: `STAFF#${sub}`, sk: 'STAFF' });
const membershipKey = (sub: string) => ({ pk: `USER#${sub}`, sk: 'MEMBERSHIP' });
const invitationKey = (codeHash: string) => ({ pk: `INVITE#${codeHash}`, sk: 'INVITE' });
/**
 * The e-mail index of an invitation: what the Cognito pre-sign-up trigger
 * reads (status and expiry only). Its partition prefix is the only one that
 * trigger's IAM policy lets it query (`dynamodb:LeadingKeys`).
 */
const invitationByEmailKey = (hash: string, invitationId: string) => ({ pk: `${INVITATION_EMAIL_PREFIX}${hash}`, sk: `INVITE#${invitationId}` });

function staffItem(record: StaffRecord): Item {
  return {
    ...staffKey(record.sub),
    type: 'staff',
    ...record,
    gsi2pk: `STAFF#${record.role}#${record.active ? 'ACTIVE' : 'INACTIVE'}`,
    gsi2sk: `${record.name}#${record.sub}`,
    gsi3pk: 'STAFF',
    gsi3sk: record.sub,
    gsi1pk: `STAFFEMAIL#${emailHash(record.email)}`,
    gsi1sk: record.sub,
  };
}

async function staffRecords(items: readonly Item[]): Promise<StaffRecord[]> {
  const full = await getMany(items.map((i) => staffKey(String(i.pk).slice('STAFF#'.length))));
  return full.map((item) => parseRecord(staffRecordSchema, item));
}

/** A staff member by the token's `sub`, or undefined. */
export async function getStaff(sub: string): Promise<StaffRecord | undefined> {
  const item = await getItem(staffKey(sub));
  return item ? parseRecord(staffRecordSchema, item) : undefined;
}

/**
 * Creates or replaces a staff member (the role/active index moves with it),
 * unless the subject is a member of an applicant institution: the membership
 * is checked in the same transaction that writes the staff entry, and
 * acceptance checks the staff entry in its own, so the two cannot both
 * succeed for one `sub` (the transactions share both items and DynamoDB
 * serialises them). `member` when a membership stands.
 */
export async function putStaffUnlessMember(record: StaffRecord): Promise<'ok' | 'member'> {
  const outcome = await runTransaction([
    { ConditionCheck: { TableName: tableName(), Key: membershipKey(record.sub), ConditionExpression: 'attribute_not_exists(pk)' } },
    { Put: { TableName: tableName(), Item: staffItem(record) } },
  ]);
  if (outcome.ok) return 'ok';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'member';
  throw new TransientError('staff update cancelled; retry');
}

/** Staff entries (active or not) whose address is `address`. */
export async function findStaffByEmail(address: string): Promise<StaffRecord[]> {
  return staffRecords(await queryAll({ index: 'gsi1', pk: `STAFFEMAIL#${emailHash(address)}` }));
}

/** The staff directory, one page at a time. */
export async function listStaff(input: { cursor?: string; limit?: number }): Promise<Page<StaffRecord>> {
  const page = await queryPage({ index: 'gsi3', pk: 'STAFF', cursor: input.cursor, limit: input.limit });
  return { items: await staffRecords(page.items), cursor: page.cursor };
}

/** The active reviewers, ordered by name (no Scan). */
export async function listActiveReviewers(): Promise<StaffRecord[]> {
  return staffRecords(await queryAll({ index: 'gsi2', pk: 'STAFF#reviewer#ACTIVE' }));
}

/** The active admins, who receive escalations. */
export async function listActiveAdmins(): Promise<StaffRecord[]> {
  return staffRecords(await queryAll({ index: 'gsi2', pk: 'STAFF#admin#ACTIVE' }));
}

/** The membership of a user (their institution), or undefined. */
export async function getMembership(sub: string): Promise<MembershipRecord | undefined> {
  const item = await getItem(membershipKey(sub));
  return item ? parseRecord(membershipRecordSchema, item) : undefined;
}

/** The members (site managers) of an institution. */
export async function listInstitutionMembers(creditCode: string): Promise<MembershipRecord[]> {
  const keys = await queryAll({ index: 'gsi3', pk: `INST#${creditCode}#MEMBERS` });
  const full = await getMany(keys.map((i) => membershipKey(String(i.pk).slice('USER#'.length))));
  return full.map((item) => parseRecord(membershipRecordSchema, item));
}

/** Institutions whose member lists are read at once by {@link listMembersOfInstitutions}. */
const INSTITUTIONS_AT_ONCE = 20;

/**
 * The members of many institutions (a page of a campaign): each one's index
 * Query, then the records of all of them in as few BatchGets as the keys
 * need (100 a request), not one per institution.
 */
export async function listMembersOfInstitutions(creditCodes: readonly string[]): Promise<Map<string, MembershipRecord[]>> {
  const unique = [...new Set(creditCodes)];
  const keys: Item[] = [];
  for (let i = 0; i < unique.length; i += INSTITUTIONS_AT_ONCE) {
    const lists = await Promise.all(unique.slice(i, i + INSTITUTIONS_AT_ONCE).map((code) => queryAll({ index: 'gsi3', pk: `INST#${code}#MEMBERS` })));
    keys.push(...lists.flat());
  }
  const members = new Map<string, MembershipRecord[]>(unique.map((code) => [code, []]));
  for (const item of await getMany(keys.map((i) => membershipKey(String(i.pk).slice('USER#'.length))))) {
    const membership = parseRecord(membershipRecordSchema, item);
    members.get(membership.creditCode)?.push(membership);
  }
  return members;
}

/**
 * Stores a new invitation (keyed by the code's hash; the code itself is
 * never stored) and its e-mail index item (keyed by the address's hash,
 * holding only status and expiry), in one transaction.
 */
export async function putInvitation(record: InvitationRecord & { emailHash: string }): Promise<void> {
  const outcome = await runTransaction([
    putNewOp({ ...invitationKey(record.codeHash), type: 'invitation', ...record, gsi3pk: 'INVITES', gsi3sk: record.createdAt }),
    putNewOp({ ...invitationByEmailKey(record.emailHash, record.invitationId), type: 'invitation-email', status: record.status, expiresOn: record.expiresOn }),
  ]);
  if (!outcome.ok) throw new ConflictError('ALREADY_EXISTS', '记录已存在。', 'The record already exists.');
}

/** The invitations, newest first, one page at a time (the `INVITES` index holds keys only; the records follow by BatchGet). */
export async function listInvitations(input: { cursor?: string; limit?: number }): Promise<Page<InvitationRecord>> {
  const page = await queryPage({ index: 'gsi3', pk: 'INVITES', cursor: input.cursor, limit: input.limit, newestFirst: true });
  const items = await getMany(page.items.map((i) => ({ pk: i.pk, sk: i.sk })));
  return { items: items.map((item) => parseRecord(invitationRecordSchema, item)), cursor: page.cursor };
}

/**
 * Whether an address has an invitation that is still pending and not
 * expired at `nowIso` (a Query of its e-mail index partition, strongly
 * consistent, status and expiry only): the Cognito pre-sign-up gate.
 */
export async function hasOpenInvitation(emailHashValue: string, nowIsoValue: string): Promise<boolean> {
  let start: Item | undefined;
  do {
    const out = await read(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `${INVITATION_EMAIL_PREFIX}${emailHashValue}` },
        ExpressionAttributeNames: { '#status': 'status' },
        ProjectionExpression: '#status, expiresOn',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    if ((out.Items ?? []).some((item) => item.status === 'pending' && typeof item.expiresOn === 'string' && item.expiresOn > nowIsoValue)) return true;
    start = out.LastEvaluatedKey;
  } while (start);
  return false;
}

export async function getInvitation(codeHash: string): Promise<InvitationRecord | undefined> {
  const item = await getItem(invitationKey(codeHash));
  return item ? parseRecord(invitationRecordSchema, item) : undefined;
}

/**
 * Accepts an invitation: marks it used (only if still pending) and creates
 * the membership (only if the user has none and is not on the staff
 * directory), with the audit item, in one transaction; the invitation's
 * e-mail index item is closed with it. `used` / `member` / `staff` say which
 * condition failed.
 */
export async function acceptInvitation(invitation: InvitationRecord, membership: MembershipRecord, audit: AuditWrite): Promise<'ok' | 'used' | 'member' | 'staff'> {
  const emailIndex: TransactItem[] = invitation.emailHash
    ? [
        {
          Update: {
            TableName: tableName(),
            Key: invitationByEmailKey(invitation.emailHash, invitation.invitationId),
            UpdateExpression: 'SET #status = :accepted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':accepted': 'accepted' },
          },
        },
      ]
    : [];
  const outcome = await runTransaction([
    updateOp(
      invitationKey(invitation.codeHash),
      { set: { status: 'accepted', acceptedBy: membership.sub, acceptedAt: membership.createdAt } },
      { expression: '#status = :pending', names: { '#status': 'status' }, values: { ':pending': 'pending' } },
    ),
    putNewOp({ ...membershipKey(membership.sub), type: 'membership', ...membership, gsi3pk: `INST#${membership.creditCode}#MEMBERS`, gsi3sk: membership.sub }),
    auditOp(membershipKey(membership.sub).pk, audit),
    // Staff are never members (see putStaffUnlessMember for the other direction).
    { ConditionCheck: { TableName: tableName(), Key: staffKey(membership.sub), ConditionExpression: 'attribute_not_exists(pk)' } },
    ...emailIndex,
  ]);
  if (outcome.ok) return 'ok';
  if (outcome.reasons[0] === 'ConditionalCheckFailed') return 'used';
  if (outcome.reasons[1] === 'ConditionalCheckFailed') return 'member';
  if (outcome.reasons[3] === 'ConditionalCheckFailed') return 'staff';
  throw new TransientError('invitation acceptance cancelled; retry');
}

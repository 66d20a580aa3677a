import type { PutStaffBody } from '../../../schemas/api/registry.schema.ts';
import { listStaff, putStaffUnlessMember, type StaffRecord } from '../../adapters/stores/staff.ts';
import { type Page } from '../../adapters/stores/table.ts';
import { ConflictError, ValidationError } from '../../domain/errors.ts';
import { normaliseEmail } from '../../domain/email-address.ts';
import { nowIso } from '../../shared/clock.ts';
import { type Caller, requireGroup } from '../../shared/identity.ts';

const SUB_SHAPE = /^[A-Za-z0-9@._:|+-]{1,200}$/;

/**
 * Creates or updates a member of the organisation's staff directory. The
 * workflow assigns reviews from the active reviewers; deactivating keeps the
 * entry (audit trails still name the person). A member of an applicant
 * institution cannot be made staff while the membership stands (409
 * MEMBER_CANNOT_BE_STAFF), checked in the transaction that writes the entry.
 */
export async function putStaffMember(caller: Caller, sub: string, body: PutStaffBody): Promise<StaffRecord> {
  requireGroup(caller, 'admin');
  if (!SUB_SHAPE.test(sub)) throw new ValidationError([{ path: 'sub', message: 'not a subject identifier' }]);
  const record: StaffRecord = { sub, ...body, email: normaliseEmail(body.email), updatedAt: nowIso(), updatedBy: caller.sub };
  if ((await putStaffUnlessMember(record)) === 'member') {
    throw new ConflictError(
      'MEMBER_CANNOT_BE_STAFF',
      '该账号是申请单位的成员，不能同时成为培训评价组织的工作人员。',
      'This account is a member of an applicant institution and cannot also be staff of the organisation.',
    );
  }
  return record;
}

/** The staff directory, one page at a time. */
export async function listStaffMembers(caller: Caller, page: { cursor?: string; limit?: number }): Promise<Page<StaffRecord>> {
  requireGroup(caller, 'admin');
  return listStaff(page);
}

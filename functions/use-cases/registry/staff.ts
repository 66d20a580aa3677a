import type { PutStaffBody } from '../../../schemas/api/registry.schema.ts';
import { listStaff, type Page, putStaff, type StaffRecord } from '../../adapters/repository.ts';
import { ValidationError } from '../../domain/errors.ts';
import { nowIso } from '../../shared/clock.ts';
import { type Caller, requireGroup } from '../../shared/identity.ts';

const SUB_SHAPE = /^[A-Za-z0-9@._:|+-]{1,200}$/;

/**
 * Creates or updates a member of the organisation's staff directory. The
 * workflow assigns reviews from the active reviewers; deactivating keeps the
 * entry (audit trails still name the person).
 */
export async function putStaffMember(caller: Caller, sub: string, body: PutStaffBody): Promise<StaffRecord> {
  requireGroup(caller, 'admin');
  if (!SUB_SHAPE.test(sub)) throw new ValidationError([{ path: 'sub', message: 'not a subject identifier' }]);
  const record: StaffRecord = { sub, ...body, updatedAt: nowIso(), updatedBy: caller.sub };
  await putStaff(record);
  return record;
}

/** The staff directory, one page at a time. */
export async function listStaffMembers(caller: Caller, page: { cursor?: string; limit?: number }): Promise<Page<StaffRecord>> {
  requireGroup(caller, 'admin');
  return listStaff(page);
}

import type { z } from 'zod/mini';
import type { meResponseSchema } from '../../../schemas/api/registry.schema.ts';
import { getMembership, getStaff, type MembershipRecord } from '../../adapters/stores/staff.ts';
import type { Caller } from '../../shared/identity.ts';

export type MeResponse = z.infer<typeof meResponseSchema>;

/** The public view of a membership. */
export function membershipView(m: MembershipRecord): NonNullable<MeResponse['membership']> {
  return { creditCode: m.creditCode, name: m.institutionName, provinceCode: m.provinceCode, cityCode: m.cityCode, role: m.role, since: m.createdAt };
}

/** Who the caller is: groups from the token, institution and staff entry from the records keyed by `sub`. */
export async function getMe(caller: Caller): Promise<MeResponse> {
  const [membership, staff] = await Promise.all([getMembership(caller.sub), getStaff(caller.sub)]);
  return {
    sub: caller.sub,
    ...(caller.name ? { name: caller.name } : {}),
    ...(caller.email ? { email: caller.email } : {}),
    groups: [...caller.groups],
    ...(membership ? { membership: membershipView(membership) } : {}),
    ...(staff ? { staff } : {}),
  };
}

import { LocalApiClient } from './api-client.ts';
import { DEMO_USERS } from './oidc/local-issuer.ts';
import type { LocalStack } from './stack.ts';

/** The pilot-college register of the demo (credit codes carry valid GB 32100 check characters). */
export const DEMO_PILOT_COLLEGES = [
  { creditCode: '12440100455861238H', name: '广州南方商贸职业技术学院', provinceCode: '440000', cityCode: '440100' },
  { creditCode: '12350200MB01397659', name: '厦门海湾职业技术学院', provinceCode: '350000', cityCode: '350200' },
] as const;

/**
 * What an administrator sets up before the first application, done through
 * the public API with the demo admin's token as the admin would: the staff
 * directory, the pilot-college register, and the demo applicant's account
 * (invited by e-mail, accepted with the code from that e-mail).
 */
export async function seedDemoData(stack: LocalStack): Promise<string> {
  const api = new LocalApiClient(stack);
  const admin = 'demo-admin';
  for (const user of DEMO_USERS.filter((u) => !u.groups.includes('applicant'))) {
    await api.expect(200, admin, 'PUT', `/v1/admin/staff/${user.sub}`, {
      name: user.name,
      email: user.email,
      role: user.groups.includes('admin') ? 'admin' : 'reviewer',
      active: true,
    });
  }
  await api.expect(200, admin, 'POST', '/v1/admin/pilot-colleges/import', { rows: DEMO_PILOT_COLLEGES.map((c) => ({ ...c })) });
  const applicant = DEMO_USERS.find((u) => u.sub === 'demo-applicant')!;
  await api.expect(201, admin, 'POST', '/v1/admin/invitations', { creditCode: DEMO_PILOT_COLLEGES[0].creditCode, email: applicant.email, name: applicant.name });
  const code = api.latestInvitationCode(applicant.email);
  if (!code) throw new Error('the invitation e-mail did not arrive in the outbox');
  await api.expect(201, applicant.sub, 'POST', '/v1/invitations/accept', { code });
  return `staff ${DEMO_USERS.length - 1}, pilot colleges ${DEMO_PILOT_COLLEGES.length}, ${applicant.sub} → ${DEMO_PILOT_COLLEGES[0].name}`;
}

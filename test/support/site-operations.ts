import { siteCreationOps, getSite, type SiteRecord } from '../../functions/adapters/stores/sites.ts';
import { putItem, runTransaction, updateIf } from '../../functions/adapters/stores/table.ts';
import type { Caller } from '../../functions/shared/identity.ts';
import { timerUpdateOf } from '../../functions/use-cases/site-operations/inactivity-timer.ts';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';
import { keys } from './table-keys.ts';

/**
 * The local stack (DynamoDB Local, the Scheduler emulator firing into the
 * local Step Functions engine that runs workflows/site-milestone with the
 * real task function, SQS → SES outbox) for tests that call the
 * site-operations use cases in-process, with sites and memberships seeded
 * through the stores. Ports: TEST_PORT_BASE + offset + 20 per vitest worker.
 */
export async function startSiteOperationsStack(offset: number, name: string, options: { dailySchedules?: boolean; startAt?: string } = {}): Promise<LocalStack> {
  const portBase = Number(process.env.TEST_PORT_BASE ?? 5200) + offset + Number(process.env.VITEST_POOL_ID ?? 0) * 20;
  return startLocalStack({
    portBase,
    dataDir: `.local/test-${name}-${portBase}`,
    dailySchedules: options.dailySchedules ?? false,
    ...(options.startAt ? { startAt: Date.parse(options.startAt) } : {}),
  });
}

let requestCounter = 0;

/** A signed-in caller. */
export function callerFor(sub: string, groups: Caller['groups'] = ['applicant']): Caller {
  requestCounter += 1;
  return { sub, groups, email: `${sub}@example.cn`, name: sub, requestId: `req-${sub}-${requestCounter}` };
}

/** A member (site manager) of an institution. */
export async function seedMember(sub: string, creditCode: string): Promise<Caller> {
  await putItem({
    ...keys.membership(sub),
    type: 'membership',
    sub,
    creditCode,
    institutionName: `学院 ${creditCode.slice(-4)}`,
    provinceCode: '440000',
    cityCode: '440100',
    role: 'site-manager',
    email: `${sub}@example.cn`,
    name: sub,
    invitationId: `inv-${sub}`,
    createdAt: '2025-01-01T00:00:00.000Z',
    gsi3pk: `INST#${creditCode}#MEMBERS`,
    gsi3sk: sub,
  });
  return callerFor(sub);
}

/** An ACTIVE site activated at `activatedAt` with two accredited rooms (40 + 30 candidates at once), as activate-site stores it. */
export async function seedSite(siteId: string, creditCode: string, activatedAt: string): Promise<SiteRecord> {
  const site: SiteRecord = {
    siteId,
    certificateNumber: `CBEC-440000-2025-${siteId.slice(-6)}`,
    status: 'ACTIVE',
    version: 0,
    institutionId: creditCode,
    institutionName: `学院 ${creditCode.slice(-4)}`,
    provinceCode: '440000',
    cityCode: '440100',
    applicationId: `app-${siteId}`,
    activatedAt,
    accreditedRooms: [
      { name: '机房A', seats: 80, seatingArrangement: 'alternate-seat', capacity: 40 },
      { name: '机房B', seats: 30, seatingArrangement: 'every-seat', capacity: 30 },
    ],
    lastExamAt: null,
    ...timerUpdateOf({ anchorAt: activatedAt, suspendedMs: 0, warned: [] }),
    createdAt: activatedAt,
    updatedAt: activatedAt,
  };
  const outcome = await runTransaction(siteCreationOps(site, { key: { at: activatedAt, key: `seed-${siteId}` }, event: { actor: { kind: 'system', id: 'test' }, action: 'activate', article: 'Art.5' } }));
  if (!outcome.ok) throw new Error(`seeding site ${siteId} failed: ${outcome.reasons.join(',')}`);
  return site;
}

/** Puts a site into another status directly (the transitions are other slices' work). */
export async function setSiteStatus(siteId: string, status: SiteRecord['status'], extra: Record<string, unknown> = {}): Promise<void> {
  const site = await getSite(siteId);
  if (!site) throw new Error(`no site ${siteId}`);
  await updateIf(keys.site(siteId), { set: { status, version: site.version + 1, ...extra } }, { expression: 'attribute_exists(pk)' });
}

import { beforeAll, describe, expect, it } from 'vitest';
import { resetConfigCache } from '../../../functions/shared/env.ts';
import { siteView } from '../../../functions/use-cases/sites/read-sites.ts';
import { type SiteRecord } from '../../../functions/adapters/stores/sites.ts';

const site = (overrides: Partial<SiteRecord> = {}): SiteRecord => ({
  siteId: 'S1',
  certificateNumber: 'CBEC-440000-2026-ABC123',
  status: 'ACTIVE',
  version: 1,
  institutionId: '12440100455861238H',
  institutionName: '广州南方商贸职业技术学院',
  provinceCode: '440000',
  cityCode: '440100',
  applicationId: 'A1',
  activatedAt: '2026-01-10T00:00:00.000Z',
  lastExamAt: null,
  inactivitySince: '2026-01-10T00:00:00.000Z',
  nextMilestoneAt: '2027-10-11T00:00:00.000Z',
  createdAt: '2026-01-10T00:00:00.000Z',
  updatedAt: '2026-01-10T00:00:00.000Z',
  ...overrides,
});

describe('siteView', () => {
  beforeAll(() => {
    process.env.APP_CONFIG = JSON.stringify({
      identity: { kind: 'oidc', issuerUrl: 'https://id.example.cn', audience: ['portal'] },
      mail: { transport: 'ses', sender: 'noreply@example.cn' },
      portalOrigin: 'https://portal.example.cn',
      deadlines: { inactivityDays: 730 },
    });
    resetConfigCache();
  });

  it('dates the Art.23(1) revocation two years after activation while no exam has been held', () => {
    expect(siteView(site()).inactiveRevocationAt).toBe('2028-01-10T00:00:00.000Z');
  });

  it('restarts the two years at the last exam held (Art.23(1))', () => {
    // A held session moves the timer's anchor and records the exam (sessions.ts, one transaction).
    expect(siteView(site({ lastExamAt: '2027-06-01T08:00:00.000Z', inactivitySince: '2027-06-01T08:00:00.000Z' })).inactiveRevocationAt).toBe('2029-05-31T08:00:00.000Z');
  });

  it('adds the time a site was suspended to its two-year limit, and shows the limit as it stood while suspended (Art.21, Art.23(1))', () => {
    const fiveDays = 5 * 86_400_000;
    expect(siteView(site({ suspendedMs: fiveDays })).inactiveRevocationAt).toBe('2028-01-15T00:00:00.000Z');
    expect(siteView(site({ status: 'SUSPENDED', suspendedMs: fiveDays, suspendedSince: '2027-03-01T00:00:00.000Z' })).inactiveRevocationAt).toBe('2028-01-15T00:00:00.000Z');
  });

  it('lists the rooms the site is accredited for with the candidates each seats at once (Art.9(2))', () => {
    const rooms = [{ name: 'A102', seats: 90, seatingArrangement: 'alternate-seat' as const, capacity: 45 }];

    expect(siteView(site({ accreditedRooms: rooms })).accreditedRooms).toEqual(rooms);
    expect(siteView(site()).accreditedRooms).toEqual([]);
  });

  it('shows the certificate number and status, and nothing of the record keys', () => {
    const view = siteView(site());
    expect(view).toMatchObject({ certificateNumber: 'CBEC-440000-2026-ABC123', status: 'ACTIVE' });
    expect(view).not.toHaveProperty('version');
    expect(view).not.toHaveProperty('nextMilestoneAt');
  });
});

import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { auditTable, chinaTime, coverageTable, registerTable, tableCells } from '../../../functions/domain/reports/export-tables.ts';
import {
  applicationsByMonth,
  approachingSite,
  campaignProgress,
  lastMonths,
  latencyDistribution,
  marksByMonth,
  monthOf,
  overdueByReviewer,
  quantile,
  sitesByProvince,
} from '../../../functions/domain/reports/reports.ts';
import { csvText, sheetName, xlsxBuffer } from '../../../functions/shared/spreadsheet.ts';

const days = (start: string, n: number) => new Date(Date.parse(start) + n * 86_400_000).toISOString();

describe('domain/reports', () => {
  describe('monthOf / lastMonths', () => {
    it('counts a month in China time: 16:30 UTC on the last day is already the next month in Beijing', () => {
      expect(monthOf('2026-11-30T16:30:00.000Z')).toBe('2026-12');
      expect(monthOf('2026-11-30T15:59:00.000Z')).toBe('2026-11');
    });

    it('lists the months ending with the current one, across a year end, oldest first', () => {
      expect(lastMonths('2027-02-10T00:00:00.000Z', 4)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    });
  });

  describe('applicationsByMonth', () => {
    it('groups applications by the month they entered their status, lists empty months and leaves out older ones', () => {
      const months = ['2026-10', '2026-11', '2026-12'];
      const rows = applicationsByMonth(
        [
          { status: 'APPROVED', since: '2026-11-03T02:00:00.000Z' },
          { status: 'APPROVED', since: '2026-11-20T02:00:00.000Z' },
          { status: 'UNDER_REVIEW', since: '2026-12-01T02:00:00.000Z' },
          { status: 'REJECTED', since: '2025-01-01T02:00:00.000Z' },
        ],
        months,
      );
      expect(rows).toEqual([
        { month: '2026-10', counts: {} },
        { month: '2026-11', counts: { APPROVED: 2 } },
        { month: '2026-12', counts: { UNDER_REVIEW: 1 } },
      ]);
    });
  });

  describe('latencyDistribution', () => {
    const opened = '2026-10-01T00:00:00.000Z';
    const decided = (d: number) => ({ createdAt: opened, decidedAt: days(opened, d) });

    it('buckets decision times by quarters of the deadline and beyond, and counts those within it', () => {
      const out = latencyDistribution('material-review', [decided(1), decided(2), decided(4), decided(9), decided(10), decided(16), decided(30)], 10);
      expect(out.buckets.map((b) => [b.fromDays, b.toDays, b.count])).toEqual([
        [0, 2.5, 2],
        [2.5, 5, 1],
        [5, 7.5, 0],
        [7.5, 10, 1],
        [10, 15, 1],
        [15, 20, 1],
        [20, null, 1],
      ]);
      expect(out).toMatchObject({ stage: 'material-review', deadlineDays: 10, decided: 7, withinDeadline: 5, medianDays: 9, p90Days: 30 });
    });

    it('gives no median for a stage nothing was decided in', () => {
      expect(latencyDistribution('site-visit', [], 30)).toMatchObject({ decided: 0, withinDeadline: 0, medianDays: null, p90Days: null });
    });

    it('takes the nearest-rank quantile', () => {
      expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
      expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    });
  });

  describe('overdueByReviewer / sitesByProvince', () => {
    it('counts overdue tasks per person, most first', () => {
      const names: Record<string, string> = { a: '王审核', b: '李审核' };
      expect(overdueByReviewer([{ assigneeSub: 'a' }, { assigneeSub: 'b' }, { assigneeSub: 'b' }], (s) => names[s] ?? s)).toEqual([
        { reviewer: '李审核', count: 2 },
        { reviewer: '王审核', count: 1 },
      ]);
    });

    it('counts sites per province and status', () => {
      expect(
        sitesByProvince([
          { status: 'ACTIVE', provinceCode: '440000' },
          { status: 'SUSPENDED', provinceCode: '440000' },
          { status: 'ACTIVE', provinceCode: '350000' },
        ]),
      ).toEqual([
        { provinceCode: '350000', counts: { ACTIVE: 1 } },
        { provinceCode: '440000', counts: { ACTIVE: 1, SUSPENDED: 1 } },
      ]);
    });
  });

  describe('approachingSite', () => {
    it('puts the T-90 and T-30 warnings before the two-year limit and counts the days left (Art.23(1))', () => {
      const out = approachingSite({ siteId: 'S1' }, '2027-03-01T00:00:00.000Z', '2027-01-01T12:00:00.000Z');
      expect(out).toEqual({ siteId: 'S1', limitAt: '2027-03-01T00:00:00.000Z', warn90At: '2026-12-01T00:00:00.000Z', warn30At: '2027-01-30T00:00:00.000Z', daysLeft: 58 });
    });
  });

  describe('marksByMonth', () => {
    it('counts warnings, suspensions and rectifications (passed or failed) per month (Art.21), other marks not', () => {
      const rows = marksByMonth(
        [
          { kind: 'warning', at: '2026-11-02T00:00:00.000Z' },
          { kind: 'suspension', at: '2026-11-05T00:00:00.000Z' },
          { kind: 'rectification-passed', at: '2026-12-01T00:00:00.000Z' },
          { kind: 'rectification-failed', at: '2026-12-02T00:00:00.000Z' },
          { kind: 'missed-deadline', at: '2026-12-02T00:00:00.000Z' },
        ],
        ['2026-11', '2026-12'],
      );
      expect(rows).toEqual([
        { month: '2026-11', warning: 1, suspension: 1, rectification: 0 },
        { month: '2026-12', warning: 0, suspension: 0, rectification: 2 },
      ]);
    });
  });

  describe('campaignProgress', () => {
    it('counts notified, submitted, overdue (missed, Art.20), decided and the outcomes from the evaluations', () => {
      const campaign = { campaignId: 'C1', title: '2026 年度评估', status: 'OPEN', deadline: '2026-12-20T00:00:00.000Z', siteCount: 5 };
      const out = campaignProgress(campaign, [
        { status: 'NOTICE_PENDING' },
        { status: 'NOTIFIED', notifiedAt: '2026-12-01T00:00:00.000Z' },
        { status: 'SUBMITTED', notifiedAt: '2026-12-01T00:00:00.000Z', outcome: 'pass' },
        { status: 'SUBMITTED', notifiedAt: '2026-12-01T00:00:00.000Z', outcome: 'warning' },
        { status: 'MISSED', notifiedAt: '2026-12-01T00:00:00.000Z' },
      ]);
      expect(out).toMatchObject({ siteCount: 5, notified: 4, submitted: 2, overdue: 1, decided: 2, outcomes: { pass: 1, warning: 1 } });
    });
  });
});

describe('exports', () => {
  const site = { certificateNumber: 'CBEC-440000-2026-0001', institutionName: '广州南方商贸职业技术学院', provinceCode: '440000', cityCode: '440100', activatedAt: '2026-01-10T00:00:00.000Z', accreditedRooms: 2, accreditedSeats: 80, accreditedCapacity: 60 };

  it('gives Chinese headers by default and English on request, province names in the language and China time', () => {
    const zh = tableCells(registerTable('zh'), [site], 'zh');
    const en = tableCells(registerTable('en'), [site], 'en');
    expect(zh.headers[0]).toBe('证书编号');
    expect(en.headers[0]).toBe('Certificate number');
    expect(zh.rows[0]).toEqual(['CBEC-440000-2026-0001', '广州南方商贸职业技术学院', '广东省', '440100', '2026-01-10 08:00', 2, 80, 60]);
    expect(en.rows[0]?.[2]).toBe('Guangdong');
    expect(chinaTime(undefined)).toBe('');
  });

  it('names the pilot colleges of an uncovered city in the coverage table (Art.8)', () => {
    const cells = tableCells(coverageTable('zh'), [{ provinceCode: '350000', cityCode: '350200', pilotColleges: 2, activeSites: 0, covered: false, collegeNames: ['甲学院', '乙学院'] }], 'zh');
    expect(cells.rows[0]).toEqual(['福建省', '350200', 2, 0, '否', '甲学院、乙学院']);
  });

  it('writes CSV with a byte-order mark, CRLF, RFC 4180 quoting and formula-looking text neutralised', () => {
    const text = csvText(['名称', 'n'], [['a,"b"', 1], ['=HYPERLINK("x")', null], ['-1+2', 3]]);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).split('\r\n')).toEqual(['名称,n', '"a,""b""",1', `"'=HYPERLINK(""x"")",`, "'-1+2,3", '']);
  });

  it('writes a workbook that reads back with its Chinese header, its rows and a valid sheet name', async () => {
    const cells = tableCells(auditTable('zh', { zh: '站点操作记录 S1', en: 'Site audit trail S1' }), [{ at: '2026-12-01T02:00:00.000Z', action: 'site-activated', actor: { zh: '系统', en: 'System' }, to: 'ACTIVE', article: 'Art.5' }], 'zh');
    const buffer = await xlsxBuffer('站点操作记录 S1', cells.headers, cells.rows);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(buffer as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('站点操作记录 S1');
    expect(sheet.getRow(1).values).toEqual([undefined, '时间', '操作', '操作人', '原状态', '新状态', '依据条款', '理由']);
    expect(sheet.getRow(2).getCell(3).value).toBe('系统');
    expect(sheet.rowCount).toBe(2);
    const name = sheetName('a/b:c*d?[e]'.repeat(5));
    expect(name.length).toBeLessThanOrEqual(31);
    expect(name).not.toMatch(/[[\]:*?/\\]/);
  });
});

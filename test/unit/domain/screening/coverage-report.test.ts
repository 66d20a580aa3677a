import { describe, expect, it } from 'vitest';
import type { PilotCollege } from '../../../../schemas/pilot-college.schema.ts';
import { coverageReport } from '../../../../functions/domain/screening/coverage-report.ts';

const college = (creditCode: string, name: string, cityCode: string, active = true): PilotCollege => ({
  creditCode,
  name,
  provinceCode: `${cityCode.slice(0, 2)}0000`,
  cityCode,
  active,
});

const register: PilotCollege[] = [
  college('12440100455861238H', '广州南方商贸职业技术学院', '440100'),
  college('52330100MJ9082147H', '杭州钱塘商务职业学院', '330100'),
  college('12350200MB01397659', '厦门海湾职业技术学院', '350200'),
  college('124403004558710261', '深圳湾区信息职业技术学院', '440300', false),
];

describe('coverage-report', () => {
  describe('coverageReport', () => {
    it('lists the prefecture-level cities with pilot colleges but no active site (Art.8)', () => {
      const report = coverageReport(register, [{ cityCode: '440100', siteId: 'site-1' }]);

      expect(report).toMatchObject({ article: 'Art.8', citiesWithPilotColleges: 3, coveredCities: 1 });
      expect(report.uncoveredCities).toEqual([
        { provinceCode: '330000', cityCode: '330100', pilotColleges: [{ creditCode: '52330100MJ9082147H', name: '杭州钱塘商务职业学院' }] },
        { provinceCode: '350000', cityCode: '350200', pilotColleges: [{ creditCode: '12350200MB01397659', name: '厦门海湾职业技术学院' }] },
      ]);
    });

    it('ignores inactive register entries: a city whose only college left the pilot needs no site (Art.8)', () => {
      const report = coverageReport(register, []);

      expect(report.uncoveredCities.map((c) => c.cityCode)).not.toContain('440300');
    });

    it('counts a site in a city without pilot colleges for nothing (Art.8)', () => {
      const report = coverageReport(register, [{ cityCode: '110100' }]);

      expect(report.coveredCities).toBe(0);
      expect(report.uncoveredCities).toHaveLength(3);
    });

    it('reports full coverage when every city has a site (Art.8)', () => {
      const report = coverageReport(register, [{ cityCode: '440100' }, { cityCode: '330100' }, { cityCode: '350200' }]);

      expect(report.uncoveredCities).toEqual([]);
      expect(report.coveredCities).toBe(report.citiesWithPilotColleges);
    });
  });
});

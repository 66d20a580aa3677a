import { describe, expect, it } from 'vitest';
import { PROVINCES, cityBelongsToProvince, isCityCode, isProvinceCode, provinceOfCity } from '../../../schemas/validators/region-codes.ts';
import { isHostInCidr, maskToPrefix, parseCidr, parseIpv4 } from '../../../schemas/validators/ipv4.ts';

describe('region-codes', () => {
  it('lists the 34 province-level divisions of GB/T 2260, each ending in 0000', () => {
    expect(PROVINCES).toHaveLength(34);
    expect(PROVINCES.every((p) => /^\d{2}0000$/.test(p.code))).toBe(true);
  });

  describe('cityBelongsToProvince', () => {
    it('accepts Guangzhou in Guangdong and the district code of a municipality', () => {
      expect(cityBelongsToProvince('440100', '440000')).toBe(true);
      expect(cityBelongsToProvince('110100', '110000')).toBe(true);
    });

    it('refuses a city of another province, a county code and a province code as city', () => {
      expect(cityBelongsToProvince('350200', '440000')).toBe(false);
      expect(cityBelongsToProvince('440106', '440000')).toBe(false);
      expect(cityBelongsToProvince('440000', '440000')).toBe(false);
    });
  });

  it('knows province codes and derives the province of a city', () => {
    expect(isProvinceCode('440000')).toBe(true);
    expect(isProvinceCode('990000')).toBe(false);
    expect(isCityCode('990100')).toBe(false);
    expect(provinceOfCity('350200')).toBe('350000');
  });
});

describe('ipv4', () => {
  it('parses addresses and refuses leading zeros and out-of-range octets', () => {
    expect(parseIpv4('192.168.1.10')).toBe(0xc0a8010a);
    expect(parseIpv4('192.168.01.10')).toBeUndefined();
    expect(parseIpv4('192.168.1.256')).toBeUndefined();
  });

  it('turns contiguous masks into prefixes and refuses holes', () => {
    expect(maskToPrefix('255.255.255.0')).toBe(24);
    expect(maskToPrefix('255.255.252.0')).toBe(22);
    expect(maskToPrefix('255.0.255.0')).toBeUndefined();
  });

  it('tells host addresses of a subnet from its network, broadcast and outside addresses (Art.11(2)2)', () => {
    const cidr = parseCidr('192.168.101.0/24')!;

    expect(isHostInCidr('192.168.101.200', cidr)).toBe(true);
    expect(isHostInCidr('192.168.101.0', cidr)).toBe(false);
    expect(isHostInCidr('192.168.101.255', cidr)).toBe(false);
    expect(isHostInCidr('192.168.102.1', cidr)).toBe(false);
  });

  it('normalises a CIDR written with a host address to its network', () => {
    expect(parseCidr('10.1.2.3/16')).toEqual({ network: parseIpv4('10.1.0.0'), prefix: 16 });
    expect(parseCidr('10.1.2.3/33')).toBeUndefined();
  });
});

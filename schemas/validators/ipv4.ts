/**
 * Small IPv4 helpers for the Art.11(2)2 rule: the invigilator PC has a fixed
 * IP address on the same subnet as the candidate PCs of its room.
 */

/** The address as an unsigned 32-bit number, or undefined when malformed. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** Formats an unsigned 32-bit number as dotted quad. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Netmask (as a number) of a prefix length 0–32. */
export function prefixToMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Prefix length of a contiguous dotted netmask (`255.255.255.0` → 24), or undefined. */
export function maskToPrefix(mask: string): number | undefined {
  const value = parseIpv4(mask);
  if (value === undefined) return undefined;
  for (let prefix = 0; prefix <= 32; prefix += 1) if (prefixToMask(prefix) === value) return prefix;
  return undefined;
}

export interface Ipv4Cidr {
  readonly network: number;
  readonly prefix: number;
}

/** Parses `192.168.10.0/24`; the address part is normalised to its network. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const [address, prefixText, extra] = text.split('/');
  if (address === undefined || prefixText === undefined || extra !== undefined) return undefined;
  if (!/^(\d|[12]\d|3[0-2])$/.test(prefixText)) return undefined;
  const ip = parseIpv4(address);
  if (ip === undefined) return undefined;
  const prefix = Number(prefixText);
  return { network: (ip & prefixToMask(prefix)) >>> 0, prefix };
}

/**
 * True when `ip` is a usable host address of `cidr` (inside it, and for
 * prefixes up to /30 neither the network nor the broadcast address).
 */
export function isHostInCidr(ip: string, cidr: Ipv4Cidr): boolean {
  const value = parseIpv4(ip);
  if (value === undefined) return false;
  const mask = prefixToMask(cidr.prefix);
  if (((value & mask) >>> 0) !== cidr.network) return false;
  if (cidr.prefix >= 31) return true;
  const broadcast = (cidr.network | (~mask >>> 0)) >>> 0;
  return value !== cidr.network && value !== broadcast;
}

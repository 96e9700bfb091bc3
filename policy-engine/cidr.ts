/**
 * CIDR matching for `IpAddress` / `NotIpAddress` and the BPA "fixed aws:SourceIp" test
 * (docs/spec/access.md §2 R2.5, §5 R5.7), on top of `ipaddr.js` (the one library the engine uses).
 *
 * IPv4 only in four-part decimal form (`10.0.0.1`, not `10.1` or `0xa.0.0.1`); a bare address is a
 * /32 (IPv4) or /128 (IPv6); an IPv4-mapped IPv6 request address (`::ffff:10.0.0.1`, as Node reports
 * IPv4 peers on a dual-stack socket) is compared as IPv4.
 */

import { IPv4, IPv6 } from 'ipaddr.js';

export interface Cidr {
  readonly source: string;
  readonly kind: 'ipv4' | 'ipv6';
  readonly address: IPv4 | IPv6;
  readonly prefix: number;
}

function parseAddress(text: string): IPv4 | IPv6 | undefined {
  if (IPv4.isValidFourPartDecimal(text)) return IPv4.parse(text);
  if (text.includes(':') && IPv6.isValid(text)) {
    const v6 = IPv6.parse(text);
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  }
  return undefined;
}

/** A policy value `a.b.c.d[/n]` or `x:y::z[/n]`; undefined when it is not one. */
export function parseCidr(source: string): Cidr | undefined {
  const text = source.trim();
  const slash = text.indexOf('/');
  const addrText = slash === -1 ? text : text.slice(0, slash);
  const prefixText = slash === -1 ? undefined : text.slice(slash + 1);
  if (addrText.includes('%')) return undefined;
  const address = IPv4.isValidFourPartDecimal(addrText)
    ? IPv4.parse(addrText)
    : addrText.includes(':') && IPv6.isValid(addrText)
      ? IPv6.parse(addrText)
      : undefined;
  if (address === undefined) return undefined;
  const kind = address.kind();
  const max = kind === 'ipv4' ? 32 : 128;
  if (prefixText !== undefined && !/^[0-9]{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { source, kind, address, prefix };
}

/** Whether a request address (as the server saw the peer) lies in a CIDR. */
export function ipInCidr(ip: string, cidr: Cidr): boolean {
  const address = parseAddress(ip.trim());
  if (address === undefined) return false;
  if (address.kind() === 'ipv4' && cidr.kind === 'ipv4') return (address as IPv4).match(cidr.address as IPv4, cidr.prefix);
  if (address.kind() === 'ipv6' && cidr.kind === 'ipv6') return (address as IPv6).match(cidr.address as IPv6, cidr.prefix);
  // An IPv4 request against an IPv4-mapped IPv6 range (`::ffff:0:0/96` and narrower).
  if (address.kind() === 'ipv4' && cidr.kind === 'ipv6') return (address as IPv4).toIPv4MappedAddress().match(cidr.address as IPv6, cidr.prefix);
  return false;
}

/**
 * "Not broader than /8 (IPv4) or /32 (IPv6), RFC 1918 ranges exempt" (§5 R5.7): such a CIDR pins
 * the callers to a fixed set of addresses. The RFC 1918 ranges (10/8, 172.16/12, 192.168/16) are
 * all /8 or narrower, so every CIDR inside them already passes the /8 test.
 */
export function isNarrowCidr(cidr: Cidr): boolean {
  return cidr.kind === 'ipv6' ? cidr.prefix >= 32 : cidr.prefix >= 8;
}

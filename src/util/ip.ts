/**
 * IP address text, parsed once for every part that needs it: the SSRF guard (outbound/ssrf.ts)
 * and the per-client limits (the sentinel's send counts, the connection cap, the request limit).
 */
import { isIPv6 } from 'node:net';

export function v4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** The eight 16-bit groups of an IPv6 address (with an optional trailing dotted IPv4). */
export function v6Groups(address: string): number[] {
  let text = address.toLowerCase().split('%')[0] ?? '';
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const v = v4ToInt(dotted[1]);
    text = `${text.slice(0, -dotted[1].length)}${(v >>> 16).toString(16)}:${(v & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? [] : new Array<number>(8 - h.length - t.length).fill(0);
  return [...h, ...fill, ...t];
}

/**
 * The client a per-client limit counts: an IPv4 address as it is, an IPv6 client by its /64 (which
 * one subscriber usually holds whole: `2001:db8:0:1::/64`), an IPv4-mapped IPv6 address as it is
 * (it is one IPv4 client, not the ::ffff:0:0/96 block).
 */
export function clientKey(ip: string): string {
  if (!isIPv6(ip) || ip.toLowerCase().startsWith('::ffff:')) return ip;
  return `${v6Groups(ip)
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

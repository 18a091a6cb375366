/**
 * The SSRF guard: every outbound connection (deliveries and /test) is checked at connect time,
 * against the address actually dialled, after DNS resolution, so neither DNS rebinding nor a
 * hostname that resolves inward gets through. (Redirects are never followed at all.)
 *
 * Refused: loopback, RFC 1918, link-local (incl. cloud metadata at 169.254.169.254), CGNAT,
 * unspecified, multicast, reserved, benchmarking, documentation, IETF special ranges, ULA and
 * site-local IPv6, and IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4),
 * judged by the embedded address. IPv4-compatible and IPv4-translated (RFC 2765, ::ffff:0:0/96)
 * addresses are refused whatever they embed: nothing on the Internet is reached that way, while a
 * SIIT translator in the path would carry them to the embedded, possibly internal, address. Extra
 * NAT64 prefixes (RFC 6052) can be configured; addresses in them are judged by the IPv4 address they
 * embed. Odd IPv4 spellings (decimal, octal, hex) never reach this point unnormalised: the URL
 * parser turns them into dotted quads first.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Resolver } from 'node:dns/promises';
import { isIP, isIPv4 } from 'node:net';
import { buildConnector } from 'undici';
import { v4ToInt, v6Groups } from '../util/ip.ts';

export const BLOCKED_CODE = 'E_BLOCKED_DESTINATION';

/**
 * The settings that would let a refused destination through, in words: the narrow one
 * (HERALD_ALLOWED_DESTINATIONS with this host or address) first, then lifting the guard for
 * development (HERALD_ALLOW_PRIVATE_NETWORKS, which `herald dev` sets).
 */
export function allowHint(host: string, address: string): string {
  const entry = isIP(host.replace(/^\[|\]$/g, '')) ? address : host;
  return (
    `to allow it, add ${entry} to HERALD_ALLOWED_DESTINATIONS (a host name or CIDR), ` +
    'or, in development only, set HERALD_ALLOW_PRIVATE_NETWORKS=true (herald dev does)'
  );
}

export class BlockedDestinationError extends Error {
  readonly code = BLOCKED_CODE;
  constructor(host: string, address: string, reason: string) {
    super(
      `${BLOCKED_CODE}: ${host === address ? address : `${host} (${address})`} is ${reason}; refused by the SSRF guard; ${allowHint(host, address)}`,
    );
    this.name = 'BlockedDestinationError';
  }
}

const V4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, 'an unspecified ("this network") address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'an IETF protocol address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.88.99.0', 24, 'a 6to4 relay address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];

function v4Reason(address: string): string | undefined {
  const value = v4ToInt(address);
  for (const [base, bits, reason] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    const start = v4ToInt(base);
    if (value >= start && value < start + size) return reason;
  }
  return undefined;
}

const v4FromGroups = (hi: number, lo: number) => `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;

function v6Reason(address: string): string | undefined {
  const g = v6Groups(address);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (zeroPrefix && g5 === 0 && g6 === 0 && g7 === 0) return 'the unspecified address';
  if (zeroPrefix && g5 === 0 && g6 === 0 && g7 === 1) return 'a loopback address';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d): judged as the IPv4 address.
  if (zeroPrefix && (g5 === 0xffff || g5 === 0))
    return v4Reason(v4FromGroups(g6, g7)) ?? (g5 === 0 ? 'an IPv4-compatible address' : undefined);
  // IPv4-translated (::ffff:0:a.b.c.d, RFC 2765): never a public destination; named with what it embeds.
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) {
    const embedded = v4Reason(v4FromGroups(g6, g7));
    return `an IPv4-translated address (::ffff:0:0/96)${embedded ? `, embedding ${embedded}` : ''}`;
  }
  // NAT64 well-known prefix 64:ff9b::/96 embeds the IPv4 address in the last 32 bits.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return v4Reason(v4FromGroups(g6, g7));
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'a local-use NAT64 address';
  // 6to4 (2002::/16) embeds the IPv4 address in bits 16–48.
  if (g0 === 0x2002) return v4Reason(v4FromGroups(g1, g2)) ?? undefined;
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return 'a discard-only address';
  if (g0 === 0x2001 && g1 < 0x200) return 'an IETF protocol address (Teredo, benchmarking, …)';
  if (g0 === 0x2001 && g1 === 0xdb8) return 'a documentation address';
  if ((g0 & 0xfff0) === 0x3ff0) return 'a documentation address';
  if ((g0 & 0xfe00) === 0xfc00) return 'a unique local address';
  if ((g0 & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((g0 & 0xffc0) === 0xfec0) return 'a site-local address';
  if ((g0 & 0xff00) === 0xff00) return 'a multicast address';
  return undefined;
}

/** Why `address` (an IP literal) is refused, or undefined when it is a public destination. */
export function refusalReason(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  const version = isIP(bare);
  if (version === 4) return v4Reason(bare);
  if (version === 6) return v6Reason(bare);
  return 'not an IP address';
}

/** A CIDR as [groups or v4 int, prefix bits, version]. */
interface Cidr {
  version: 4 | 6;
  bits: number;
  value: number[];
}

function parseCidr(text: string): Cidr | undefined {
  const [address = '', bitsText, ...rest] = text.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return undefined;
  const max = version === 4 ? 32 : 128;
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = bitsText === undefined ? max : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > max) return undefined;
  return version === 4
    ? { version: 4, bits, value: [v4ToInt(address)] }
    : { version: 6, bits, value: v6Groups(address) };
}

function inCidr(address: string, cidr: Cidr): boolean {
  if (cidr.version === 4) {
    if (!isIPv4(address)) return false;
    const size = 2 ** (32 - cidr.bits);
    const start = Math.floor((cidr.value[0] ?? 0) / size) * size;
    const v = v4ToInt(address);
    return v >= start && v < start + size;
  }
  if (isIP(address) !== 6) return false;
  const groups = v6Groups(address);
  let remaining = cidr.bits;
  for (let i = 0; i < 8 && remaining > 0; i++, remaining -= 16) {
    const take = Math.min(16, remaining);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((groups[i] ?? 0) & mask) !== ((cidr.value[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The prefix lengths RFC 6052 §2.2 defines for IPv4-embedded IPv6 addresses. */
const NAT64_PREFIX_LENGTHS = new Set([32, 40, 48, 56, 64, 96]);

/**
 * A NAT64 prefix from configuration: an IPv6 CIDR of an RFC 6052 length with no bits set past the
 * prefix, outside ::/64 (where IPv4-mapped, -compatible and -translated addresses live, which the
 * guard refuses or judges on its own whatever the configuration says).
 */
function parseNat64Prefix(text: string): Cidr | undefined {
  const cidr = parseCidr(text);
  if (cidr?.version !== 6 || !NAT64_PREFIX_LENGTHS.has(cidr.bits)) return undefined;
  if (cidr.value.slice(0, 4).every((group) => group === 0)) return undefined;
  const hostBitsClear = cidr.value.every((group, i) => {
    const kept = Math.max(0, Math.min(16, cidr.bits - i * 16));
    return (group & (0xffff >> kept)) === 0;
  });
  return hostBitsClear ? cidr : undefined;
}

/** Whether `entry` is a NAT64 prefix Herald can extract IPv4 addresses from (RFC 6052 lengths only). */
export function isValidNat64Prefix(entry: string): boolean {
  return parseNat64Prefix(entry) !== undefined;
}

/**
 * The IPv4 address an IPv6 address under a NAT64 prefix of `bits` embeds (RFC 6052 §2.2): the 32
 * bits after the prefix, skipping bits 64–71 (the "u" octet, always zero) for prefixes shorter than
 * /96. Undefined when the u octet is not zero: no translator produces such an address.
 */
function nat64Embedded(groups: number[], bits: number): string | undefined {
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (bits < 96 && bytes[8] !== 0) return undefined;
  const v4 = bytes.filter((_, i) => i >= bits / 8 && (bits === 96 || i !== 8)).slice(0, 4);
  return v4.join('.');
}

interface Nat64Prefix {
  text: string;
  cidr: Cidr;
}

/** Why an address under the NAT64 `prefix` is refused: the reason of the IPv4 address it embeds. */
function nat64Refusal(address: string, prefix: Nat64Prefix): string | undefined {
  const embedded = nat64Embedded(v6Groups(address), prefix.cidr.bits);
  if (embedded === undefined)
    return `a malformed address under the NAT64 prefix ${prefix.text} (bits 64–71 are not zero)`;
  const reason = v4Reason(embedded);
  return reason && `${reason} (${embedded}) behind the NAT64 prefix ${prefix.text}`;
}

export interface DestinationPolicy {
  /** Why a connection to `address` (resolved for `host`) is refused, or undefined to allow it. */
  refusal(host: string, address: string): string | undefined;
}

/**
 * The policy from configuration: `allowPrivateNetworks` lifts the guard entirely (development and
 * tests); `allowList` entries are CIDRs (`10.1.0.0/16`, `fd00::/8`, a single IP) or hostnames
 * (`hooks.internal`, or `*.corp.example` for any subdomain) that may be reached even if private;
 * `nat64Prefixes` are the network's own NAT64 prefixes (`2001:db8:64::/96`; RFC 6052 lengths),
 * besides the well-known 64:ff9b::/96: an address under one is judged by the IPv4 address it embeds.
 * Invalid prefixes are ignored here; configuration refuses them first (isValidNat64Prefix).
 */
export function createDestinationPolicy(options: {
  allowPrivateNetworks: boolean;
  allowList: readonly string[];
  nat64Prefixes?: readonly string[] | undefined;
}): DestinationPolicy {
  const nat64 = (options.nat64Prefixes ?? []).flatMap((text): Nat64Prefix[] => {
    const cidr = parseNat64Prefix(text);
    return cidr ? [{ text, cidr }] : [];
  });
  const cidrs: Cidr[] = [];
  const hosts: string[] = [];
  for (const entry of options.allowList) {
    const cidr = parseCidr(entry);
    if (cidr) cidrs.push(cidr);
    else hosts.push(entry.toLowerCase());
  }
  const hostAllowed = (host: string) =>
    hosts.some((h) => (h.startsWith('*.') ? host.endsWith(h.slice(1)) : host === h));
  return {
    refusal(host, address) {
      if (options.allowPrivateNetworks) return undefined;
      if (hostAllowed(host.toLowerCase())) return undefined;
      if (cidrs.some((c) => inCidr(address, c))) return undefined;
      const bare = address.replace(/^\[|\]$/g, '');
      const prefix = nat64.find((p) => inCidr(bare, p.cidr));
      return prefix ? nat64Refusal(bare, prefix) : refusalReason(address);
    },
  };
}

/** The policy the configuration sets: one construction for deliveries, `/test` and the message connector. */
export function destinationPolicyOf(config: {
  allowPrivateNetworks: boolean;
  allowedDestinations?: readonly string[] | undefined;
  nat64Prefixes?: readonly string[] | undefined;
}): DestinationPolicy {
  return createDestinationPolicy({
    allowPrivateNetworks: config.allowPrivateNetworks,
    allowList: config.allowedDestinations ?? [],
    nat64Prefixes: config.nat64Prefixes ?? [],
  });
}

const isLocalhostName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/**
 * Why the guard will refuse deliveries to `url`, judged without any network I/O: an IP literal
 * host, or `localhost` / `*.localhost` (which resolve to loopback, RFC 6761). Undefined when the
 * URL's host is a name (only its resolved addresses tell; see `destinationWarningResolved`), the
 * guard allows it, or the URL cannot be parsed (its deliveries fail for that reason instead).
 */
export function destinationWarning(policy: DestinationPolicy, url: string): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  const bare = host.replace(/^\[|\]$/g, '');
  let address: string;
  if (isIP(bare)) address = bare;
  else if (isLocalhostName(bare)) address = '127.0.0.1';
  else return undefined;
  const reason = policy.refusal(bare, address);
  if (!reason) return undefined;
  const what = bare === address ? address : `${bare} (${address})`;
  return `Deliveries to this URL will fail: ${what} is ${reason}, which the SSRF guard refuses; ${allowHint(bare, address)}.`;
}

/**
 * `destinationWarning`, and for a host name its addresses too, looked up in DNS (A and AAAA, not
 * /etc/hosts) with a short timeout: a name that resolves to an internal address gets the warning,
 * one that does not resolve in time gets none (the guard still judges every delivery).
 */
export async function destinationWarningResolved(
  policy: DestinationPolicy,
  url: string,
  options: { timeoutMs?: number; resolver?: Resolver } = {},
): Promise<string | undefined> {
  const literal = destinationWarning(policy, url);
  if (literal) return literal;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  if (isIP(host.replace(/^\[|\]$/g, '')) || isLocalhostName(host) || !host.includes('.')) return undefined;
  const resolver = options.resolver ?? new Resolver({ timeout: options.timeoutMs ?? 300, tries: 1 });
  const timeoutMs = options.timeoutMs ?? 300;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => {
      resolver.cancel();
      resolve([]);
    }, timeoutMs);
  });
  const lookups = Promise.all([
    resolver.resolve4(host).catch(() => [] as string[]),
    resolver.resolve6(host).catch(() => [] as string[]),
  ]).then(([v4, v6]) => [...v4, ...v6]);
  const addresses = await Promise.race([lookups, deadline]).finally(() => clearTimeout(timer));
  for (const address of addresses) {
    const reason = policy.refusal(host, address);
    if (reason)
      return `Deliveries to this URL will fail: ${host} resolves to ${address}, ${reason}, which the SSRF guard refuses; ${allowHint(host, address)}.`;
  }
  return undefined;
}

/** Whether `entry` is an IP address or a CIDR (`10.0.0.0/8`, `fd00::/8`). */
export const isCidr = (entry: string): boolean => parseCidr(entry) !== undefined;

/** Whether an allow-list entry is a CIDR or a hostname pattern Herald understands. */
export function isValidAllowListEntry(entry: string): boolean {
  return isCidr(entry) || /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(entry);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * An undici connector that refuses blocked destinations: IP literals before dialling, hostnames in
 * the DNS lookup that net.connect uses, so the address checked is the address dialled.
 */
export function createGuardedConnector(
  policy: DestinationPolicy,
  options: { timeoutMs: number },
): buildConnector.connector {
  const lookup = (hostname: string, lookupOptions: { all?: boolean; family?: number }, callback: LookupCallback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      for (const a of addresses) {
        const reason = policy.refusal(hostname, a.address);
        if (reason) return callback(new BlockedDestinationError(hostname, a.address, reason), []);
      }
      if (lookupOptions.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
  const base = buildConnector({ timeout: options.timeoutMs, lookup: lookup as never });
  return (opts, callback) => {
    const host = opts.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) {
      const reason = policy.refusal(host, host);
      if (reason) {
        callback(new BlockedDestinationError(host, host, reason), null);
        return;
      }
    }
    base(opts, callback);
  };
}

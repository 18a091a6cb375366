import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDestinationPolicy, isValidAllowListEntry, isValidNat64Prefix, refusalReason } from './ssrf.ts';

const refused = [
  '127.0.0.1',
  '127.255.255.254',
  '10.0.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '100.127.255.255',
  '0.0.0.0',
  '0.1.2.3',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  '198.18.0.1',
  '198.19.255.255',
  '192.0.2.1',
  '198.51.100.7',
  '203.0.113.9',
  '192.0.0.8',
  '192.88.99.1',
  '::',
  '::1',
  '[::1]',
  'fe80::1',
  'fc00::1',
  'fd12:3456::1',
  'fec0::1',
  'ff02::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:10.0.0.1',
  '::127.0.0.1',
  '::8.8.8.8',
  '64:ff9b::7f00:1',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b:1::1',
  '2002:7f00:1::1',
  '2002:c0a8:101::1',
  '2001:db8::1',
  '2001::1',
  '2001:2::1',
  '100::1',
  '3fff::1',
  'fd00:ec2::254',
];
const allowed = [
  '8.8.8.8',
  '1.1.1.1',
  '172.32.0.1',
  '100.128.0.1',
  '192.169.0.1',
  '2606:4700:4700::1111',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
];

describe('refusalReason', () => {
  it('refuses every private, local and reserved range, in every IPv6 form that embeds one', () => {
    for (const address of refused) assert.ok(refusalReason(address), `${address} should be refused`);
  });
  it('allows public addresses', () => {
    for (const address of allowed) assert.equal(refusalReason(address), undefined, address);
  });
  it('names the reason', () => {
    assert.match(refusalReason('169.254.169.254') ?? '', /link-local/);
    assert.match(refusalReason('::ffff:192.168.0.1') ?? '', /private/);
  });
  it('refuses IPv4-translated addresses (::ffff:0:0/96) whatever they embed, naming the form and the embedded address', () => {
    for (const address of [
      '::ffff:0:127.0.0.1',
      '::ffff:0:7f00:1',
      '0:0:0:0:ffff:0:a9fe:a9fe',
      '::ffff:0:8.8.8.8',
      '::ffff:0:0:0',
    ]) {
      assert.match(refusalReason(address) ?? '', /IPv4-translated/, address);
    }
    assert.match(refusalReason('::ffff:0:127.0.0.1') ?? '', /loopback/);
    assert.match(refusalReason('::ffff:0:169.254.169.254') ?? '', /link-local/);
    assert.equal(new URL('http://[::ffff:0:127.0.0.1]:8080/').hostname, '[::ffff:0:7f00:1]');
    assert.ok(refusalReason(new URL('http://[::ffff:0:127.0.0.1]:8080/').hostname));
  });
  it('sees through odd IPv4 spellings once the URL parser has normalised them', () => {
    for (const url of [
      'http://2130706433/',
      'http://0x7f000001/',
      'http://0177.0.0.1/',
      'http://0x7f.1/',
      'http://127.1/',
      'http://[::ffff:7f00:1]/',
    ]) {
      const host = new URL(url).hostname;
      assert.ok(refusalReason(host), `${url} → ${host}`);
    }
  });
});

describe('createDestinationPolicy', () => {
  it('allows everything with allowPrivateNetworks', () => {
    assert.equal(
      createDestinationPolicy({ allowPrivateNetworks: true, allowList: [] }).refusal('x', '127.0.0.1'),
      undefined,
    );
  });
  it('allows listed CIDRs and hostnames, and nothing else', () => {
    const policy = createDestinationPolicy({
      allowPrivateNetworks: false,
      allowList: ['10.1.0.0/16', 'fd00::/8', 'hooks.internal', '*.corp.example'],
    });
    assert.equal(policy.refusal('a', '10.1.2.3'), undefined);
    assert.ok(policy.refusal('a', '10.2.0.1'));
    assert.equal(policy.refusal('a', 'fd00::5'), undefined);
    assert.ok(policy.refusal('a', 'fc00::5'));
    assert.equal(policy.refusal('hooks.internal', '192.168.0.1'), undefined);
    assert.equal(policy.refusal('a.b.corp.example', '192.168.0.1'), undefined);
    assert.ok(policy.refusal('corp.example.evil', '192.168.0.1'));
    assert.equal(policy.refusal('example.com', '8.8.8.8'), undefined);
  });
  it('validates allow-list entries', () => {
    for (const ok of ['10.0.0.0/8', '127.0.0.1', '::1/128', 'hooks.internal', '*.corp.example', 'localhost'])
      assert.ok(isValidAllowListEntry(ok), ok);
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/x', '10.0.0.0/8/9', 'http://x', 'a b', '*.'])
      assert.ok(!isValidAllowListEntry(bad), bad);
  });
});

describe('NAT64 prefixes', () => {
  // RFC 6052 §2.4's examples: 192.0.2.33 under a prefix of each length.
  const rfcExamples: [string, string][] = [
    ['2001:db8::/32', '2001:db8:c000:221::'],
    ['2001:db8:100::/40', '2001:db8:1c0:2:21::'],
    ['2001:db8:122::/48', '2001:db8:122:c000:2:2100::'],
    ['2001:db8:122:300::/56', '2001:db8:122:3c0:0:221::'],
    ['2001:db8:122:344::/64', '2001:db8:122:344:c0:2:2100::'],
    ['2001:db8:122:344::/96', '2001:db8:122:344::192.0.2.33'],
  ];
  const guard = (nat64Prefixes: string[]) =>
    createDestinationPolicy({ allowPrivateNetworks: false, allowList: [], nat64Prefixes });

  it('extracts the embedded IPv4 address at every RFC 6052 prefix length, skipping bits 64–71', () => {
    for (const [prefix, address] of rfcExamples) {
      assert.match(
        guard([prefix]).refusal('h', address) ?? '',
        /documentation address \(192\.0\.2\.33\) behind the NAT64 prefix/,
        `${prefix} ${address}`,
      );
    }
  });
  it('judges an address under a configured prefix by its embedded IPv4 address only', () => {
    const policy = guard(['2a00:1450:64::/96', '64:ff9b:1::/48']);
    assert.equal(
      refusalReason('2a00:1450:64::7f00:1'),
      undefined,
      'a public-looking address without the prefix configured',
    );
    assert.match(
      policy.refusal('h', '2a00:1450:64::7f00:1') ?? '',
      /loopback address \(127\.0\.0\.1\) behind the NAT64 prefix 2a00:1450:64::\/96/,
    );
    assert.match(policy.refusal('h', '[2a00:1450:64::a9fe:a9fe]') ?? '', /link-local/);
    assert.equal(policy.refusal('h', '2a00:1450:64::808:808'), undefined);
    // The local-use prefix 64:ff9b:1::/48 is refused unless configured; then 8.8.8.8 in it is public.
    assert.ok(refusalReason('64:ff9b:1:808:8:800::'));
    assert.equal(policy.refusal('h', '64:ff9b:1:808:8:800::'), undefined);
    assert.match(policy.refusal('h', '64:ff9b:1:a00:0:100::') ?? '', /private address \(10\.0\.0\.1\)/);
    // Outside every configured prefix the usual rules apply; the well-known prefix still works.
    assert.equal(policy.refusal('h', '2a00:1450:65::7f00:1'), undefined);
    assert.ok(policy.refusal('h', '64:ff9b::7f00:1'));
    assert.ok(policy.refusal('h', '::ffff:0:7f00:1'));
  });
  it('refuses an address whose u octet (bits 64–71) is not zero', () => {
    assert.match(
      guard(['2001:db8:122:344::/64']).refusal('h', '2001:db8:122:344:1c0:2:2100::') ?? '',
      /malformed.*bits 64–71/,
    );
    assert.match(guard(['2001:db8::/32']).refusal('h', '2001:db8:808:808:100::') ?? '', /malformed/);
  });
  it('still lets allowPrivateNetworks and the allow-list through', () => {
    assert.equal(
      createDestinationPolicy({
        allowPrivateNetworks: true,
        allowList: [],
        nat64Prefixes: ['2a00:1450:64::/96'],
      }).refusal('h', '2a00:1450:64::7f00:1'),
      undefined,
    );
    const listed = createDestinationPolicy({
      allowPrivateNetworks: false,
      allowList: ['2a00:1450:64::7f00:1'],
      nat64Prefixes: ['2a00:1450:64::/96'],
    });
    assert.equal(listed.refusal('h', '2a00:1450:64::7f00:1'), undefined);
  });
  it('validates prefixes: IPv6, an RFC 6052 length, nothing set past the prefix, outside ::/64', () => {
    for (const ok of [...rfcExamples.map(([p]) => p), '64:ff9b::/96', '64:ff9b:1::/48', '2a00:1450:64::/96'])
      assert.ok(isValidNat64Prefix(ok), ok);
    const bad = [
      '2001:db8::/33',
      '2001:db8::/128',
      '2001:db8::',
      '2001:db8::1/96',
      '2001:db8:122:344::/48',
      '10.0.0.0/8',
      '::/96',
      '::ffff:0:0/96',
      '::/32',
      '2001:db8::/96/1',
      'x',
      '',
      '2001:db8::/x',
    ];
    for (const entry of bad) assert.ok(!isValidNat64Prefix(entry), entry);
  });
});

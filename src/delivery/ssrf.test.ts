import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDestinationPolicy, isValidAllowListEntry, refusalReason } from './ssrf.ts';

const refused = [
  '127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
  '100.127.255.255', '0.0.0.0', '0.1.2.3', '224.0.0.1', '239.255.255.250', '240.0.0.1', '255.255.255.255', '198.18.0.1',
  '198.19.255.255', '192.0.2.1', '198.51.100.7', '203.0.113.9', '192.0.0.8', '192.88.99.1',
  '::', '::1', '[::1]', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'fec0::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1',
  '::ffff:10.0.0.1', '::127.0.0.1', '::8.8.8.8', '64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '64:ff9b:1::1', '2002:7f00:1::1', '2002:c0a8:101::1',
  '2001:db8::1', '2001::1', '2001:2::1', '100::1', '3fff::1', 'fd00:ec2::254',
];
const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];

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
  it('sees through odd IPv4 spellings once the URL parser has normalised them', () => {
    for (const url of ['http://2130706433/', 'http://0x7f000001/', 'http://0177.0.0.1/', 'http://0x7f.1/', 'http://127.1/', 'http://[::ffff:7f00:1]/']) {
      const host = new URL(url).hostname;
      assert.ok(refusalReason(host), `${url} → ${host}`);
    }
  });
});

describe('createDestinationPolicy', () => {
  it('allows everything with allowPrivateNetworks', () => {
    assert.equal(createDestinationPolicy({ allowPrivateNetworks: true, allowList: [] }).refusal('x', '127.0.0.1'), undefined);
  });
  it('allows listed CIDRs and hostnames, and nothing else', () => {
    const policy = createDestinationPolicy({ allowPrivateNetworks: false, allowList: ['10.1.0.0/16', 'fd00::/8', 'hooks.internal', '*.corp.example'] });
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
    for (const ok of ['10.0.0.0/8', '127.0.0.1', '::1/128', 'hooks.internal', '*.corp.example', 'localhost']) assert.ok(isValidAllowListEntry(ok), ok);
    for (const bad of ['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/x', 'http://x', 'a b', '*.']) assert.ok(!isValidAllowListEntry(bad), bad);
  });
});

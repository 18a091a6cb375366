import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 3001);
    assert.equal(config.host, '0.0.0.0');
    assert.deepEqual(config.database, { dialect: 'sqlite', path: './data/herald.db' });
    assert.equal(config.adminKey, undefined);
    assert.equal(config.logLevel, 'info');
  });

  it('reads sqlite and postgres URLs', () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:/var/lib/herald/h.db' }).database, {
      dialect: 'sqlite',
      path: '/var/lib/herald/h.db',
    });
    assert.deepEqual(loadConfig({ DATABASE_URL: 'sqlite:///var/lib/h.db' }).database, {
      dialect: 'sqlite',
      path: '/var/lib/h.db',
    });
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    assert.deepEqual(loadConfig({ DATABASE_URL: url }).database, { dialect: 'postgres', url });
  });

  it('names the variable of a bad value', () => {
    const cases: [string, string][] = [
      ['PORT', '70000'],
      ['PORT', '3.5'],
      ['DATABASE_URL', 'mysql://localhost/x'],
      ['DATABASE_URL', 'sqlite:'],
      ['LOG_LEVEL', 'verbose'],
      ['HERALD_ADMIN_KEY', 'tooshort'],
      ['HERALD_BODY_LIMIT_BYTES', '10'],
      ['HERALD_TRUST_PROXY', 'true'],
      ['HERALD_TRUST_PROXY', '10.0.0.0/33'],
      ['HERALD_TRUST_PROXY', 'proxy.internal'],
      ['HERALD_HTTP_MAX_CONNECTIONS', '2'],
      ['HERALD_NAT64_PREFIXES', '2001:db8::/120'],
      ['HERALD_NAT64_PREFIXES', '10.0.0.0/8'],
    ];
    for (const [name, value] of cases) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.variable, name);
          assert.ok(error.message.startsWith(`${name}:`));
          return true;
        },
      );
    }
  });

  it('reads HERALD_TRUST_PROXY as off, a hop count or proxy addresses', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ HERALD_TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ HERALD_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ HERALD_TRUST_PROXY: '10.0.0.0/8, loopback,::1' }).trustProxy, [
      '10.0.0.0/8',
      'loopback',
      '::1',
    ]);
  });

  it('reads NAT64 prefixes, and the guard judges their addresses by the IPv4 address inside', async () => {
    const config = loadConfig({ HERALD_NAT64_PREFIXES: '2001:db8:64::/96' });
    assert.deepEqual(config.nat64Prefixes, ['2001:db8:64::/96']);
    const { destinationPolicyOf } = await import('./outbound/ssrf.ts');
    const policy = destinationPolicyOf(config);
    assert.match(policy.refusal('x', '2001:db8:64::7f00:1') ?? '', /loopback/);
    assert.equal(policy.refusal('x', '2001:db8:64::808:808'), undefined, '8.8.8.8 inside the prefix is public');
    assert.equal(
      destinationPolicyOf(loadConfig({})).refusal('x', '2001:db8:64::7f00:1') === undefined,
      false,
      'documentation range anyway',
    );
  });

  it('refuses a header timeout longer than the request timeout', () => {
    assert.throws(
      () => loadConfig({ HERALD_HTTP_HEADERS_TIMEOUT_SECONDS: '40', HERALD_HTTP_REQUEST_TIMEOUT_SECONDS: '30' }),
      (error: unknown) => error instanceof ConfigError && error.variable === 'HERALD_HTTP_HEADERS_TIMEOUT_SECONDS',
    );
  });

  it('treats an empty value as unset', () => {
    assert.equal(loadConfig({ PORT: '' }).port, 3001);
  });
});

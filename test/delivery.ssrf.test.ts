/**
 * The SSRF guard against IPv4-translated addresses (RFC 2765, ::ffff:0:0/96): a hook pointing at
 * one is refused at connect time, once, and nothing reaches the receiver behind it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually, startTestServer } from './helpers/server.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

for (const store of stores) {
  describe(`SSRF guard, IPv4-translated addresses (${store})`, () => {
    it('refuses http://[::ffff:0:127.0.0.1]:PORT with E_BLOCKED_DESTINATION, naming the form; the receiver gets nothing', async () => {
      const t = await startTestServer(store, { HERALD_ALLOW_PRIVATE_NETWORKS: 'false' });
      const target = await startReceiver();
      try {
        const url = `http://[::ffff:0:127.0.0.1]:${new URL(target.url).port}/hook`;
        const created = await t.request('POST', '/api/hooks', { body: { events: ['User.Created'], config: { url } } });
        assert.equal(created.status, 201, created.text);
        await emitEvent(t, 'User.Created', { data: { id: 'u' } });
        const [delivery] = await eventually(async () => {
          const list = (await t.request('GET', `/api/hooks/${created.json.id}/deliveries?status=failed`)).json.data;
          return list.length === 1 ? list : undefined;
        });
        assert.equal(delivery.attempts, 1, 'refused once, not retried');
        const detail = (await t.request('GET', `/api/hooks/${created.json.id}/deliveries/${delivery.id}`)).json;
        assert.match(
          detail.attemptLog[0].error,
          /^E_BLOCKED_DESTINATION: ::ffff:0:7f00:1 is an IPv4-translated address \(::ffff:0:0\/96\), embedding a loopback address/,
        );
        assert.equal(detail.attemptLog[0].statusCode, null);

        const test = await t.request('POST', `/api/hooks/${created.json.id}/test`, {
          body: { events: ['User.Created'], config: { url } },
        });
        assert.equal(test.status, 422);
        assert.equal(test.json.code, 'hook.endpoint_not_allowed');
        assert.equal(target.requests.length, 0, 'nothing reached the receiver');
      } finally {
        await t.close();
        await target.close();
      }
    });
  });
}

for (const store of stores) {
  describe(`SSRF guard on the message connector (${store})`, () => {
    it('a connector on a loopback address is refused with private networks off: 502 connector.general, nothing sent', async () => {
      const connector = await startReceiver();
      const t = await startTestServer(store, {
        HERALD_ALLOW_PRIVATE_NETWORKS: 'false',
        HERALD_MESSAGE_CONNECTOR: `${connector.url}/send`,
      });
      try {
        const org = await t.request('POST', '/api/organizations', { body: { name: 'ssrf-org' } });
        assert.equal(org.status, 201, org.text);
        const invited = await t.request('POST', '/api/organization-invitations', {
          body: {
            organizationId: org.json.id,
            invitee: 'someone@example.com',
            expiresAt: Date.now() + 3_600_000,
            messagePayload: { link: 'https://example.com/join' },
          },
        });
        assert.equal(invited.status, 502, invited.text);
        assert.equal(invited.json.code, 'connector.general');
        assert.equal(connector.requests.length, 0, 'nothing reached the connector');
      } finally {
        await t.close();
        await connector.close();
      }
    });
  });
}

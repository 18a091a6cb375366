/**
 * Secrets a hook sends or a receiver answers never show in the delivery views: custom headers named
 * like credentials, the URL's user info and query values, receivers' cookies and credential-named
 * JSON members. They are still sent exactly as configured.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startReceiver } from './helpers/receiver.ts';
import { assertNoOpenServers, emitEvent, eventually } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const SENT_SECRETS = [
  'alice',
  'pa55-s3cret',
  'abc-t0ken',
  'c00kie-v4lue',
  'x-auth-v4lue',
  'x-sig-v4lue',
  'x-jwt-v4lue',
];
const ANSWERED_SECRETS = ['set-c00kie-v4lue', 'body-c00kie', 'body-jwt-v4lue'];
const customHeaders = {
  Cookie: 'sid=c00kie-v4lue',
  'X-Auth': 'x-auth-v4lue',
  'X-Signature': 'x-sig-v4lue',
  'X-Jwt': 'x-jwt-v4lue',
  'X-Tenant': 'acme',
};

function assertNoSecret(text: string, where: string): void {
  for (const secret of [...SENT_SECRETS, ...ANSWERED_SECRETS])
    assert.ok(!text.includes(secret), `${where} shows ${secret}`);
}

for (const store of stores) {
  describe(`secrets in delivery views (${store})`, () => {
    const ctx = useServer(store, {
      receiver: {
        status: 200,
        body: '{"cookie":"body-c00kie","jwt":"body-jwt-v4lue","ok":true}',
        headers: { 'content-type': 'application/json', 'set-cookie': 'session=set-c00kie-v4lue; HttpOnly' },
      },
    });
    let url: string;
    before(() => {
      const endpoint = new URL(ctx.receiver.url);
      url = `http://alice:pa55-s3cret@${endpoint.host}${endpoint.pathname}?token=abc-t0ken&x=1`;
    });

    it('masks them in the delivery detail, its list and recent logs, and sends them as configured', async () => {
      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'secrets', events: ['User.Created'], config: { url, headers: customHeaders } },
        })
      ).json;
      await emitEvent(ctx.t, 'User.Created', { data: { id: 'u1' } });
      const [delivery] = await eventually(async () => {
        const list = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries?status=succeeded`);
        return list.json.data.length === 1 ? list.json.data : undefined;
      });
      const sent = ctx.receiver.requests.at(-1)!;
      assert.equal(sent.path, '/hook?token=abc-t0ken&x=1');
      assert.equal(sent.headers.cookie, 'sid=c00kie-v4lue');
      assert.equal(sent.headers['x-jwt'], 'x-jwt-v4lue');

      const detail = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries/${delivery.id}`);
      assert.equal(detail.status, 200);
      assertNoSecret(detail.text, 'the delivery detail');
      const { request, attemptLog } = detail.json;
      assert.equal(request.url, `http://******:******@${new URL(ctx.receiver.url).host}/hook?token=******&x=******`);
      assert.deepEqual(
        [
          request.headers.cookie,
          request.headers['x-auth'],
          request.headers['x-signature'],
          request.headers['x-jwt'],
          request.headers['x-tenant'],
        ],
        ['******', '******', '******', '******', 'acme'],
      );
      assert.equal(attemptLog[0].responseHeaders['set-cookie'], '******');
      assert.equal(attemptLog[0].responseHeaders['content-type'], 'application/json');
      assert.equal(attemptLog[0].responseBody, '{"cookie":"******","jwt":"******","ok":true}');

      const logs = await ctx.t.request('GET', `/api/hooks/${hook.id}/recent-logs`);
      assertNoSecret(logs.text, 'recent logs');
      assert.deepEqual(logs.json[0].payload.response.body, { cookie: '******', jwt: '******', ok: true });
      assertNoSecret((await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries`)).text, 'the deliveries list');
    });

    it('masks a JSON answer cut at the stored 20 KB, and a token in a redirect Location', async () => {
      const big = await startReceiver({
        status: 302,
        body: JSON.stringify({ access_token: 'big-t0ken-v4lue', pad: 'x'.repeat(30_000) }),
        headers: { 'content-type': 'application/json', location: '/next?token=loc-t0ken-v4lue' },
      });
      try {
        const hook = (
          await ctx.t.request('POST', '/api/hooks', {
            body: { name: 'big', events: ['User.Created'], config: { url: big.url } },
          })
        ).json;
        await emitEvent(ctx.t, 'User.Created', { data: { id: 'u2' } });
        const [delivery] = await eventually(async () => {
          const list = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries`);
          return list.json.data[0]?.attempts >= 1 ? list.json.data : undefined;
        });
        const detail = await ctx.t.request('GET', `/api/hooks/${hook.id}/deliveries/${delivery.id}`);
        assert.equal(detail.status, 200);
        for (const secret of ['big-t0ken-v4lue', 'loc-t0ken-v4lue'])
          assert.ok(!detail.text.includes(secret), `the detail shows ${secret}`);
        assert.equal(detail.json.attemptLog[0].responseHeaders.location, '/next?token=******');
        const logs = await ctx.t.request('GET', `/api/hooks/${hook.id}/recent-logs`);
        assert.ok(!logs.text.includes('big-t0ken-v4lue'), 'recent logs show the token');
        const report = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
          headers: { prefer: 'return=representation' },
          body: { events: ['User.Created'], config: { url: big.url } },
        });
        assert.equal(report.status, 200);
        assert.ok(!report.text.includes('big-t0ken-v4lue'), 'the test report shows the token');
      } finally {
        await big.close();
      }
    });

    it('masks them in the /test report, and in its errors', async () => {
      const hook = (
        await ctx.t.request('POST', '/api/hooks', {
          body: { name: 'test', events: ['User.Created'], config: { url: ctx.receiver.url } },
        })
      ).json;
      const prefer = { prefer: 'return=representation' };
      const report = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        headers: prefer,
        body: { events: ['User.Created', 'PostSignIn'], config: { url, headers: customHeaders } },
      });
      assert.equal(report.status, 200, report.text);
      assertNoSecret(report.text, 'the test report');
      assert.deepEqual(
        report.json.results.map((r: { ok: boolean; responseBody: string }) => [r.ok, r.responseBody]),
        [
          [true, '{"cookie":"******","jwt":"******","ok":true}'],
          [true, '{"cookie":"******","jwt":"******","ok":true}'],
        ],
      );
      assert.equal(ctx.receiver.requests.at(-1)?.headers['x-auth'], 'x-auth-v4lue', 'sent as given');

      // A failure: whatever the error quotes of the endpoint loses its credentials and query values.
      const closed = await startReceiver();
      const closedUrl = new URL(closed.url);
      await closed.close();
      const failed = await ctx.t.request('POST', `/api/hooks/${hook.id}/test`, {
        headers: prefer,
        body: {
          events: ['User.Created'],
          config: { url: `http://alice:pa55-s3cret@${closedUrl.host}/hook?token=abc-t0ken` },
        },
      });
      assert.equal(failed.json.results[0].ok, false);
      assert.match(failed.json.results[0].error, /ECONNREFUSED/);
      assertNoSecret(failed.text, 'a failed test report');
    });
  });
}

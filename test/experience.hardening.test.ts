/**
 * What a client without a key can do to the Experience API, on both stores: identifiers compared
 * in one canonical form (a KELVIN SIGN spelling cannot reset kate@…'s password), lockouts per
 * account, bounded writes while locked or limited, send limits per mailbox, client and server,
 * the per-client request limit, the background prune, and the client seen through a trusted proxy.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import { HOOK_EVENTS } from '../src/events/index.ts';
import { USER_AGENT_MAX_LENGTH } from '../src/http/client-info.ts';
import { interactionBrowser, type InteractionBrowser } from './helpers/interaction-browser.ts';
import { assertNoOpenServers, startTestServer } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const browser = interactionBrowser;

const KELVIN = '\u212A';
let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}x${Date.now() % 100_000}`;
const sendCode = (b: InteractionBrowser, type: 'email' | 'phone', value: string, interactionEvent = 'Register') =>
  b.call('POST', '/api/experience/verification/verification-code', { identifier: { type, value }, interactionEvent });

for (const store of stores) {
  describe(`experience hardening (${store})`, () => {
    const ctx = useServer(store, {
      env: { HERALD_LOCKOUT_MAX_ATTEMPTS: '3', HERALD_MESSAGE_RATE_LIMIT: '3', HERALD_PUBLIC_RATE_LIMIT: '100000' },
      receiver: true,
      mail: true,
      hook: { name: 'all', events: HOOK_EVENTS },
    });

    const eventsNamed = async (event: string, where: (p: Record<string, any>) => boolean) => {
      const rows = await ctx.t.server.database.db
        .selectFrom('events')
        .select('payload')
        .where('name', '=', event)
        .execute();
      return rows.map((r) => JSON.parse(r.payload) as Record<string, any>).filter(where);
    };
    it('one canonical form: a KELVIN SIGN spelling of kate@… reaches her account, but her code goes to her stored address only', async () => {
      const email = `${unique('kate')}@example.com`;
      const created = await ctx.t.request('POST', '/api/users', {
        body: { primaryEmail: email, password: 'victim-password-1' },
      });
      assert.equal(created.status, 200, created.text);
      const kelvin = `${KELVIN}${email.slice(1)}`;
      assert.notEqual(
        kelvin.toLowerCase(),
        email.toUpperCase().toLowerCase().replace('k', 'x'),
        'the spelling differs',
      );

      // Uniqueness: every spelling of the address is the same address.
      for (const spelling of [kelvin, email.toUpperCase(), `${email}.`, `ｋ${email.slice(1)}`]) {
        const dup = await ctx.t.request('POST', '/api/users', { body: { primaryEmail: spelling } });
        assert.equal(dup.status, 422, spelling);
        assert.equal(dup.json.code, 'user.email_already_in_use');
      }

      // The reset flow an attacker starts with the look-alike spelling.
      const attacker = browser(ctx.t);
      await attacker.call('PUT', '/api/experience', { interactionEvent: 'ForgotPassword' });
      const sent = await sendCode(attacker, 'email', kelvin, 'ForgotPassword');
      assert.equal(sent.status, 200);
      const messages = await ctx.mail.waitFor((rs) => rs.some((r) => r.json?.to === email));
      assert.ok(!ctx.mail.requests.some((r) => r.json?.to === kelvin), 'no code is ever sent to the spelling typed');
      assert.equal(messages.filter((r) => r.json?.to === email).length, 1, 'the code went to the stored address');
      const code = messages.find((r) => r.json?.to === email)!.json.payload.code as string;
      const wrong = code === '000000' ? '111111' : '000000';
      const guess = await attacker.call('POST', '/api/experience/verification/verification-code/verify', {
        identifier: { type: 'email', value: kelvin },
        verificationId: sent.json.verificationId,
        code: wrong,
      });
      assert.equal(guess.json.code, 'verification_code.code_mismatch');
      const submit = await attacker.call('POST', '/api/experience/submit');
      assert.notEqual(submit.status, 200);
      const login = await ctx.t.request('POST', `/api/users/${created.json.id}/password/verify`, {
        body: { password: 'victim-password-1' },
      });
      assert.equal(login.status, 204, 'the victim keeps her password');

      // The owner, with the code from her mailbox and any spelling, does sign in.
      const owner = browser(ctx.t);
      await owner.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      const ownerSent = await sendCode(owner, 'email', email.toUpperCase(), 'SignIn');
      const ownerMail = (await ctx.mail.waitFor((rs) => rs.filter((r) => r.json?.to === email).length >= 2)).filter(
        (r) => r.json?.to === email,
      )[1]!;
      const verified = await owner.call('POST', '/api/experience/verification/verification-code/verify', {
        identifier: { type: 'email', value: email.toUpperCase() },
        verificationId: ownerSent.json.verificationId,
        code: ownerMail.json.payload.code,
      });
      assert.equal(verified.status, 200, JSON.stringify(verified.json));
      assert.equal(
        (await owner.call('POST', '/api/experience/identification', { verificationId: verified.json.verificationId }))
          .status,
        204,
      );
      assert.equal((await owner.call('POST', '/api/experience/submit')).json.userId, created.json.id);
    });

    it('a code verified for an address nobody held does not sign in the user who holds it later', async () => {
      const email = `${unique('later')}@example.com`;
      const b = browser(ctx.t);
      await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      const sent = await sendCode(b, 'email', email, 'SignIn');
      const message = (await ctx.mail.waitFor((rs) => rs.some((r) => r.json?.to === email))).find(
        (r) => r.json?.to === email,
      )!;
      const verified = await b.call('POST', '/api/experience/verification/verification-code/verify', {
        identifier: { type: 'email', value: email },
        verificationId: sent.json.verificationId,
        code: message.json.payload.code,
      });
      assert.equal(verified.status, 200);
      const victim = await ctx.t.request('POST', '/api/users', { body: { primaryEmail: email.toUpperCase() } });
      assert.equal(victim.status, 200);
      const identified = await b.call('POST', '/api/experience/identification', {
        verificationId: verified.json.verificationId,
      });
      assert.equal(identified.status, 400);
      assert.equal(identified.json.code, 'session.verification_failed');
      assert.notEqual((await b.call('POST', '/api/experience/submit')).status, 200);
    });

    it('domains compare as DNS does: a dotless-ı or ß domain is another domain, not a spelling', async () => {
      const local = unique('dns');
      assert.equal(
        (await ctx.t.request('POST', '/api/users', { body: { primaryEmail: `${local}@gmail.com` } })).status,
        200,
      );
      assert.equal(
        (await ctx.t.request('POST', '/api/users', { body: { primaryEmail: `${local}@gma\u0131l.com` } })).status,
        200,
      );
      assert.equal(
        (await ctx.t.request('POST', '/api/users', { body: { primaryEmail: `${local}@fass.de` } })).status,
        200,
      );
      assert.equal(
        (await ctx.t.request('POST', '/api/users', { body: { primaryEmail: `${local}@fa\u00DF.de` } })).status,
        200,
      );
      assert.equal(
        (await ctx.t.request('POST', '/api/users', { body: { primaryEmail: `${local}@GMAIL.com` } })).json.code,
        'user.email_already_in_use',
      );
    });

    it('concurrent sends cannot pass one count: 40 at once to one mailbox send 3', async () => {
      const email = `${unique('burst')}@example.com`;
      // Forty browsers (one interaction each, so no step conflicts with another).
      const browsers = Array.from({ length: 40 }, () => browser(ctx.t));
      for (const b of browsers) await b.call('PUT', '/api/experience', { interactionEvent: 'Register' });
      const answers = await Promise.all(browsers.map((b) => sendCode(b, 'email', email)));
      assert.equal(answers.filter((a) => a.status === 200).length, 3, JSON.stringify(answers.map((a) => a.status)));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(ctx.mail.requests.filter((r) => r.json?.to === email).length, 3);
      assert.equal((await eventsNamed('Message.RateLimited', (p) => p.recipient === email)).length, 1);
    });

    it('concurrent failures through several identifiers of one account lock it once: one Identifier.Lockout', async () => {
      for (let round = 0; round < 3; round++) {
        const username = unique('race');
        const email = `${username}@example.com`;
        const phone = `1415556${String(1000 + counter).slice(-4)}`;
        await ctx.t.request('POST', '/api/users', {
          body: { username, primaryEmail: email, primaryPhone: phone, password: 'race-password-1' },
        });
        const b = browser(ctx.t);
        await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
        const attempt = (identifier: { type: string; value: string }) =>
          b.call('POST', '/api/experience/verification/password', { identifier, password: 'wrong' });
        await attempt({ type: 'username', value: username });
        await attempt({ type: 'username', value: username });
        await Promise.all([
          attempt({ type: 'email', value: email }),
          attempt({ type: 'phone', value: phone }),
          attempt({ type: 'email', value: email.toUpperCase() }),
        ]);
        const events = await eventsNamed('Identifier.Lockout', (p) =>
          [username, email, email.toUpperCase(), phone].includes(p.value),
        );
        assert.equal(events.length, 1, `round ${round}`);
      }
    });

    it('phone numbers compare as E.164: 00, 011 and 0 prefixes are the same number', async () => {
      const phone = `86138${String(10_000_000 + ++counter * 7919 + (store === 'postgres' ? 1 : 0)).slice(-8)}`;
      const created = await ctx.t.request('POST', '/api/users', { body: { primaryPhone: phone } });
      assert.equal(created.status, 200, created.text);
      for (const spelling of [`00${phone}`, `011${phone}`, `0${phone}`]) {
        const dup = await ctx.t.request('POST', '/api/users', { body: { primaryPhone: spelling } });
        assert.equal(dup.status, 422, spelling);
        assert.equal(dup.json.code, 'user.phone_already_in_use');
      }
    });

    it('a lock counts on the account: once the username is locked, the right password through the email or phone is refused', async () => {
      const username = unique('acct');
      const email = `${username}@example.com`;
      const phone = `1415555${String(1000 + counter).slice(-4)}`;
      const created = await ctx.t.request('POST', '/api/users', {
        body: { username, primaryEmail: email, primaryPhone: phone, password: 'account-password-1' },
      });
      assert.equal(created.status, 200, created.text);
      const b = browser(ctx.t);
      await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      const attempt = (identifier: { type: string; value: string }, password: string) =>
        b.call('POST', '/api/experience/verification/password', { identifier, password });
      assert.equal(
        (await attempt({ type: 'username', value: username }, 'wrong-1')).json.code,
        'session.invalid_credentials',
      );
      assert.equal(
        (await attempt({ type: 'username', value: username }, 'wrong-2')).json.code,
        'session.invalid_credentials',
      );
      assert.equal(
        (await attempt({ type: 'username', value: username }, 'wrong-3')).json.code,
        'session.verification_blocked_too_many_attempts',
      );
      for (const identifier of [
        { type: 'email', value: email },
        { type: 'email', value: email.toUpperCase() },
        { type: 'phone', value: phone },
      ]) {
        const right = await attempt(identifier, 'account-password-1');
        assert.equal(right.status, 400, JSON.stringify(identifier));
        assert.equal(right.json.code, 'session.verification_blocked_too_many_attempts');
      }
      // And spellings of one email share one count: failures through two spellings lock the address.
      const other = unique('spell');
      await ctx.t.request('POST', '/api/users', {
        body: { primaryEmail: `${other}@example.com`, password: 'spell-password-1' },
      });
      const c = browser(ctx.t);
      await c.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      const tryAs = (value: string, password: string) =>
        c.call('POST', '/api/experience/verification/password', { identifier: { type: 'email', value }, password });
      assert.equal((await tryAs(`${other}@example.com`, 'x-1')).json.code, 'session.invalid_credentials');
      assert.equal((await tryAs(`${other.toUpperCase()}@EXAMPLE.COM`, 'x-2')).json.code, 'session.invalid_credentials');
      assert.equal(
        (await tryAs(`${other}@example.com.`, 'x-3')).json.code,
        'session.verification_blocked_too_many_attempts',
      );
    });

    it('1 000 attempts against a locked identifier store one Identifier.Lockout, a bounded user agent and one lock row', async () => {
      const username = unique('flood');
      await ctx.t.request('POST', '/api/users', { body: { username, password: 'flood-password-1' } });
      const b = browser(ctx.t, { 'user-agent': `flood/${'x'.repeat(15_000)}` });
      await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      const attempt = () =>
        b.call('POST', '/api/experience/verification/password', {
          identifier: { type: 'username', value: username },
          password: 'wrong',
        });
      const codes = new Map<string, number>();
      for (let batch = 0; batch < 100; batch++) {
        const answers = await Promise.all(Array.from({ length: 10 }, attempt));
        for (const a of answers) codes.set(a.json.code, (codes.get(a.json.code) ?? 0) + 1);
      }
      // HERALD_LOCKOUT_MAX_ATTEMPTS=3: two failures are recorded, the third locks, and every other
      // attempt is refused, however many run at once (counting and locking are one step).
      assert.deepEqual(
        Object.fromEntries(codes),
        { 'session.invalid_credentials': 2, 'session.verification_blocked_too_many_attempts': 998 },
        JSON.stringify([...codes]),
      );
      const lockouts = await eventsNamed('Identifier.Lockout', (p) => p.value === username);
      assert.equal(lockouts.length, 1, 'one event per lock period');
      assert.equal(lockouts[0]!.userAgent.length, USER_AGENT_MAX_LENGTH);
      const bytes = await ctx.t.server.database.db
        .selectFrom('events')
        .select('payload')
        .where('name', '=', 'Identifier.Lockout')
        .execute();
      assert.ok(bytes.reduce((n, r) => n + r.payload.length, 0) < 10 * 1024 * (bytes.length || 1), 'events stay small');
      const db = ctx.t.server.database.db;
      const blocked = await db
        .selectFrom('sentinel_activities')
        .select(['refused'])
        .where('decision', '=', 'Blocked')
        .where('refused', '>', 900)
        .execute();
      assert.equal(blocked.length, 1, 'the refusals are counted on the lock row');
      const received = await ctx.receiver.waitFor((rs) =>
        rs.some((r) => r.json?.event === 'Identifier.Lockout' && r.json.value === username),
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(
        ctx.receiver.requests.filter((r) => r.json?.event === 'Identifier.Lockout' && r.json.value === username).length,
        1,
      );
      assert.ok(received.length > 0);
    });

    it('sends count per mailbox: +tags, case and a trailing dot share one quota, and Message.RateLimited is sent once per window', async () => {
      const local = unique('mbox');
      const b = browser(ctx.t);
      await b.call('PUT', '/api/experience', { interactionEvent: 'Register' });
      const spellings = [`${local}+1@example.com`, `${local}+2@example.com`, `${local.toUpperCase()}@EXAMPLE.com.`];
      for (const s of spellings) assert.equal((await sendCode(b, 'email', s)).status, 200, s);
      const refused = [];
      for (let i = 0; i < 20; i++)
        refused.push((await sendCode(b, 'email', `${local}+${i + 10}@example.com`)).json.code);
      assert.deepEqual(new Set(refused), new Set(['request.message_rate_limited']));
      const events = await eventsNamed('Message.RateLimited', (p) =>
        String(p.recipient).toLowerCase().startsWith(local.toLowerCase()),
      );
      assert.equal(events.length, 1);
      // Phone prefixes: the same number three ways is one quota.
      const phone = `86139${String(10_000_000 + counter * 104_729).slice(-8)}`;
      for (const p of [phone, `00${phone}`, `011${phone}`])
        assert.equal((await sendCode(b, 'phone', p)).status, 200, p);
      assert.equal((await sendCode(b, 'phone', `0${phone}`)).status, 429);
    });

    it('expired sentinel records and interactions are pruned in the background in batches, never in a request', async () => {
      const db = ctx.t.server.database.db;
      const old = Date.now() - 30 * 24 * 3600 * 1000;
      const rows = Array.from({ length: 2500 }, (_, i) => ({
        id: `old${store}${String(i).padStart(10, '0')}`.slice(0, 21),
        target_hash: 'f'.repeat(64),
        action: 'Password',
        result: 'Failed',
        decision: 'Allowed',
        decision_expires_at: null,
        refused: 0,
        created_at: old,
      }));
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('sentinel_activities')
          .values(rows.slice(i, i + 500))
          .execute();
      const count = async () =>
        Number(
          (
            await db
              .selectFrom('sentinel_activities')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('created_at', '=', old)
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (let i = 0; i < 5; i++)
        assert.equal((await browser(ctx.t).call('PUT', '/api/experience', { interactionEvent: 'SignIn' })).status, 204);
      assert.equal(await count(), 2500, 'a request never deletes');
      const live = await db.selectFrom('interactions').select('id').execute();
      await db.updateTable('interactions').set({ expires_at: old }).where('id', '=', live[0]!.id).execute();
      const removed = await ctx.t.server.experience.prune();
      assert.ok(removed >= 2501);
      assert.equal(await count(), 0);
      const left = await db.selectFrom('interactions').select('id').execute();
      assert.equal(left.length, live.length - 1, 'the expired interaction went, the live ones stay');

      // The prune's batch finds its rows through the created_at index.
      const probe = sql`select id from sentinel_activities where created_at < ${old} limit 1000`;
      const plan =
        store === 'sqlite'
          ? (await sql<{ detail: string }>`explain query plan ${probe}`.execute(db)).rows
              .map((r) => r.detail)
              .join('\n')
          : await db.transaction().execute(async (tx) => {
              await sql`set local enable_seqscan = off`.execute(tx);
              return (await sql<{ 'QUERY PLAN': string }>`explain ${probe}`.execute(tx)).rows
                .map((r) => r['QUERY PLAN'])
                .join('\n');
            });
      assert.match(plan, /sentinel_activities__created_at/);
    });
  });

  describe(`public limits and a trusted proxy (${store})`, () => {
    const direct = useServer(store, {
      env: { HERALD_PUBLIC_RATE_LIMIT: '5', HERALD_PUBLIC_RATE_WINDOW_SECONDS: '60' },
    });
    const proxied = useServer(store, {
      env: { HERALD_TRUST_PROXY: 'loopback', HERALD_MESSAGE_IP_RATE_LIMIT: '3', HERALD_MESSAGE_GLOBAL_RATE_LIMIT: '5' },
      receiver: true,
      mail: true,
      hook: { name: 'all', events: ['PostSignIn', 'Message.RateLimited'] },
    });

    it('one client address gets HERALD_PUBLIC_RATE_LIMIT requests a window, then 429 request.rate_limited with Retry-After; the Management API is not limited', async () => {
      const answers = [];
      for (let i = 0; i < 7; i++)
        answers.push(await browser(direct.t).call('PUT', '/api/experience', { interactionEvent: 'SignIn' }));
      assert.deepEqual(
        answers.map((a) => a.status),
        [204, 204, 204, 204, 204, 429, 429],
      );
      assert.equal(answers[5]!.json.code, 'request.rate_limited');
      assert.ok(Number(answers[5]!.headers.get('retry-after')) > 0);
      for (let i = 0; i < 10; i++) assert.equal((await direct.t.request('GET', '/api/users')).status, 200);
    });

    it('without HERALD_TRUST_PROXY, X-Forwarded-* are ignored: no Secure cookie, the socket address in events', async () => {
      const fresh = await startTestServer(store);
      try {
        const username = unique('untrusted');
        await fresh.request('POST', '/api/users', { body: { username, password: 'untrusted-password-1' } });
        const b = browser(fresh, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' });
        const put = await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
        assert.equal(put.status, 204);
        assert.doesNotMatch(put.setCookie ?? '', /Secure/);
        const verified = await b.call('POST', '/api/experience/verification/password', {
          identifier: { type: 'username', value: username },
          password: 'untrusted-password-1',
        });
        await b.call('POST', '/api/experience/identification', { verificationId: verified.json.verificationId });
        assert.equal((await b.call('POST', '/api/experience/submit')).status, 200);
        const rows = await fresh.server.database.db
          .selectFrom('events')
          .select('payload')
          .where('name', '=', 'PostSignIn')
          .execute();
        assert.equal(rows.length, 1);
        assert.equal(JSON.parse(rows[0]!.payload).userIp, '127.0.0.1');
      } finally {
        await fresh.close();
      }
    });

    it('behind a trusted proxy: the cookie is Secure under X-Forwarded-Proto https, and events carry the client address', async () => {
      const username = unique('proxied');
      await proxied.t.request('POST', '/api/users', { body: { username, password: 'proxied-password-1' } });
      const b = browser(proxied.t, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' });
      const put = await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      assert.match(put.setCookie ?? '', /; Secure/);
      const verified = await b.call('POST', '/api/experience/verification/password', {
        identifier: { type: 'username', value: username },
        password: 'proxied-password-1',
      });
      assert.equal(
        (await b.call('POST', '/api/experience/identification', { verificationId: verified.json.verificationId }))
          .status,
        204,
      );
      const submitted = await b.call('POST', '/api/experience/submit');
      assert.equal(submitted.status, 200);
      assert.match(submitted.setCookie ?? '', /; Secure/);
      const signIn = (
        await proxied.receiver.waitFor((rs) =>
          rs.some((r) => r.json?.event === 'PostSignIn' && r.json.user?.username === username),
        )
      ).find((r) => r.json?.event === 'PostSignIn' && r.json.user?.username === username)!;
      assert.equal(signIn.json.userIp, '203.0.113.7');
    });

    it('a hop count trusts that many proxies: the address one hop in is the client', async () => {
      const hop = await startTestServer(store, { HERALD_TRUST_PROXY: '1' });
      try {
        const username = unique('hop');
        await hop.request('POST', '/api/users', { body: { username, password: 'hop-password-1' } });
        // The client forged the first entry; the proxy (one hop) appended the address it saw.
        const b = browser(hop, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '192.0.2.66, 203.0.113.8' });
        assert.match(
          (await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' })).setCookie ?? '',
          /; Secure/,
        );
        const verified = await b.call('POST', '/api/experience/verification/password', {
          identifier: { type: 'username', value: username },
          password: 'hop-password-1',
        });
        await b.call('POST', '/api/experience/identification', { verificationId: verified.json.verificationId });
        assert.equal((await b.call('POST', '/api/experience/submit')).status, 200);
        const rows = await hop.server.database.db
          .selectFrom('events')
          .select('payload')
          .where('name', '=', 'PostSignIn')
          .execute();
        assert.equal(JSON.parse(rows[0]!.payload).userIp, '203.0.113.8');
      } finally {
        await hop.close();
      }
    });

    it('sends are limited per client address and for the whole server', async () => {
      const from = (ip: string) => browser(proxied.t, { 'x-forwarded-for': ip });
      const a = from('198.51.100.1');
      await a.call('PUT', '/api/experience', { interactionEvent: 'Register' });
      const codesA = [];
      for (let i = 0; i < 4; i++) codesA.push((await sendCode(a, 'email', `${unique('ipa')}@example.com`)).status);
      assert.deepEqual(codesA, [200, 200, 200, 429], 'three a window from one address');
      const b = from('198.51.100.2');
      await b.call('PUT', '/api/experience', { interactionEvent: 'Register' });
      const codesB = [];
      for (let i = 0; i < 3; i++) codesB.push((await sendCode(b, 'email', `${unique('ipb')}@example.com`)).status);
      assert.deepEqual(codesB, [200, 200, 429], 'five a window for the whole server');
      const limited = await proxied.receiver.waitFor(
        (rs) => rs.filter((r) => r.json?.event === 'Message.RateLimited').length >= 2,
      );
      assert.equal(
        limited.filter((r) => r.json?.event === 'Message.RateLimited').length,
        2,
        'once for the address, once for the server',
      );
    });
  });
}

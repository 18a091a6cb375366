/**
 * The Experience API end to end, on both stores, each flow asserting what the receiver got:
 * registration, sign-in, password reset through a code caught by a local HTTP connector, lockout,
 * message rate limit, suspended users.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { userInfoSelectFields } from '@logto/schemas';
import { HOOK_EVENTS } from '../src/events/index.ts';
import { interactionBrowser } from './helpers/interaction-browser.ts';
import { spawnHerald } from './helpers/process.ts';
import type { Received } from './helpers/receiver.ts';
import { assertNoOpenServers, startTestServer, type TestServer } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { createTestDatabase, stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const USER_AGENT = 'herald-experience-test/1.0';

/** A browser with this test's user agent (or another). */
const browser = (t: TestServer, userAgent = USER_AGENT) => interactionBrowser(t, { 'user-agent': userAgent });

for (const store of stores) {
  describe(`experience API (${store})`, () => {
    const ctx = useServer(store, {
      env: { HERALD_LOCKOUT_MAX_ATTEMPTS: '3' },
      receiver: true,
      mail: true,
      hook: { name: 'all', events: HOOK_EVENTS },
    });

    let counter = 0;
    const unique = (prefix: string) => `${prefix}_${store}_${++counter}`;
    /** Events stored for this event name matching `where` (final once the request has answered). */
    async function stored(event: string, where: (p: Record<string, any>) => boolean) {
      const rows = await ctx.t.server.database.db
        .selectFrom('events')
        .select('payload')
        .where('name', '=', event)
        .execute();
      return rows.map((r) => JSON.parse(r.payload) as Record<string, any>).filter(where);
    }
    async function received(event: string, where: (p: Record<string, any>) => boolean) {
      const matches = (r: Received) => r.json?.event === event && where(r.json);
      return (await ctx.receiver.waitFor((rs) => rs.some(matches))).find(matches)!.json as Record<string, any>;
    }
    async function register(username: string, password: string) {
      const b = browser(ctx.t);
      assert.equal((await b.call('PUT', '/api/experience', { interactionEvent: 'Register' })).status, 204);
      assert.equal(
        (await b.call('POST', '/api/experience/profile', { type: 'username', value: username })).status,
        204,
      );
      assert.equal(
        (await b.call('POST', '/api/experience/profile', { type: 'password', value: password })).status,
        204,
      );
      assert.equal((await b.call('POST', '/api/experience/identification', {})).status, 201);
      const submitted = await b.call('POST', '/api/experience/submit');
      assert.equal(submitted.status, 200, JSON.stringify(submitted.json));
      return submitted.json as { userId: string; sessionId: string };
    }
    async function signIn(username: string, password: string, b = browser(ctx.t)) {
      assert.equal((await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' })).status, 204);
      const verified = await b.call('POST', '/api/experience/verification/password', {
        identifier: { type: 'username', value: username },
        password,
      });
      if (verified.status !== 200) return verified;
      const identified = await b.call('POST', '/api/experience/identification', {
        verificationId: verified.json.verificationId,
      });
      if (identified.status !== 204) return identified;
      return b.call('POST', '/api/experience/submit');
    }

    it('sets a signed, httpOnly interaction cookie and refuses a forged or missing one', async () => {
      const b = browser(ctx.t);
      const started = await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      assert.equal(started.status, 204);
      assert.match(
        started.setCookie ?? '',
        /^herald_interaction=[0-9a-z]{21}\.[\w-]+; Path=\/api\/experience; HttpOnly; SameSite=Lax/,
      );
      const none = await browser(ctx.t).call('POST', '/api/experience/submit');
      assert.equal(none.status, 400);
      assert.equal(none.json.code, 'session.not_found');
      const forged = await fetch(`${ctx.t.url}/api/experience/submit`, {
        method: 'POST',
        headers: { cookie: `${b.cookie!.split('.')[0]}.forged` },
      });
      assert.equal(forged.status, 400);
      assert.equal(((await forged.json()) as { code: string }).code, 'session.not_found');
      assert.equal((await b.call('POST', '/api/experience/submit')).json.code, 'session.identifier_not_found');
    });

    it('register with username and password → User.Created and PostRegister, no User.Data.Updated', async () => {
      const username = unique('ada');
      const { userId, sessionId } = await register(username, 'correct-horse-battery');
      const created = await stored('User.Created', (p) => p.data?.id === userId);
      assert.equal(created.length, 1);
      assert.equal((await stored('PostRegister', (p) => p.userId === userId)).length, 1);
      assert.equal(
        (await stored('User.Data.Updated', (p) => p.data?.id === userId)).length,
        0,
        'no User.Data.Updated on registration',
      );

      const post = await received('PostRegister', (p) => p.userId === userId);
      assert.deepEqual(Object.keys(post), [
        'event',
        'interactionEvent',
        'createdAt',
        'sessionId',
        'userAgent',
        'userId',
        'userIp',
        'user',
        'hookId',
      ]);
      assert.equal(post.interactionEvent, 'Register');
      assert.equal(post.sessionId, sessionId);
      assert.equal(post.userAgent, USER_AGENT);
      assert.equal(post.userIp, '127.0.0.1');
      assert.deepEqual(Object.keys(post.user).sort(), [...userInfoSelectFields].sort());
      assert.equal(post.user.username, username);
      assert.equal(typeof post.user.lastSignInAt, 'number', 'lastSignInAt set at submit');

      const data = await received('User.Created', (p) => p.data?.id === userId);
      assert.deepEqual(Object.keys(data), [
        'event',
        'createdAt',
        'interactionEvent',
        'userAgent',
        'applicationId',
        'sessionId',
        'ip',
        'data',
        'hookId',
      ]);
      assert.equal(data.applicationId, '', 'Logto sends an empty applicationId without an application');
      assert.equal(data.interactionEvent, 'Register');
      assert.equal(data.ip, '127.0.0.1');
      assert.equal(data.sessionId, sessionId);
    });

    it('sign in → PostSignIn only, with the user agent, IP and application; lastSignInAt updated', async () => {
      const username = unique('grace');
      const { userId } = await register(username, 'another-good-password');
      const app = (
        await ctx.t.request('POST', '/api/applications', {
          body: { name: 'Portal', type: 'SPA', description: 'the portal' },
        })
      ).json;
      const b = browser(ctx.t, 'MobileSafari/17');
      assert.equal(
        (await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn', applicationId: app.id })).status,
        204,
      );
      const verified = await b.call('POST', '/api/experience/verification/password', {
        identifier: { type: 'username', value: username },
        password: 'another-good-password',
      });
      assert.equal(verified.status, 200);
      assert.equal(
        (await b.call('POST', '/api/experience/identification', { verificationId: verified.json.verificationId }))
          .status,
        204,
      );
      const before = Date.now();
      const done = await b.call('POST', '/api/experience/submit');
      assert.equal(done.status, 200);
      assert.equal(done.json.userId, userId);

      const signIns = await stored('PostSignIn', (p) => p.userId === userId);
      assert.equal(signIns.length, 1);
      assert.equal(
        (await stored('User.Data.Updated', (p) => p.data?.id === userId)).length,
        0,
        'a plain sign-in changes no profile',
      );
      const post = await received('PostSignIn', (p) => p.userId === userId);
      assert.equal(post.userAgent, 'MobileSafari/17');
      assert.equal(post.userIp, '127.0.0.1');
      assert.deepEqual(post.application, { id: app.id, type: 'SPA', name: 'Portal', description: 'the portal' });
      assert.ok(post.user.lastSignInAt >= before);
      const user = (await ctx.t.request('GET', `/api/users/${userId}`)).json;
      assert.ok(user.lastSignInAt >= before);
    });

    it('answers an unknown user and a wrong password alike', async () => {
      const username = unique('known');
      await register(username, 'known-password-1');
      const wrong = await signIn(username, 'wrong-password');
      const unknown = await signIn(unique('nobody'), 'wrong-password');
      assert.equal(wrong.status, 422);
      assert.deepEqual(unknown.json, wrong.json);
      assert.equal(wrong.json.code, 'session.invalid_credentials');
    });

    it('refuses weak passwords at registration with Logto’s issues', async () => {
      const b = browser(ctx.t);
      await b.call('PUT', '/api/experience', { interactionEvent: 'Register' });
      const username = unique('weak');
      await b.call('POST', '/api/experience/profile', { type: 'username', value: username });
      const short = await b.call('POST', '/api/experience/profile', { type: 'password', value: 'short' });
      assert.equal(short.status, 422);
      assert.equal(short.json.code, 'password.rejected');
      assert.deepEqual(short.json.data.issues, [{ code: 'password_rejected.too_short', interpolation: { min: 8 } }]);
      const same = await b.call('POST', '/api/experience/profile', { type: 'password', value: `${username}-123` });
      assert.deepEqual(same.json.data.issues, [{ code: 'password_rejected.restricted.user_info' }]);
      const missing = await b.call('POST', '/api/experience/identification', {});
      assert.equal(missing.status, 422);
      assert.deepEqual(missing.json.data.missingProfile, ['password']);
    });

    it('forgot password through a code caught by the HTTP connector → PostResetPassword and User.Data.Updated', async () => {
      const email = `${unique('reset')}@example.com`;
      const created = await ctx.t.request('POST', '/api/users', {
        body: { username: unique('resetter'), primaryEmail: email, password: 'old-password-1' },
      });
      assert.equal(created.status, 200);
      const userId = created.json.id as string;
      const b = browser(ctx.t);
      assert.equal((await b.call('PUT', '/api/experience', { interactionEvent: 'ForgotPassword' })).status, 204);
      const sent = await b.call('POST', '/api/experience/verification/verification-code', {
        identifier: { type: 'email', value: email },
        interactionEvent: 'ForgotPassword',
      });
      assert.equal(sent.status, 200, JSON.stringify(sent.json));
      const [message] = (await ctx.mail.waitFor((rs) => rs.some((r) => r.json?.to === email))).filter(
        (r) => r.json?.to === email,
      );
      assert.match(message!.path, /\/send$/);
      assert.equal(message!.json.type, 'ForgotPassword');
      assert.match(message!.json.payload.code, /^\d{6}$/);
      const code = message!.json.payload.code as string;

      const wrong = await b.call('POST', '/api/experience/verification/verification-code/verify', {
        identifier: { type: 'email', value: email },
        verificationId: sent.json.verificationId,
        code: code === '000000' ? '111111' : '000000',
      });
      assert.equal(wrong.json.code, 'verification_code.code_mismatch');
      const verified = await b.call('POST', '/api/experience/verification/verification-code/verify', {
        identifier: { type: 'email', value: email },
        verificationId: sent.json.verificationId,
        code,
      });
      assert.equal(verified.status, 200);
      const reused = await b.call('POST', '/api/experience/verification/verification-code/verify', {
        identifier: { type: 'email', value: email },
        verificationId: sent.json.verificationId,
        code,
      });
      assert.equal(reused.json.code, 'verification_code.not_found', 'a code is single-use');
      assert.equal(
        (await b.call('POST', '/api/experience/identification', { verificationId: sent.json.verificationId })).status,
        204,
      );
      assert.equal(
        (await b.call('PUT', '/api/experience/profile/password', { password: 'old-password-1' })).json.code,
        'user.same_password',
      );
      assert.equal(
        (await b.call('PUT', '/api/experience/profile/password', { password: 'brand-new-password' })).status,
        204,
      );
      const done = await b.call('POST', '/api/experience/submit');
      assert.equal(done.status, 200);

      assert.equal((await stored('PostResetPassword', (p) => p.userId === userId)).length, 1);
      assert.equal((await stored('User.Data.Updated', (p) => p.data?.id === userId)).length, 1);
      const post = await received('PostResetPassword', (p) => p.userId === userId);
      assert.equal(post.interactionEvent, 'ForgotPassword');
      const data = await received('User.Data.Updated', (p) => p.data?.id === userId);
      assert.equal(data.interactionEvent, 'ForgotPassword');
      assert.equal(data.sessionId, post.sessionId);
      const check = await ctx.t.request('POST', `/api/users/${userId}/password/verify`, {
        body: { password: 'brand-new-password' },
      });
      assert.equal(check.status, 204, 'the new password works');

      // A reset for an address nobody holds answers the same and sends nothing.
      const ghost = browser(ctx.t);
      await ghost.call('PUT', '/api/experience', { interactionEvent: 'ForgotPassword' });
      const silent = await ghost.call('POST', '/api/experience/verification/verification-code', {
        identifier: { type: 'email', value: 'ghost@example.com' },
        interactionEvent: 'ForgotPassword',
      });
      assert.equal(silent.status, 200);
      assert.ok(!ctx.mail.requests.some((r) => r.json?.to === 'ghost@example.com'));
    });

    it('three wrong passwords with a policy of 3 → Identifier.Lockout, and the right one is refused while locked', async () => {
      const username = unique('locked');
      await register(username, 'the-right-password');
      const b = browser(ctx.t);
      await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      const attempt = (password: string) =>
        b.call('POST', '/api/experience/verification/password', {
          identifier: { type: 'username', value: username },
          password,
        });
      assert.equal((await attempt('wrong-1')).json.code, 'session.invalid_credentials');
      assert.equal((await attempt('wrong-2')).json.code, 'session.invalid_credentials');
      const third = await attempt('wrong-3');
      assert.equal(third.status, 400);
      assert.equal(third.json.code, 'session.verification_blocked_too_many_attempts');
      const lockouts = await stored('Identifier.Lockout', (p) => p.value === username);
      assert.equal(lockouts.length, 1);
      const right = await attempt('the-right-password');
      assert.equal(right.json.code, 'session.verification_blocked_too_many_attempts', 'locked means locked');
      // One event per lock period: the refused attempts are counted on the lock, not stored one by one.
      assert.equal((await stored('Identifier.Lockout', (p) => p.value === username)).length, 1);
      const event = await received('Identifier.Lockout', (p) => p.value === username);
      assert.deepEqual(Object.keys(event), [
        'event',
        'createdAt',
        'interactionEvent',
        'userAgent',
        'applicationId',
        'sessionId',
        'ip',
        'type',
        'value',
        'hookId',
      ]);
      assert.equal(event.type, 'username');
      assert.equal(event.interactionEvent, 'SignIn');
      assert.equal(event.ip, '127.0.0.1');
    });

    it('the 11th code send to one recipient → 429 and Message.RateLimited', async () => {
      const email = `${unique('spam')}@example.com`;
      const b = browser(ctx.t);
      await b.call('PUT', '/api/experience', { interactionEvent: 'Register' });
      for (let i = 0; i < 10; i++) {
        const sent = await b.call('POST', '/api/experience/verification/verification-code', {
          identifier: { type: 'email', value: email },
          interactionEvent: 'Register',
        });
        assert.equal(sent.status, 200, `send ${i + 1}: ${JSON.stringify(sent.json)}`);
      }
      const eleventh = await b.call('POST', '/api/experience/verification/verification-code', {
        identifier: { type: 'email', value: email.toUpperCase() },
        interactionEvent: 'Register',
      });
      assert.equal(eleventh.status, 429);
      assert.equal(eleventh.json.code, 'request.message_rate_limited');
      const mails = await ctx.mail.waitFor((rs) => rs.filter((r) => r.json?.to?.toLowerCase() === email).length >= 10);
      assert.equal(mails.filter((r) => r.json?.to?.toLowerCase() === email).length, 10);
      assert.equal((await stored('Message.RateLimited', (p) => p.recipient === email.toUpperCase())).length, 1);
      const event = await received('Message.RateLimited', (p) => p.recipient === email.toUpperCase());
      assert.equal(event.action, 'VerificationCodeSend');
      assert.equal(event.interactionEvent, 'Register');

      // A reset for an address nobody holds sends nothing, yet is limited the same (no enumeration).
      const ghost = `${unique('ghost')}@example.com`;
      const g = browser(ctx.t);
      await g.call('PUT', '/api/experience', { interactionEvent: 'ForgotPassword' });
      const answers = [];
      for (let i = 0; i < 11; i++)
        answers.push(
          (
            await g.call('POST', '/api/experience/verification/verification-code', {
              identifier: { type: 'email', value: ghost },
              interactionEvent: 'ForgotPassword',
            })
          ).status,
        );
      assert.deepEqual(answers, [...Array(10).fill(200), 429]);
      assert.ok(!ctx.mail.requests.some((r) => r.json?.to === ghost));
    });

    it('a wrong code counts a try, the code itself is never stored, and an expired code is refused', async () => {
      const email = `${unique('expiry')}@example.com`;
      const b = browser(ctx.t);
      await b.call('PUT', '/api/experience', { interactionEvent: 'Register' });
      const sent = await b.call('POST', '/api/experience/verification/verification-code', {
        identifier: { type: 'email', value: email },
        interactionEvent: 'Register',
      });
      assert.equal(sent.status, 200);
      const message = (await ctx.mail.waitFor((rs) => rs.some((r) => r.json?.to === email))).find(
        (r) => r.json?.to === email,
      )!;
      const identifier = { type: 'email', value: email };
      const wrongCode = message.json.payload.code === '000000' ? '111111' : '000000';
      assert.equal(
        (
          await b.call('POST', '/api/experience/verification/verification-code/verify', {
            identifier,
            verificationId: sent.json.verificationId,
            code: wrongCode,
          })
        ).json.code,
        'verification_code.code_mismatch',
      );
      const db = ctx.t.server.database.db;
      const row = await db
        .selectFrom('interactions')
        .select(['id', 'verifications'])
        .where('id', '=', b.cookie!.split('=')[1]!.split('.')[0]!)
        .executeTakeFirstOrThrow();
      const records = JSON.parse(row.verifications) as { expiresAt: number; tries: number }[];
      assert.equal(records[0]!.tries, 1, 'a wrong code counts a try');
      assert.ok(!row.verifications.includes(message.json.payload.code), 'the code itself is not stored');
      records[0]!.expiresAt = Date.now() - 1;
      await db
        .updateTable('interactions')
        .set({ verifications: JSON.stringify(records) })
        .where('id', '=', row.id)
        .execute();
      const expired = await b.call('POST', '/api/experience/verification/verification-code/verify', {
        identifier,
        verificationId: sent.json.verificationId,
        code: message.json.payload.code,
      });
      assert.equal(expired.status, 400);
      assert.equal(expired.json.code, 'verification_code.expired');
    });

    it('a suspended user is refused, and no PostSignIn is sent', async () => {
      const username = unique('suspended');
      const { userId } = await register(username, 'suspended-password');
      // Suspended half-way: verified and identified, then suspended before submitting.
      const halfway = browser(ctx.t);
      await halfway.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      const verified = await halfway.call('POST', '/api/experience/verification/password', {
        identifier: { type: 'username', value: username },
        password: 'suspended-password',
      });
      assert.equal(
        (await halfway.call('POST', '/api/experience/identification', { verificationId: verified.json.verificationId }))
          .status,
        204,
      );
      assert.equal(
        (await ctx.t.request('PATCH', `/api/users/${userId}/is-suspended`, { body: { isSuspended: true } })).status,
        200,
      );
      const late = await halfway.call('POST', '/api/experience/submit');
      assert.equal(late.status, 401);
      assert.equal(late.json.code, 'user.suspended');
      // Suspended from the start: refused at the password.
      const refused = await signIn(username, 'suspended-password');
      assert.equal(refused.status, 401);
      assert.equal(refused.json.code, 'user.suspended');
      assert.equal((await stored('PostSignIn', (p) => p.userId === userId)).length, 0);
    });

    it('a sign-in may add to the profile but not replace what the user has', async () => {
      const username = unique('owner');
      await register(username, 'owner-password-1');
      const b = browser(ctx.t);
      await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      const verified = await b.call('POST', '/api/experience/verification/password', {
        identifier: { type: 'username', value: username },
        password: 'owner-password-1',
      });
      await b.call('POST', '/api/experience/identification', { verificationId: verified.json.verificationId });
      const password = await b.call('POST', '/api/experience/profile', {
        type: 'password',
        value: 'attacker-password',
      });
      assert.equal(password.status, 422);
      assert.equal(password.json.code, 'user.password_exists_in_profile');
      const name = await b.call('POST', '/api/experience/profile', { type: 'username', value: unique('renamed') });
      assert.equal(name.json.code, 'user.username_exists_in_profile');
    });

    it('two submits of one interaction: one succeeds, one PostSignIn', async () => {
      const username = unique('twice');
      const { userId } = await register(username, 'twice-password-1');
      const b = browser(ctx.t);
      await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' });
      const verified = await b.call('POST', '/api/experience/verification/password', {
        identifier: { type: 'username', value: username },
        password: 'twice-password-1',
      });
      await b.call('POST', '/api/experience/identification', { verificationId: verified.json.verificationId });
      const answers = await Promise.all([
        b.call('POST', '/api/experience/submit'),
        b.call('POST', '/api/experience/submit'),
      ]);
      assert.deepEqual(answers.map((a) => a.status).sort(), [200, 400]);
      assert.equal(answers.find((a) => a.status === 400)!.json.code, 'session.not_found');
      assert.equal((await stored('PostSignIn', (p) => p.userId === userId)).length, 1);
    });
  });
}

describe('message connectors', () => {
  it('`log` writes the code to the server log; none configured answers 501 connector.not_found', async () => {
    const database = await createTestDatabase('sqlite');
    const proc = spawnHerald(['start'], {
      DATABASE_URL: database.url,
      PORT: '0',
      HOST: '127.0.0.1',
      HERALD_ADMIN_KEY: 'connector-test-admin-key',
      HERALD_MESSAGE_CONNECTOR: 'log',
    });
    try {
      const ready = await proc.waitForLog((l) => l.msg === 'herald is ready');
      const url = `http://127.0.0.1:${ready.port}`;
      const start = await fetch(`${url}/api/experience`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ interactionEvent: 'Register' }),
      });
      const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
      const sent = await fetch(`${url}/api/experience/verification/verification-code`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ identifier: { type: 'email', value: 'dev@example.com' }, interactionEvent: 'Register' }),
      });
      assert.equal(sent.status, 200);
      const line = await proc.waitForLog((l) => l.msg === 'verification code (development connector)');
      assert.equal(line.to, 'dev@example.com');
      assert.match(String(line.code), /^\d{6}$/);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
      await database.drop();
    }

    const t = await startTestServer('sqlite');
    try {
      const b = browser(t);
      await b.call('PUT', '/api/experience', { interactionEvent: 'Register' });
      const refused = await b.call('POST', '/api/experience/verification/verification-code', {
        identifier: { type: 'email', value: 'x@example.com' },
        interactionEvent: 'Register',
      });
      assert.equal(refused.status, 501);
      assert.equal(refused.json.code, 'connector.not_found');
      // A reset answers the same for a held address and for one nobody holds.
      assert.equal(
        (await t.request('POST', '/api/users', { body: { username: 'holder', primaryEmail: 'held@example.com' } }))
          .status,
        200,
      );
      const reset = browser(t);
      await reset.call('PUT', '/api/experience', { interactionEvent: 'ForgotPassword' });
      const held = await reset.call('POST', '/api/experience/verification/verification-code', {
        identifier: { type: 'email', value: 'held@example.com' },
        interactionEvent: 'ForgotPassword',
      });
      const unheld = await reset.call('POST', '/api/experience/verification/verification-code', {
        identifier: { type: 'email', value: 'unheld@example.com' },
        interactionEvent: 'ForgotPassword',
      });
      assert.deepEqual([held.status, held.json], [unheld.status, unheld.json]);
    } finally {
      await t.close();
    }
  });
});

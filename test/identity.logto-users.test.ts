/**
 * Logto's user behaviours (issue 23): phone numbers stored and compared as Logto stores them,
 * Logto's search (modes, case sensitivity, several exact values, its error messages,
 * excludeOrganizationId), imported password digests verified and upgraded to argon2id,
 * includePasswordHash, and PATCH with nothing to set. On both stores.
 */
import assert from 'node:assert/strict';
import { argon2Sync, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { hashSync as bcryptHash } from '@node-rs/bcrypt';
import { parseDatabaseUrl } from '../src/config.ts';
import { connectDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { replacePasswordDigestIfUnchanged } from '../src/identity/users/store.ts';
import { interactionBrowser } from './helpers/interaction-browser.ts';
import { logtoClient } from './helpers/logto-client.ts';
import { assertNoOpenServers } from './helpers/server.ts';
import { useServer } from './helpers/setup.ts';
import { createTestDatabase, stores } from './helpers/stores.ts';

after(assertNoOpenServers);

let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}x${Date.now() % 1_000_000}`;
const b64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '');
const hex = (algorithm: string, value: string) => createHash(algorithm).update(value).digest('hex');

for (const store of stores) {
  describe(`Logto's users (${store})`, () => {
    const ctx = useServer(store, { env: { HERALD_PUBLIC_RATE_LIMIT: '100000' } });

    const create = async (body: Record<string, unknown>) => {
      const res = await ctx.t.request('POST', '/api/users', { body });
      assert.equal(res.status, 200, res.text);
      return res.json as { id: string; primaryPhone: string | null };
    };
    const expectError = (
      res: { status: number; json: any; text: string },
      status: number,
      code: string,
      messageIncludes?: string,
    ) => {
      assert.equal(res.status, status, res.text);
      assert.equal(res.json.code, code, res.text);
      if (messageIncludes)
        assert.ok(`${res.json.message} ${res.json.details ?? ''}`.includes(messageIncludes), res.text);
    };

    describe('phone numbers', () => {
      // Numbers differ per store: both stores' servers may share nothing, but keep them apart anyway.
      const au = store === 'sqlite' ? '0412345678' : '0412345679';
      it('stores the number as Logto does (trunk 0 after the country code dropped), on create and PATCH', async () => {
        const user = await create({ username: unique('ph_'), primaryPhone: `61${au}` });
        assert.equal(user.primaryPhone, `61${au.slice(1)}`);
        assert.equal((await ctx.t.request('GET', `/api/users/${user.id}`)).json.primaryPhone, `61${au.slice(1)}`);
        const uk = await create({ primaryPhone: store === 'sqlite' ? '4407911123456' : '4407911123457' });
        assert.equal(uk.primaryPhone, store === 'sqlite' ? '447911123456' : '447911123457');
        const other = await create({ username: unique('ph_') });
        const patched = await ctx.t.request('PATCH', `/api/users/${other.id}`, {
          body: { primaryPhone: store === 'sqlite' ? '610412000111' : '610412000112' },
        });
        assert.equal(patched.status, 200, patched.text);
        assert.equal(patched.json.primaryPhone, store === 'sqlite' ? '61412000111' : '61412000112');
        await ctx.t.request('DELETE', `/api/users/${uk.id}`);
      });

      it('61… and 610… are one number: the second is 422 user.phone_already_in_use, on create and PATCH', async () => {
        const owner = await create({ primaryPhone: `61${au.slice(1, -1)}1` });
        const phone = owner.primaryPhone!;
        const withZero = `610${phone.slice(2)}`;
        expectError(
          await ctx.t.request('POST', '/api/users', { body: { primaryPhone: withZero } }),
          422,
          'user.phone_already_in_use',
        );
        expectError(
          await ctx.t.request('POST', '/api/users', { body: { primaryPhone: phone } }),
          422,
          'user.phone_already_in_use',
        );
        const other = await create({ username: unique('ph_') });
        for (const spelling of [withZero, phone]) {
          expectError(
            await ctx.t.request('PATCH', `/api/users/${other.id}`, { body: { primaryPhone: spelling } }),
            422,
            'user.phone_already_in_use',
          );
        }
        // The owner may write its own number in either spelling.
        const own = await ctx.t.request('PATCH', `/api/users/${owner.id}`, { body: { primaryPhone: withZero } });
        assert.equal(own.status, 200, own.text);
        assert.equal(own.json.primaryPhone, phone);
      });

      it('a number no country has is 422 user.invalid_phone, on create and PATCH', async () => {
        expectError(
          await ctx.t.request('POST', '/api/users', { body: { primaryPhone: '99999' } }),
          422,
          'user.invalid_phone',
        );
        const other = await create({ username: unique('ph_') });
        expectError(
          await ctx.t.request('PATCH', `/api/users/${other.id}`, { body: { primaryPhone: '99999' } }),
          422,
          'user.invalid_phone',
        );
        assert.equal((await ctx.t.request('GET', `/api/users/${other.id}`)).json.primaryPhone, null);
      });

      it('signs in by phone through the Experience API in either spelling', async () => {
        const national = store === 'sqlite' ? '412777001' : '412777002';
        await create({ username: unique('ph_'), primaryPhone: `610${national}`, password: 'phone-password-1' });
        for (const value of [`61${national}`, `610${national}`]) {
          const b = interactionBrowser(ctx.t);
          assert.equal((await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' })).status, 204);
          const verified = await b.call('POST', '/api/experience/verification/password', {
            identifier: { type: 'phone', value },
            password: 'phone-password-1',
          });
          assert.equal(verified.status, 200, JSON.stringify(verified.json));
        }
      });
    });

    describe('search', () => {
      const prefix = `srch${store}_`;
      const people = [
        'tom scott',
        'tom scott 2',
        'tom scott 3',
        'jerry swift',
        'jerry swift 1',
        'jerry swift jr',
        'jerry swift jr 2',
        'jerry swift jr jr',
      ];
      const suffixes = ['@gmail.com', '@foo.bar', '@geek.best'];
      const ids: string[] = [];
      before(async () => {
        for (const [index, raw] of people.entries()) {
          const username = raw.split(' ').join('_');
          const name = raw
            .split(' ')
            .filter((s) => Number.isNaN(Number(s)))
            .map((s) => s[0]!.toUpperCase() + s.slice(1))
            .join(' ');
          const user = await create({
            username: prefix + username,
            primaryEmail: `${prefix}${username}${suffixes[index % 3]}`,
            primaryPhone: `1310${store === 'sqlite' ? 805 : 806}${String(index).padStart(4, '0')}`,
            name,
          });
          ids.push(user.id);
        }
      });
      const list = async (params: [string, string][]) => {
        const res = await ctx.t.request('GET', `/api/users?${new URLSearchParams([...params, ['page_size', '100']])}`);
        return {
          ...res,
          total: Number(res.headers.get('total-number')),
          names: (res.json as { name: string }[] | undefined)?.map?.((u) => u.name),
        };
      };

      it('honours isCaseSensitive in exact mode', async () => {
        assert.equal(
          (
            await list([
              ['search.username', `${prefix}Jerry_swift`],
              ['mode.username', 'exact'],
              ['isCaseSensitive', 'true'],
            ])
          ).total,
          0,
        );
        assert.equal(
          (
            await list([
              ['search.username', `${prefix}Jerry_swift`],
              ['mode.username', 'exact'],
            ])
          ).total,
          1,
        );
        assert.equal(
          (
            await list([
              ['search.username', `${prefix}jerry_swift`],
              ['mode.username', 'exact'],
              ['isCaseSensitive', 'true'],
            ])
          ).total,
          1,
        );
      });

      it('several values in exact mode match any of them; in like mode they are 400', async () => {
        const found = await list([
          ['search.primaryEmail', `${prefix}jerry_swiFt_jr@geek.best`],
          ['search.primaryEmail', `${prefix}jerry_swift_Jr_2@gmail.com`],
          ['search.primaryEmail', `${prefix}jerry_swift_jr_jR@foo.bar`],
          ['mode.primaryEmail', 'exact'],
        ]);
        assert.equal(found.status, 200, found.text);
        assert.equal(found.total, 3);
        const byId = await list([
          ['search.id', ids[0]!],
          ['search.id', ids[1]!],
          ['search.id', ids[1]!],
          ['search.id', 'not_possible'],
          ['mode.id', 'exact'],
          ['isCaseSensitive', 'true'],
        ]);
        assert.equal(byId.total, 2);
        expectError(
          await list([
            ['search.primaryEmail', 'a'],
            ['search.primaryEmail', 'b'],
          ]),
          400,
          'request.invalid_input',
          'Only one search value is allowed when search mode is not `exact`.',
        );
        expectError(
          await list([
            ['search', 'a'],
            ['search', 'b'],
          ]),
          400,
          'request.invalid_input',
          '`exact`',
        );
      });

      it("posix and similar_to, as Logto's hybrid searches", async () => {
        const hybrid = await list([
          ['search.name', '^Jerry((?!Jr).)*Jr{1}((?!Jr).)*$'],
          ['mode.name', 'posix'],
          ['search.username', `${prefix}%`],
          ['search.primaryPhone', '%0{3,}%'],
          ['mode.primaryPhone', 'similar_to'],
          ['joint', 'and'],
          ['isCaseSensitive', 'true'],
        ]);
        if (store === 'postgres') {
          assert.equal(hybrid.status, 200, hybrid.text);
          assert.deepEqual(hybrid.names, ['Jerry Swift Jr', 'Jerry Swift Jr']);
        } else {
          // Lookahead is PostgreSQL's (and backtracking engines'); SQLite's RE2 refuses it: 400, never a hang or a 500.
          expectError(hybrid, 400, 'request.invalid_input', 'RE2');
        }
        // The same search without lookahead answers alike on both stores.
        const hybridRe2 = await list([
          ['search.name', '^Jerry Swift Jr$'],
          ['mode.name', 'posix'],
          ['search.username', `${prefix}%`],
          ['search.primaryPhone', '%0{3,}%'],
          ['mode.primaryPhone', 'similar_to'],
          ['joint', 'and'],
          ['isCaseSensitive', 'true'],
        ]);
        assert.equal(hybridRe2.status, 200, hybridRe2.text);
        assert.deepEqual(hybridRe2.names, ['Jerry Swift Jr', 'Jerry Swift Jr']);
        const hybrid2 = await list([
          ['search.name', '^T.?m Scot+$'],
          ['mode.name', 'posix'],
          ['search.username', `${prefix}tom%`],
          ['mode.username', 'similar_to'],
          ['isCaseSensitive', 'true'],
          ['joint', 'and'],
        ]);
        assert.equal(hybrid2.total, 3);
        // posix ignores case unless asked; similar_to alternation and brackets.
        assert.equal(
          (
            await list([
              ['search.name', '^tom'],
              ['mode.name', 'posix'],
            ])
          ).total,
          3,
        );
        assert.equal(
          (
            await list([
              ['search.name', '^tom'],
              ['mode.name', 'posix'],
              ['isCaseSensitive', 'true'],
            ])
          ).total,
          0,
        );
        assert.equal(
          (
            await list([
              ['search.username', `${prefix}(tom|jerry)\\_s[a-w]%`],
              ['mode.username', 'similar_to'],
              ['isCaseSensitive', 'true'],
            ])
          ).total,
          8,
        );
        assert.equal(
          (
            await list([
              ['search.username', `${prefix}tom.scott`],
              ['mode.username', 'similar_to'],
              ['isCaseSensitive', 'true'],
            ])
          ).total,
          0,
          '. is literal in SIMILAR TO',
        );
      });

      it("a pattern that makes a backtracking engine run for hours answers at once (RE2 on SQLite, PostgreSQL's own engine)", {
        timeout: 120_000,
      }, async () => {
        // 2^100 steps for a backtracking engine such as JavaScript's RegExp, on the API thread.
        await create({ username: `redos_${'a'.repeat(100)}`, name: `${'a'.repeat(100)}!` });
        const found = await list([
          ['search.name', '^(a+)+$'],
          ['mode.name', 'posix'],
        ]);
        assert.equal(found.status, 200, found.text);
        assert.equal(found.total, 0);
        assert.equal(
          (
            await list([
              ['search.name', '^(a+)+!$'],
              ['mode.name', 'posix'],
            ])
          ).total,
          1,
        );
      });

      it('like is case-insensitive by default and case-sensitive when asked', async () => {
        assert.equal((await list([['search.name', 'TOM%']])).total, 3);
        assert.equal(
          (
            await list([
              ['search.name', 'TOM%'],
              ['isCaseSensitive', 'true'],
            ])
          ).total,
          0,
        );
        assert.equal(
          (
            await list([
              ['search.name', 'Tom%'],
              ['isCaseSensitive', 'true'],
            ])
          ).total,
          3,
        );
        assert.equal(
          (
            await list([
              ['search.username', `${prefix}tom\\_scott\\_%`],
              ['isCaseSensitive', 'true'],
            ])
          ).total,
          2,
        );
      });

      it("answers Logto's errors for bad searches, and 400 (never 500) for bad or oversized patterns", async () => {
        expectError(
          await list([
            ['search.primaryEmail', ''],
            ['search', 'tom'],
          ]),
          400,
          'request.invalid_input',
          'cannot be empty',
        );
        expectError(
          await list([
            ['search.primaryEmail', '%gmail%'],
            ['mode.primaryEmail', 'similar_to'],
          ]),
          400,
          'request.invalid_input',
          'case-insensitive',
        );
        expectError(
          await list([
            ['search.primaryEmail', '%gmail%'],
            ['mode.primaryEmail', 'similar to'],
          ]),
          400,
          'request.invalid_input',
          'is not valid',
        );
        expectError(await list([['search.email', '%gmail%']]), 400, 'request.invalid_input', 'is not valid');
        expectError(
          await list([
            ['search.primaryEmail', '%gmail%'],
            ['joint', 'and1'],
          ]),
          400,
          'request.invalid_input',
          'is not valid',
        );
        expectError(
          await list([['search.profile.name', 'x']]),
          400,
          'request.invalid_input',
          'nested search field path',
        );
        expectError(
          await list([
            ['search.name', '(a'],
            ['mode.name', 'posix'],
          ]),
          400,
          'request.invalid_input',
        );
        // Back-references: PostgreSQL backtracks on them without bound (20 s for this one over a 61-character name); refused on both stores.
        expectError(
          await list([
            ['search.name', '^(.*)(.*)(.*)(.*)(.*)(.*)\\1\\2\\3\\4\\5\\6$'],
            ['mode.name', 'posix'],
          ]),
          400,
          'request.invalid_input',
          'back-reference',
        );
        expectError(
          await list([
            ['search.name', '(a)\\1'],
            ['mode.name', 'posix'],
          ]),
          400,
          'request.invalid_input',
          'back-reference',
        );
        assert.equal(
          (
            await list([
              ['search.name', 'Tom\\\\1'],
              ['mode.name', 'posix'],
            ])
          ).status,
          200,
          'an escaped backslash before a digit is no back-reference',
        );
        expectError(
          await list([
            ['search.name', 'a'.repeat(257)],
            ['mode.name', 'posix'],
          ]),
          400,
          'request.invalid_input',
        );
        expectError(
          await list([
            ['search.name', '[[:digit:]]'],
            ['mode.name', 'similar_to'],
            ['isCaseSensitive', 'true'],
          ]),
          400,
          'request.invalid_input',
        );
        // A named group: JavaScript's syntax, not PostgreSQL's. SQLite runs it; PostgreSQL's refusal is a 400.
        const named = await list([
          ['search.name', '(?<n>Tom)'],
          ['mode.name', 'posix'],
        ]);
        assert.equal(named.status, store === 'sqlite' ? 200 : 400, named.text);
        // snake_case field names, as Logto's snakeCase() reads them.
        assert.equal(
          (
            await list([
              ['search.primary_email', `${prefix}tom_scott@gmail.com`],
              ['mode', 'exact'],
            ])
          ).total,
          1,
        );
      });

      it('excludeOrganizationId drops the members of an organization; with excludeRoleId it is 400', async () => {
        const org = await ctx.t.request('POST', '/api/organizations', { body: { name: unique('org') } });
        assert.equal(org.status, 201, org.text);
        assert.equal(
          (
            await ctx.t.request('POST', `/api/organizations/${org.json.id}/users`, {
              body: { userIds: [ids[0], ids[1]] },
            })
          ).status,
          201,
        );
        const rest = await list([
          ['search.username', `${prefix}%`],
          ['excludeOrganizationId', org.json.id],
        ]);
        assert.equal(rest.status, 200, rest.text);
        assert.equal(rest.total, people.length - 2);
        assert.ok(!(rest.json as { id: string }[]).some((u) => u.id === ids[0] || u.id === ids[1]));
        expectError(
          await list([
            ['excludeOrganizationId', org.json.id],
            ['excludeRoleId', 'x'],
          ]),
          400,
          'request.invalid_input',
          'cannot be used at the same time',
        );
      });
    });

    describe('password digests', () => {
      const verify = (id: string, password: string) =>
        ctx.t.request('POST', `/api/users/${id}/password/verify`, { body: { password } });
      const hashOf = async (id: string) =>
        (await ctx.t.request('GET', `/api/users/${id}?includePasswordHash=true`)).json as {
          passwordDigest: string | null;
          passwordAlgorithm: string | null;
          hasPassword: boolean;
        };

      const salt = randomBytes(16);
      const argon2i = `$argon2i$v=19$m=8192,t=8,p=1$${b64(salt)}$${b64(argon2Sync('argon2i', { message: 'password', nonce: salt, memory: 8192, passes: 8, parallelism: 1, tagLength: 32 }))}`;
      const pbkdf2Hex = pbkdf2Sync('password', Buffer.from('a1b2c3d4', 'hex'), 1000, 32, 'sha256').toString('hex');
      const cases: [string, string, string?][] = [
        ['MD5', '5f4dcc3b5aa765d61d8327deb882cf99'],
        ['SHA1', hex('sha1', 'password')],
        ['SHA256', hex('sha256', 'password')],
        ['Bcrypt', bcryptHash('password', 4)],
        ['Bcrypt', bcryptHash('password', 12)],
        [
          'Legacy',
          '["sha512", ["@"], "b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb980b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86"]',
        ],
        ['Legacy', JSON.stringify(['sha256', ['salt', '@'], hex('sha256', 'saltpassword')])],
        ['Legacy', JSON.stringify(['pbkdf2', ['hex:a1b2c3d4', '1000', '32', 'sha256', '@'], pbkdf2Hex])],
        ['Argon2i', argon2i],
        // Logto's test vector (packages/core/src/utils/password.test.ts).
        [
          'Legacy',
          JSON.stringify([
            'firebase-scrypt',
            [
              '42xEC+ixf3L2lw==',
              'jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==',
              'Bw==',
              '8',
              '14',
              '@',
            ],
            'lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==',
          ]),
          'user1password',
        ],
      ];

      for (const [algorithm, digest, password = 'password'] of cases) {
        it(`imports ${algorithm} ${digest.slice(0, 24)}…, verifies it, then upgrades it to argon2id`, async () => {
          const user = await create({ username: unique('pw_'), passwordDigest: digest, passwordAlgorithm: algorithm });
          const imported = await hashOf(user.id);
          assert.equal(imported.passwordDigest, digest);
          assert.equal(imported.passwordAlgorithm, algorithm);
          expectError(await verify(user.id, 'wrong-password'), 422, 'session.invalid_credentials');
          assert.equal((await hashOf(user.id)).passwordAlgorithm, algorithm, 'a failed verification upgrades nothing');
          assert.equal((await verify(user.id, password)).status, 204);
          const upgraded = await hashOf(user.id);
          assert.equal(upgraded.passwordAlgorithm, 'Argon2id');
          assert.match(upgraded.passwordDigest!, /^\$argon2id\$v=19\$/);
          assert.equal((await verify(user.id, password)).status, 204);
          expectError(await verify(user.id, 'wrong-password'), 422, 'session.invalid_credentials');
        });
      }

      it('signs in through the Experience API with an imported digest, which is then upgraded', async () => {
        const username = unique('pw_');
        const user = await create({
          username,
          passwordDigest: hex('sha1', 'imported-password'),
          passwordAlgorithm: 'SHA1',
        });
        const b = interactionBrowser(ctx.t);
        assert.equal((await b.call('PUT', '/api/experience', { interactionEvent: 'SignIn' })).status, 204);
        const wrong = await b.call('POST', '/api/experience/verification/password', {
          identifier: { type: 'username', value: username },
          password: 'not-it',
        });
        assert.equal(wrong.json.code, 'session.invalid_credentials');
        const verified = await b.call('POST', '/api/experience/verification/password', {
          identifier: { type: 'username', value: username },
          password: 'imported-password',
        });
        assert.equal(verified.status, 200, JSON.stringify(verified.json));
        assert.equal((await hashOf(user.id)).passwordAlgorithm, 'Argon2id');
      });

      it('the upgrade writes only over the digest it verified', async () => {
        const user = await create({
          username: unique('pw_'),
          passwordDigest: hex('md5', 'x'),
          passwordAlgorithm: 'MD5',
        });
        const db = ctx.t.server.database.db;
        const next = { password_encrypted: 'other', password_encryption_method: 'Argon2id' };
        assert.equal(await replacePasswordDigestIfUnchanged(db, user.id, 'stale-digest', next), false);
        assert.equal((await hashOf(user.id)).passwordAlgorithm, 'MD5');
      });

      it('refuses digests it cannot verify at a bounded cost, and malformed legacy ones, with 400', async () => {
        const refused = async (passwordAlgorithm: string, passwordDigest: string, code: string) =>
          expectError(
            await ctx.t.request('POST', '/api/users', { body: { passwordAlgorithm, passwordDigest } }),
            400,
            code,
          );
        await refused('Bcrypt', bcryptHash('password', 4).replace('$04$', '$31$'), 'guard.invalid_input');
        await refused('Bcrypt', bcryptHash('password', 4).replace('$04$', '$13$'), 'guard.invalid_input');
        await refused('Bcrypt', 'not-bcrypt', 'guard.invalid_input');
        await refused('Legacy', 'not json', 'password.invalid_legacy_password_format');
        await refused('Legacy', '["sha256", ["salt"], "x"]', 'password.invalid_legacy_password_format');
        await refused('Legacy', '["nope-hash", ["@"], "x"]', 'password.unsupported_legacy_hash_algorithm');
        await refused(
          'Legacy',
          JSON.stringify(['pbkdf2', ['salt', '1000000000', '32', 'sha256', '@'], 'x']),
          'guard.invalid_input',
        );
        // The bound is on iterations × output blocks: 2 000 000 × 13 blocks of ripemd160 took 12.7 s a sign-in.
        await refused(
          'Legacy',
          JSON.stringify(['pbkdf2', ['salt', '1000000', '64', 'sha256', '@'], 'x']),
          'guard.invalid_input',
        );
        await refused(
          'Legacy',
          JSON.stringify(['pbkdf2', ['salt', '1000', '32', 'ripemd160', '@'], 'x']),
          'password.unsupported_legacy_hash_algorithm',
        );
        await refused(
          'Legacy',
          JSON.stringify(['firebase-scrypt', ['c2FsdA==', 'a2V5', 'Bw==', '16', '16', '@'], 'x']),
          'guard.invalid_input',
        );
        await refused(
          'Legacy',
          JSON.stringify(['pbkdf2', ['hex:zz', '1000', '32', 'sha256', '@'], 'x']),
          'password.invalid_legacy_password_format',
        );
        await refused('Argon2id', argon2i, 'guard.invalid_input');
        // Argon2 imports: at most 64 MiB, and memory × passes at most 64 MiB × 3.
        const phc = (m: number, tPasses: number) =>
          `$argon2id$v=19$m=${m},t=${tPasses},p=1$${b64(salt)}$${b64(randomBytes(32))}`;
        await refused('Argon2id', phc(131_072, 1), 'guard.invalid_input');
        await refused('Argon2id', phc(65_536, 4), 'guard.invalid_input');
        await create({ passwordAlgorithm: 'Argon2id', passwordDigest: phc(65_536, 3) });
        await refused('MD5', 'a'.repeat(257), 'guard.invalid_input');
        // Unsalted digests must be hex of their length (Logto stores any string, which never matches).
        await refused('MD5', 'a'.repeat(31), 'guard.invalid_input');
        await refused('SHA256', '', 'guard.invalid_input');
        await refused('SHA1', 'z'.repeat(40), 'guard.invalid_input');
        await create({ passwordAlgorithm: 'MD5', passwordDigest: '5F4DCC3B5AA765D61D8327DEB882CF99' });
        // As Logto: a taken identifier is answered before the digest is looked at.
        const taken = await create({ username: unique('taken_') });
        const both = await ctx.t.request('POST', '/api/users', {
          body: {
            username: ((await hashOf(taken.id)) as unknown as { username: string }).username,
            passwordAlgorithm: 'SHA256',
            passwordDigest: 'x',
          },
        });
        expectError(both, 422, 'user.username_already_in_use');
      });

      it('includePasswordHash: absent by default, null without a password, on GET one and the list', async () => {
        const none = await create({ username: unique('pwl_') });
        const plain = await create({ username: unique('pwl_'), password: 'plain-password-1' });
        const byDefault = (await ctx.t.request('GET', `/api/users/${plain.id}`)).json;
        assert.equal('passwordDigest' in byDefault, false);
        assert.equal('passwordAlgorithm' in byDefault, false);
        assert.deepEqual(
          [(await hashOf(none.id)).passwordDigest, (await hashOf(none.id)).passwordAlgorithm],
          [null, null],
        );
        const listed = (
          await ctx.t.request('GET', `/api/users?search.username=pwl_%25&includePasswordHash=true&page_size=100`)
        ).json as { id: string; passwordDigest: string | null; passwordAlgorithm: string | null }[];
        const withPassword = listed.find((u) => u.id === plain.id)!;
        assert.match(withPassword.passwordDigest!, /^\$argon2id\$/);
        assert.equal(withPassword.passwordAlgorithm, 'Argon2id');
        assert.equal(listed.find((u) => u.id === none.id)!.passwordDigest, null);
        const api = logtoClient(ctx.t);
        const viaClient = await api.GET('/api/users/{userId}', {
          params: { path: { userId: plain.id }, query: { includePasswordHash: 'true' } } as never,
        });
        assert.equal((viaClient.data as { passwordAlgorithm?: string }).passwordAlgorithm, 'Argon2id');
      });

      it('includeSsoIdentities=true adds an empty ssoIdentities, as Logto for a user without SSO', async () => {
        const user = await create({ username: unique('sso_') });
        assert.equal('ssoIdentities' in (await ctx.t.request('GET', `/api/users/${user.id}`)).json, false);
        assert.deepEqual(
          (await ctx.t.request('GET', `/api/users/${user.id}?includeSsoIdentities=true`)).json.ssoIdentities,
          [],
        );
      });
    });

    it('PATCH /api/users/:id with nothing to set is 422 entity.invalid_input', async () => {
      const user = await create({ username: unique('patch_') });
      expectError(await ctx.t.request('PATCH', `/api/users/${user.id}`, { body: {} }), 422, 'entity.invalid_input');
    });
  });

  describe(`migration 0022 (${store})`, () => {
    it("recomputes canonical phones in Logto's form; of two users now sharing a number the older keeps it", async () => {
      const testDb = await createTestDatabase(store);
      const database = await connectDatabase(parseDatabaseUrl(testDb.url, 'DATABASE_URL'));
      try {
        await migrateToLatest(database.db);
        const db = database.db;
        const m0022 = migrations['0022-users-phone-form']!;
        await m0022.down!(db as never);
        const user = (id: string, phone: string, canonical: string | null, at: number) => ({
          id,
          username: null,
          primary_email: null,
          primary_phone: phone,
          primary_email_canonical: null,
          primary_phone_canonical: canonical,
          password_encrypted: null,
          password_encryption_method: null,
          name: null,
          avatar: null,
          custom_data: '{}',
          identities: '{}',
          profile: '{}',
          application_id: null,
          is_suspended: false,
          last_sign_in_at: null,
          created_at: at,
          updated_at: at,
        });
        // As 0020 computed them: the trunk 0 kept, so these were two numbers.
        await db
          .insertInto('users')
          .values([
            user('older', '61412345678', '61412345678', 1),
            user('newer', '610412345678', '610412345678', 2),
            user('uk', '4407911123456', '4407911123456', 3),
            user('junk', '99999', '99999', 4),
          ])
          .execute();
        await m0022.up(db as never);
        const rows = await db
          .selectFrom('users')
          .select(['id', 'primary_phone', 'primary_phone_canonical'])
          .orderBy('created_at')
          .execute();
        assert.deepEqual(
          rows.map((r) => ({ ...r })),
          [
            { id: 'older', primary_phone: '61412345678', primary_phone_canonical: '61412345678' },
            { id: 'newer', primary_phone: '610412345678', primary_phone_canonical: null },
            { id: 'uk', primary_phone: '4407911123456', primary_phone_canonical: '447911123456' },
            { id: 'junk', primary_phone: '99999', primary_phone_canonical: '99999' },
          ],
        );
        await assert.rejects(
          db.updateTable('users').set({ primary_phone_canonical: '61412345678' }).where('id', '=', 'newer').execute(),
          'the canonical phone is still unique',
        );
      } finally {
        await database.close();
        await testDb.drop();
      }
    });
  });
}

/**
 * The receiver examples (examples/receivers/python, examples/receivers/go) against a real Herald:
 * each runs as a child process on a free loopback port with its hook's signing key, verifies the
 * deliveries of a user created through the Management API, keeps verifying with the old key during
 * a rotation's grace period (and refuses once the key is replaced outright), and refuses a tampered
 * request. Their own unit tests (python3 -m unittest, go test) run here too. scripts/test.ts installs
 * Go when it is missing; Python 3 comes with the machine.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { prepareRequest } from '../src/outbound/sender.ts';
import { ROOT } from './helpers/process.ts';
import { assertNoOpenServers, eventually } from './helpers/server.ts';
import { ok, unique, useServer } from './helpers/setup.ts';
import { stores } from './helpers/stores.ts';

after(assertNoOpenServers);

const PYTHON_DIR = join(ROOT, 'examples', 'receivers', 'python');
const GO_DIR = join(ROOT, 'examples', 'receivers', 'go');
const MISSING: Record<string, string> = {
  python3: 'python3 is not installed: run `apt-get install python3` as root',
  go: 'go is not installed: run `apt-get install golang-go` as root (scripts/test.ts does when it can)',
  gofmt: 'gofmt is not installed: run `apt-get install golang-go` as root (scripts/test.ts does when it can)',
};
// Pure Go: no C compiler needed (Debian's Go 1.19 wants one for cgo otherwise); never fetch a toolchain.
const GO_ENV = {
  CGO_ENABLED: '0',
  GOTOOLCHAIN: 'local',
  ...(process.env.HOME || process.env.GOCACHE ? {} : { GOCACHE: join(tmpdir(), 'herald-go-cache') }),
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without blocking the event loop (Herald runs in this process). */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'ENOENT' && MISSING[command] ? new Error(MISSING[command]) : error),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const goBuild = { dir: '', binary: undefined as Promise<string> | undefined };
/** `go build` once for the whole file, into a temporary folder. */
function goBinary(): Promise<string> {
  goBuild.binary ??= (async () => {
    goBuild.dir = mkdtempSync(join(tmpdir(), 'herald-go-receiver-'));
    const binary = join(goBuild.dir, 'receiver');
    const built = await run('go', ['build', '-o', binary, '.'], GO_DIR, GO_ENV);
    assert.equal(built.code, 0, `go build failed:\n${built.stdout}\n${built.stderr}`);
    return binary;
  })();
  return goBuild.binary;
}
after(() => {
  if (goBuild.dir) rmSync(goBuild.dir, { recursive: true, force: true });
});

type Language = 'python' | 'go';

interface ExampleReceiver {
  readonly language: Language;
  readonly url: string;
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  stop(): Promise<void>;
}

const running = new Set<ExampleReceiver>();
after(async () => {
  const left = running.size;
  await Promise.all([...running].map((r) => r.stop()));
  assert.equal(left, 0, `${left} receiver process(es) left running`);
});

/** Starts an example receiver with `signingKey` on a free loopback port; resolves once it listens. */
async function startExample(language: Language, signingKey: string): Promise<ExampleReceiver> {
  const [command, args, cwd] =
    language === 'python' ? ['python3', ['receiver.py'], PYTHON_DIR] : [await goBinary(), [], GO_DIR];
  const child = spawn(command, args, {
    cwd,
    env: {
      ...process.env,
      HERALD_SIGNING_KEY: signingKey,
      HOST: '127.0.0.1',
      PORT: '0',
      TOLERANCE_SECONDS: '300',
      PYTHONDONTWRITEBYTECODE: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const receiver: ExampleReceiver = {
    language,
    url: '',
    child,
    stdout: '',
    stderr: '',
    async stop() {
      running.delete(receiver);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (receiver.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (receiver.stderr += chunk));
  running.add(receiver);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`${language} receiver did not start in 15 s`)), 15_000);
      const check = () => {
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(receiver.stdout);
        if (match) finish(undefined, match[1]);
      };
      const onExit = (code: number | null) =>
        finish(new Error(`${language} receiver exited (${code}) before listening:\n${receiver.stderr}`));
      const onError = (error: NodeJS.ErrnoException) =>
        finish(error.code === 'ENOENT' && MISSING[command] ? new Error(MISSING[command]) : error);
      const finish = (error: Error | undefined, value?: string) => {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.off('exit', onExit);
        child.off('error', onError);
        if (error) reject(error);
        else resolve(value!);
      };
      child.stdout?.on('data', check);
      child.once('exit', onExit);
      child.once('error', onError);
      check();
    });
    return Object.assign(receiver, { url: `${url}/hook` });
  } catch (error) {
    await receiver.stop();
    throw error;
  }
}

describe('receiver examples: their own tests', () => {
  it('python3 -m unittest passes in examples/receivers/python', async () => {
    const result = await run('python3', ['-m', 'unittest', '-v'], PYTHON_DIR, { PYTHONDONTWRITEBYTECODE: '1' });
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    // unittest reports on stderr: "Ran N tests", then "OK".
    const ran = /^Ran (\d+) tests? in /m.exec(result.stderr);
    assert.ok(ran && Number(ran[1]) >= 15, `expected the receiver's tests to run:\n${result.stderr}`);
    assert.match(result.stderr, /^OK$/m);
    assert.doesNotMatch(result.stderr, /skipped|expected failure/i);
  });

  it('go test ./... passes in examples/receivers/go, and gofmt finds nothing to change', async () => {
    const result = await run('go', ['test', '-count=1', '-v', './...'], GO_DIR, GO_ENV);
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^ok\s+herald\.example\/receiver\s/m);
    const passed = result.stdout.match(/^--- PASS: /gm)?.length ?? 0;
    assert.ok(passed >= 10, `expected the receiver's tests to run:\n${result.stdout}`);
    assert.doesNotMatch(result.stdout, /^--- (FAIL|SKIP): /m);
    const formatted = await run('gofmt', ['-l', '.'], GO_DIR);
    assert.equal(formatted.code, 0, formatted.stderr);
    assert.equal(formatted.stdout, '', 'gofmt -l lists files to reformat');
  });
});

for (const store of stores) {
  describe(`receiver examples verify Herald's deliveries (${store})`, () => {
    const ctx = useServer(store);
    const examples = {} as Record<Language, { hook: any; receiver: ExampleReceiver }>;
    const languages: Language[] = ['python', 'go'];

    before(async () => {
      for (const language of languages) {
        // The hook first (its key starts the receiver), then its URL once the receiver listens.
        const created = await ctx.t.request('POST', '/api/hooks', {
          body: { name: `${language} example`, events: ['User.Created'], config: { url: 'http://127.0.0.1:9/' } },
        });
        assert.equal(created.status, 201, created.text);
        const hook = created.json;
        // Python gets the plain signingKey, Go the Standard Webhooks form: both forms are exercised.
        const key = language === 'python' ? hook.signingKey : hook.standardSigningKey;
        assert.match(key, language === 'python' ? /^(?!whsec_)/ : /^whsec_/);
        const receiver = await startExample(language, key);
        examples[language] = { hook, receiver };
        const patched = await ctx.t.request('PATCH', `/api/hooks/${hook.id}`, {
          body: { config: { url: receiver.url } },
        });
        assert.equal(patched.status, 200, patched.text);
      }
    });
    after(async () => {
      for (const language of languages) await examples[language]?.receiver.stop();
    });

    /** Waits for `line` on the receiver's stdout (it prints before it answers; the pipe may lag). */
    async function printed(receiver: ExampleReceiver, line: string) {
      await eventually(async () => (receiver.stdout.split('\n').includes(line) ? true : undefined), 5_000).catch(() =>
        assert.fail(`${receiver.language} did not print "${line}"; stdout:\n${receiver.stdout}`),
      );
    }

    /** Creates a user through Logto's Management API client; returns its id. */
    async function createUser(): Promise<string> {
      const user = ok<{ id: string }>(await ctx.api.POST('/api/users', { body: { username: unique(`rx_${store}`) } }));
      return user.id;
    }

    /** The hook's delivery of `userId`'s User.Created, once it has settled (succeeded or failed), with its attempts. */
    function settledDelivery(hookId: string, userId: string) {
      return eventually(async () => {
        const list = await ctx.t.request('GET', `/api/hooks/${hookId}/deliveries?event=User.Created&limit=100`);
        assert.equal(list.status, 200, list.text);
        for (const delivery of list.json.data) {
          if (delivery.status !== 'succeeded' && delivery.status !== 'failed') continue;
          const detail = await ctx.t.request('GET', `/api/hooks/${hookId}/deliveries/${delivery.id}`);
          assert.equal(detail.status, 200, detail.text);
          if (detail.json.request.body?.data?.id === userId) return detail.json;
        }
        return undefined;
      });
    }

    async function assertVerified(language: Language, userId: string) {
      const { hook, receiver } = examples[language];
      const delivery = await settledDelivery(hook.id, userId);
      const summary = `${language}: ${JSON.stringify(delivery.attemptLog)}\nstderr: ${receiver.stderr}`;
      assert.equal(delivery.status, 'succeeded', summary);
      assert.equal(delivery.attemptLog.length, 1, summary);
      assert.equal(delivery.attemptLog[0].statusCode, 204, summary);
      assert.equal(delivery.attemptLog[0].result, 'success', summary);
      // webhook-id is the delivery's id; the receiver verified it with the Standard Webhooks headers.
      await printed(receiver, `verified User.Created id=${delivery.id} hook=${hook.id} scheme=standard`);
      return delivery;
    }

    it('each receiver verifies the real delivery of a user created through the Management API', async () => {
      const userId = await createUser();
      for (const language of languages) await assertVerified(language, userId);
      for (const language of languages) {
        const printed = examples[language].receiver.stdout.split('\n').filter((l) => l.startsWith('verified '));
        assert.equal(printed.length, 1, `${language} printed one line per verified event: ${printed}`);
      }
    });

    it('during a rotation grace period, deliveries still verify with the old key; a key replaced outright does not', async () => {
      for (const language of languages) {
        const { hook } = examples[language];
        const rotated = await ctx.t.request('PATCH', `/api/hooks/${hook.id}/signing-key`, {
          body: { gracePeriodSeconds: 600 },
        });
        assert.equal(rotated.status, 200, rotated.text);
        assert.notEqual(rotated.json.signingKey, hook.signingKey);
        assert.ok(rotated.json.previousSigningKeyExpiresAt > Date.now() + 500_000, rotated.text);
      }
      // The receivers still hold the old key: only webhook-signature's second entry can verify.
      const during = await createUser();
      for (const language of languages) await assertVerified(language, during);

      for (const language of languages) {
        const { hook } = examples[language];
        const replaced = await ctx.t.request('PATCH', `/api/hooks/${hook.id}/signing-key`);
        assert.equal(replaced.status, 200, replaced.text);
        assert.equal(replaced.json.previousSigningKeyExpiresAt, null);
      }
      const replacedUser = await createUser();
      for (const language of languages) {
        const { hook, receiver } = examples[language];
        const delivery = await settledDelivery(hook.id, replacedUser);
        const summary = `${language}: ${JSON.stringify(delivery.attemptLog)}`;
        assert.equal(delivery.status, 'failed', summary);
        assert.equal(delivery.attemptLog.length, 3, summary);
        for (const attempt of delivery.attemptLog) {
          assert.equal(attempt.statusCode, 401, summary);
          assert.equal(attempt.responseBody.trim(), 'no valid webhook-signature', summary);
        }
        assert.ok(!receiver.stdout.includes(`id=${delivery.id} `), `${language} printed a refused delivery`);
      }
    });

    it('each receiver answers 401 to a tampered request and 400 to an unsigned one, 204 to the genuine one', async () => {
      for (const language of languages) {
        const { hook, receiver } = examples[language];
        const body = JSON.stringify({
          event: 'User.Created',
          createdAt: new Date().toISOString(),
          data: { id: `direct-${language}` },
          hookId: hook.id,
        });
        // Exactly what Herald would send with the key the receiver holds (its hook's first key).
        const signed = prepareRequest({
          url: receiver.url,
          body,
          signingKey: hook.signingKey,
          webhookId: `direct-${store}-${language}`,
          timestampSeconds: Math.floor(Date.now() / 1000),
        });
        const logtoOnly = Object.fromEntries(
          Object.entries(signed.headers).filter(([name]) => !name.toLowerCase().startsWith('webhook-')),
        );
        const tampered = body.replace(`"direct-${language}"`, '"admin"');
        assert.notEqual(tampered, body);
        const send = async (payload: string, headers: Record<string, string>) => {
          const res = await fetch(receiver.url, { method: 'POST', headers, body: payload });
          return { status: res.status, text: (await res.text()).trim() };
        };
        const cases: [string, string, Record<string, string>, number, string][] = [
          ['tampered body', tampered, signed.headers, 401, 'no valid webhook-signature'],
          ['tampered body, Logto signature only', tampered, logtoOnly, 401, 'invalid logto-signature-sha-256'],
          [
            'stale timestamp',
            body,
            { ...signed.headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) - 3600) },
            401,
            'webhook-timestamp too old',
          ],
          ['no signature', body, { 'content-type': 'application/json' }, 400, 'missing signature headers'],
          ['genuine', body, signed.headers, 204, ''],
          ['genuine, Logto signature only', body, logtoOnly, 204, ''],
        ];
        for (const [name, payload, headers, status, text] of cases)
          assert.deepEqual(await send(payload, headers), { status, text }, `${language}: ${name}`);

        await printed(receiver, `verified User.Created id=direct-${store}-${language} hook=${hook.id} scheme=standard`);
        await printed(receiver, `verified User.Created id=- hook=${hook.id} scheme=logto`);
        assert.ok(!receiver.stdout.includes('admin'), `${language} printed the tampered request`);
      }
    });
  });
}

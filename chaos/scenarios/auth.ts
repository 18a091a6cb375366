/**
 * auth — every documented route without a key, with a revoked key, and with a made-up key of the
 * right shape: 401 `auth.unauthorized` (the public routes excepted). Then the key check's timing:
 * wrong keys that share nothing with a real one and wrong keys that differ from it in the last
 * character only, interleaved, median of each.
 */
import { createBenchDatabase, type Store } from '../../bench/lib/store.ts';
import { startServer } from '../../bench/lib/processes.ts';
import { figure, percentile, progress } from '../lib.ts';

const PUBLIC = [
  /^\/api\/status$/,
  /^\/api\/health\/ready$/,
  /^\/api\/swagger\.json$/,
  /^\/api\/docs/,
  /^\/api\/experience/,
];

export async function auth(store: Store, options: { timingRounds: number }) {
  const db = await createBenchDatabase(store);
  const server = await startServer(db.url);
  try {
    const doc = (await fetch(`${server.url}/api/swagger.json`).then((r) => r.json())) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const created = await server.api('POST', '/api/keys', { name: 'chaos' });
    const revoked = await server.api('POST', '/api/keys', { name: 'revoked' });
    const revocation = await server.api('DELETE', `/api/keys/${revoked.json.apiKey.id}`);
    if (revocation.status !== 200) throw new Error(`could not revoke: ${revocation.status}`);
    const real = created.json.key as string;
    const [, prefix, id, secret] = /^([a-z]+)_([0-9a-z]+)_(.+)$/.exec(real) as unknown as [
      string,
      string,
      string,
      string,
    ];
    const forged = `${prefix}_${id}_${'x'.repeat(secret.length)}`;
    const keys: [string, string | undefined][] = [
      ['none', undefined],
      ['revoked', revoked.json.key as string],
      ['made-up', forged],
    ];
    let tried = 0;
    let refused = 0;
    const wrong: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (PUBLIC.some((p) => p.test(path))) continue;
      for (const method of Object.keys(ops)) {
        const url = `${server.url}${path.replace(/\{[^}]+\}/g, 'chaos')}`;
        for (const [kind, key] of keys) {
          const res = await fetch(url, {
            method: method.toUpperCase(),
            headers: key ? { authorization: `Bearer ${key}` } : {},
          });
          const body = (await res.json().catch(() => ({}))) as { code?: string };
          tried++;
          if (res.status === 401 && body.code === 'auth.unauthorized') refused++;
          else wrong.push(`${method.toUpperCase()} ${path} (${kind}) → ${res.status}`);
        }
      }
    }
    for (const w of wrong.slice(0, 10)) progress(`${store}: not refused: ${w}`);
    figure('auth', store, 'requests', tried, 'requests');
    figure('auth', store, 'refused_401', refused, 'requests');
    figure('auth', store, 'not_refused', tried - refused, 'requests');

    // Timing: nothing in common vs all but the last character, interleaved against drift.
    const far = `${prefix}_${id}_${'z'.repeat(secret.length)}`;
    const near = `${prefix}_${id}_${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    const times: Record<'far' | 'near', number[]> = { far: [], near: [] };
    const time = async (key: string) => {
      const started = performance.now();
      await fetch(`${server.url}/api/keys`, { headers: { authorization: `Bearer ${key}` } }).then((r) =>
        r.arrayBuffer(),
      );
      return performance.now() - started;
    };
    for (let i = 0; i < options.timingRounds; i++) {
      times.far.push(await time(far));
      times.near.push(await time(near));
    }
    const farMedian = percentile(times.far, 50);
    const nearMedian = percentile(times.near, 50);
    figure('auth', store, 'check_ms_nothing_matches', farMedian, 'ms');
    figure('auth', store, 'check_ms_all_but_last_match', nearMedian, 'ms');
    figure('auth', store, 'timing_ratio', nearMedian / farMedian, '');
    progress(
      `${store}: ${tried} requests, ${refused} refused; key check ${farMedian.toFixed(3)} ms vs ${nearMedian.toFixed(3)} ms`,
    );
    return tried - refused;
  } finally {
    await server.stop();
    await db.drop();
  }
}

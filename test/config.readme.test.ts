import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { variables } from '../src/config.ts';

/** The README's configuration table: rows of `| \`NAME\` | default | description |`. */
function readmeTable(): Map<string, string> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const rows = new Map<string, string>();
  for (const line of readme.split('\n')) {
    const match = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*([^|]*?)\s*\|/.exec(line);
    if (match?.[1]) rows.set(match[1], match[2] ?? '');
  }
  return rows;
}

it('documents every configuration variable in the README, with its default', () => {
  const table = readmeTable();
  for (const spec of Object.values(variables)) {
    assert.ok(table.has(spec.name), `README lists ${spec.name}`);
    const documented = table.get(spec.name) ?? '';
    if (spec.default === undefined) assert.match(documented, /unset|—|none/i, `${spec.name} has no default`);
    else assert.equal(documented.replace(/`/g, ''), spec.default, `${spec.name} default`);
  }
  const known = new Set<string>(Object.values(variables).map((v) => v.name));
  for (const name of table.keys()) assert.ok(known.has(name), `README lists ${name}, which config.ts does not read`);
});

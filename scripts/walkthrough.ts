/**
 * Runs the README's "Your first webhook" walkthrough verbatim and checks the verified delivery.
 *
 *   node scripts/walkthrough.ts [--dir DIR]
 *
 * The code blocks between `<!-- walkthrough -->` and `<!-- /walkthrough -->` are run as written, in
 * order, in one bash session, in a fresh copy of the repository (every tracked file as it is in the
 * working tree, nothing untracked: no node_modules, no data). The one thing added is what a person
 * does between the blocks: the first block's last command (the server, which a person leaves
 * running in its own terminal) runs in the background, and each next block waits until the server
 * answers. Succeeds when the receiver printed `verified User.Created <id>` for the user the
 * walkthrough created; exits 1 with the session's output otherwise. Ports 3000 and 3001 must be free.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { dir: { type: 'string' } } });

/** The walkthrough's shell blocks, as the README has them. */
export function walkthroughBlocks(readme: string): string[] {
  const start = readme.indexOf('<!-- walkthrough -->');
  const end = readme.indexOf('<!-- /walkthrough -->');
  if (start === -1 || end === -1 || end < start) throw new Error('README: no <!-- walkthrough --> section');
  return [...readme.slice(start, end).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trimEnd());
}

const blocks = walkthroughBlocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
if (blocks.length < 3) throw new Error(`README walkthrough: ${blocks.length} blocks`);

const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'herald-walkthrough-'));
// A fresh copy: the tracked files as they are now.
const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
for (const file of files) {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  try {
    cpSync(join(ROOT, file), join(dir, file));
  } catch {
    // tracked but deleted in the working tree
  }
}

const waitForServer = `for i in $(seq 1 120); do curl -sf -o /dev/null http://localhost:3001/api/status && break; sleep 0.5; done`;
const [first, ...rest] = blocks as [string, ...string[]];
const firstLines = first.split('\n');
const server = firstLines.pop() as string;
const script = [
  'set -e',
  // Whatever this session started (the server, the receiver) goes with it.
  // Not under `set -e`: a job that has already ended must not turn a passed run into exit 1.
  "trap 'rc=$?; set +e; kill $(jobs -p) 2>/dev/null; pkill -P $$ 2>/dev/null; exit $rc' EXIT",
  ...firstLines,
  `(${server}) > walkthrough-server.log 2>&1 &`,
  waitForServer,
  ...rest.flatMap((block) => [block, 'sleep 0.5']),
  // The receiver prints once the delivery arrives: give it the time a delivery takes.
  // curl prints no final newline: the receiver's line may follow its answer on the same line.
  'for i in $(seq 1 60); do grep -q "verified User.Created" walkthrough-receiver.log 2>/dev/null && break; sleep 0.5; done',
].join('\n');
writeFileSync(join(dir, 'walkthrough.sh'), `${script}\n`);

const log = join(dir, 'walkthrough-receiver.log');
// Its own process group: whatever the session started (npm, the server npm started, the receiver)
// is stopped with it below, as closing the terminals would; a trap alone misses npm's children.
const child = spawn('bash', ['walkthrough.sh'], {
  cwd: dir,
  detached: true,
  stdio: ['ignore', 'pipe', 'pipe'],
  // As a newcomer's shell: none of this machine's Herald settings.
  env: Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(HERALD_|DATABASE_URL$|PORT$|HOST$|LOG_)/.test(name)),
  ),
});
let output = '';
child.stdout.on('data', (c: Buffer) => {
  output += c.toString();
  writeFileSync(log, output);
});
child.stderr.on('data', (c: Buffer) => (output += c.toString()));
const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
function stopGroup(signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-(child.pid as number), signal);
    return true;
  } catch {
    return false; // the group is gone
  }
}
if (stopGroup('SIGTERM')) {
  for (let i = 0; i < 50 && stopGroup(0); i++) await new Promise((r) => setTimeout(r, 100));
  stopGroup('SIGKILL');
}

const userId = /"id":"([0-9a-z]+)","username":"ada"/.exec(output)?.[1];
const verified = userId !== undefined && output.includes(`verified User.Created ${userId}`);
if (code !== 0 || !verified) {
  process.stderr.write(
    `walkthrough failed (exit ${code}, verified ${verified}) in ${dir}\n--- output ---\n${output}\n`,
  );
  try {
    process.stderr.write(`--- server ---\n${readFileSync(join(dir, 'walkthrough-server.log'), 'utf8').slice(-4000)}\n`);
  } catch {
    // no server log
  }
  process.exit(1);
}
process.stdout.write(`walkthrough: verified User.Created ${userId}\n`);
if (!values.dir) rmSync(dir, { recursive: true, force: true });

#!/usr/bin/env bash
# The production install path, checked without Docker: the Dockerfile's two stages run here, in a
# temporary directory, and the installed Herald must start and answer. test/production-install.test.ts
# runs it (so `npm test` and CI do); by hand: scripts/production-check.sh.
#
#  1. the build context: this working tree copied without what .dockerignore leaves out (no
#     node_modules, no built console, no local data): what `docker build .` would send;
#  2. the build stage: `npm ci` there (dev dependencies; `prepare` builds console/dist and the SDK's
#     packages/webhooks/dist);
#  3. the runtime stage: in another directory, the files the Dockerfile's runtime stage copies, then
#     `npm ci --omit=dev` (no Vite, no TypeScript, no Node of the project's own), then the sources
#     and the built console;
#  4. `npm start` there, on the system's Node when it is 24 or later, otherwise on the project's
#     Node 24 taken from the build stage's dev install (the output says which); with an older system
#     Node, also checks that bin/herald.js refuses it and says what it needs;
#  5. waits for GET /api/status 204 and GET /api/health/ready 200, checks that /console serves the
#     built console, that the Dockerfile's HEALTHCHECK command passes and that docs/deployment.md's
#     online SQLite backup works on the running server, then stops the server with
#     SIGTERM (to Herald's process, as `docker stop` sends it) and expects it to exit 0.
#
# Exits non-zero on the first failure, with the server's log. Environment: HERALD_CHECK_PORT (default:
# a free port), HERALD_CHECK_KEEP=1 keeps the temporary directory.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/herald-production-check.XXXXXX")"
SERVER_PID=""

say() { printf 'production-check: %s\n' "$*"; }
fail() {
  printf 'production-check: FAILED: %s\n' "$*" >&2
  if [[ -f "$WORK/server.log" ]]; then
    printf -- '--- server log (last 60 lines) ---\n' >&2
    tail -n 60 "$WORK/server.log" >&2 || true
  fi
  exit 1
}
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "${HERALD_CHECK_KEEP:-}" == "1" ]]; then say "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

BUILD="$WORK/build"
APP="$WORK/app"
mkdir -p "$BUILD" "$APP" "$WORK/data"

# 1. The build context, as .dockerignore shapes it: `**/x` is left out at any depth, anything else
#    from the root (GNU tar's anchored patterns, on the members ./path).
anchored=()
unanchored=()
while IFS= read -r line || [[ -n "$line" ]]; do
  line="${line%%#*}"
  line="${line%"${line##*[![:space:]]}"}"
  [[ -z "$line" ]] && continue
  if [[ "$line" == '**/'* ]]; then unanchored+=("--exclude=${line#'**/'}"); else anchored+=("--exclude=./${line#/}"); fi
done <"$ROOT/.dockerignore"
tar -C "$ROOT" --anchored "${anchored[@]}" --no-anchored "${unanchored[@]}" -cf - . | tar -C "$BUILD" -xf -
[[ ! -e "$BUILD/node_modules" && ! -e "$BUILD/console/dist" ]] || fail "the build context holds installed or built files"
say "build context copied from $ROOT into $BUILD"

# 2. The build stage.
say "build stage: npm ci (with dev dependencies)"
(cd "$BUILD" && npm ci --no-audit --no-fund) >"$WORK/build.log" 2>&1 || {
  tail -n 40 "$WORK/build.log" >&2
  fail "npm ci in the build stage"
}
[[ -f "$BUILD/console/dist/index.html" ]] || fail "the build stage did not build the console (console/dist/index.html)"
[[ -f "$BUILD/packages/webhooks/dist/index.js" ]] || fail "the build stage did not build the SDK (packages/webhooks/dist)"
say "build stage: console and SDK built"

# 3. The runtime stage: the Dockerfile's COPYs, in its order.
mkdir -p "$APP/scripts" "$APP/packages/webhooks" "$APP/console"
cp "$BUILD/package.json" "$BUILD/package-lock.json" "$APP/"
cp "$BUILD/scripts/build-console.mjs" "$APP/scripts/"
cp "$BUILD/packages/webhooks/package.json" "$BUILD/packages/webhooks/README.md" "$APP/packages/webhooks/"
cp -R "$BUILD/packages/webhooks/scripts" "$BUILD/packages/webhooks/dist" "$APP/packages/webhooks/"
say "runtime stage: npm ci --omit=dev (system npm $(npm --version) on $(node --version))"
(cd "$APP" && NODE_ENV=production npm ci --omit=dev --no-audit --no-fund) >"$WORK/runtime.log" 2>&1 || {
  tail -n 40 "$WORK/runtime.log" >&2
  fail "npm ci --omit=dev in the runtime stage"
}
cp -R "$BUILD/bin" "$BUILD/src" "$APP/"
cp -R "$BUILD/console/dist" "$APP/console/dist"
for dev in vite typescript node @biomejs/biome; do
  [[ ! -e "$APP/node_modules/$dev" ]] || fail "the production install holds the dev dependency $dev"
done
[[ -f "$APP/packages/webhooks/dist/index.js" ]] || fail "npm ci --omit=dev removed the SDK's built files"
say "runtime stage: production dependencies only (no vite, typescript or node package)"

# 4. Which Node runs Herald.
system_node="$(command -v node || true)"
system_major=0
[[ -n "$system_node" ]] && system_major="$("$system_node" -p 'process.versions.node.split(".")[0]')"
if ((system_major >= 24)); then
  NODE_BIN="$system_node"
  say "running on the system's Node $("$NODE_BIN" --version) ($NODE_BIN)"
else
  NODE_BIN="$BUILD/node_modules/node/bin/node"
  [[ -x "$NODE_BIN" ]] || fail "no Node 24: the system's is ${system_node:-missing} and the build stage has no node_modules/node"
  say "the system's Node is $("$system_node" --version 2>/dev/null || echo missing), older than 24:"
  say "running on the project's Node $("$NODE_BIN" --version) from the build stage's dev install ($NODE_BIN)"
  if [[ -n "$system_node" ]]; then
    set +e
    refusal="$(cd "$APP" && "$system_node" bin/herald.js start 2>&1)"
    code=$?
    set -e
    [[ $code -eq 1 ]] || fail "bin/herald.js on $("$system_node" --version) exited $code, not 1"
    [[ "$refusal" == *"needs Node.js 24 or later"* && "$refusal" == *"install Node.js 24"* ]] ||
      fail "bin/herald.js on an old Node does not say what it needs: $refusal"
    say "bin/herald.js on $("$system_node" --version) refuses with: $refusal"
  fi
fi

PORT="${HERALD_CHECK_PORT:-$("$NODE_BIN" -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')}"
BASE="http://127.0.0.1:$PORT"

# 5. Start it as `npm start` does, with that Node first on PATH, in its own process group.
(
  cd "$APP"
  exec env PATH="$(dirname "$NODE_BIN"):$PATH" NODE_ENV=production PORT="$PORT" HOST=127.0.0.1 LOG_FORMAT=json \
    DATABASE_URL="sqlite:$WORK/data/herald.db" NODE_COMPILE_CACHE="$WORK/compile-cache" \
    setsid npm start
) >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
say "npm start (pid $SERVER_PID) on $BASE, DATABASE_URL=sqlite:$WORK/data/herald.db"

# GET $1: prints the status (000 when nothing answers).
status() {
  "$NODE_BIN" -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(5000) }).then((r) => console.log(r.status), () => console.log("000"))' "$BASE$1"
}
deadline=$((SECONDS + 90))
until [[ "$(status /api/status)" == 204 ]]; do
  kill -0 "$SERVER_PID" 2>/dev/null || fail "the server exited before answering"
  ((SECONDS < deadline)) || fail "GET /api/status did not answer 204 within 90 s"
  sleep 0.5
done
say "GET /api/status: 204"

if grep -rqF "'/api/health/ready'" "$APP/src"; then
  until [[ "$(status /api/health/ready)" == 200 ]]; do
    ((SECONDS < deadline)) || fail "GET /api/health/ready did not answer 200 (last: $(status /api/health/ready))"
    sleep 0.5
  done
  say "GET /api/health/ready: 200"
  # The Dockerfile's HEALTHCHECK, its command as written there, on this Node.
  healthcheck="$(sed -n 's/^ *CMD \(\["node", "-e", .*\]\)$/\1/p' "$ROOT/Dockerfile" | head -n 1)"
  [[ -n "$healthcheck" ]] || fail "no HEALTHCHECK CMD [\"node\", \"-e\", …] line in the Dockerfile"
  PORT="$PORT" "$NODE_BIN" -e '
    const [, ...args] = JSON.parse(process.argv[1]);
    const r = require("node:child_process").spawnSync(process.execPath, args, { stdio: "inherit", timeout: 10000 });
    process.exit(r.status ?? 1);' "$healthcheck" || fail "the Dockerfile's HEALTHCHECK command failed"
  say "the Dockerfile's HEALTHCHECK command passes"
else
  say "NOTE: this Herald has no GET /api/health/ready route: checked GET /api/status only"
fi

console="$("$NODE_BIN" -e 'fetch(process.argv[1]).then(async (r) => console.log(r.status, (await r.text()).includes("<script")))' "$BASE/console/")"
[[ "$console" == "200 true" ]] || fail "GET /console/ did not serve the built console ($console)"
say "GET /console/: 200, the built console"
[[ "$(status /api/swagger.json)" == 200 ]] || fail "GET /api/swagger.json"
say "GET /api/swagger.json: 200"

# docs/deployment.md's online backup of a running SQLite Herald (node:sqlite's backup()), as written
# there; the copy must pass SQLite's integrity check and hold the API key the first start created.
"$NODE_BIN" -e "const { DatabaseSync, backup } = require('node:sqlite'); backup(new DatabaseSync(process.argv[1]), process.argv[2]).then((pages) => console.log('backed up', pages, 'pages'))" "$WORK/data/herald.db" "$WORK/backup.db" >/dev/null ||
  fail "the online backup of the running server's database"
"$NODE_BIN" -e '
  const db = new (require("node:sqlite").DatabaseSync)(process.argv[1], { readOnly: true });
  const { integrity_check } = db.prepare("PRAGMA integrity_check").get();
  const { n } = db.prepare("SELECT count(*) AS n FROM api_keys").get();
  process.exit(integrity_check === "ok" && n >= 1 ? 0 : 1);' "$WORK/backup.db" ||
  fail "the backup is not a sound copy of the database"
say "online backup of the running server's SQLite database: sound"

# SIGTERM to Herald's own process (its pid, from its "herald is ready" log line), as `docker stop`
# sends it to the image's PID 1; npm start then ends with Herald's exit code.
ready_pid() { sed -n 's/.*"pid":\([0-9]*\),.*"msg":"herald is ready".*/\1/p' "$WORK/server.log" | head -n 1; }
until [[ -n "$(ready_pid)" ]]; do
  ((SECONDS < deadline)) || fail "no \"herald is ready\" log line with the server's pid"
  sleep 0.25
done
herald_pid="$(ready_pid)"
kill -TERM "$herald_pid"
for _ in $(seq 1 60); do
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.25
done
if kill -0 "$SERVER_PID" 2>/dev/null; then fail "the server did not stop within 15 s of SIGTERM"; fi
set +e
wait "$SERVER_PID"
code=$?
set -e
SERVER_PID=""
[[ $code -eq 0 ]] || fail "npm start exited $code after SIGTERM"
say "stopped cleanly on SIGTERM"
say "OK"

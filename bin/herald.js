#!/usr/bin/env node
// Herald runs TypeScript through Node's own type stripping, which needs Node 24 or later.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `herald needs Node.js 24 or later (this is ${process.version}). Run it through npm (npm start, npm run herald -- …), which uses the Node 24 the project installs.\n`,
  );
  process.exit(1);
}
// The module compile cache, enabled before src/main.ts is loaded so that main.ts is cached as well
// (main.ts enables it too, for `npm start`; see there). The dispatcher's worker thread enables it
// from the environment variable.
const { constants, enableCompileCache } = await import('node:module');
const compileCache = enableCompileCache();
if (compileCache.status === constants.compileCacheStatus.ENABLED && compileCache.directory)
  process.env.NODE_COMPILE_CACHE ??= compileCache.directory;
await import('../src/main.ts');

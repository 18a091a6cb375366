#!/usr/bin/env node
// Herald runs TypeScript through Node's own type stripping, which needs Node 24 or later. Plain
// JavaScript that any Node can parse, so that an older one gets this message and not a syntax error.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const { existsSync } = await import('node:fs');
  // A development install (npm install / npm ci) has Node 24 as the `node` dev dependency, which every
  // npm script runs on; a production install (npm ci --omit=dev) runs on the machine's Node.
  const projectNode = existsSync(new URL('../node_modules/node/bin/node', import.meta.url));
  process.stderr.write(
    `herald needs Node.js 24 or later (this is ${process.version}). ${
      projectNode
        ? 'Run it through npm (npm start, npm run herald -- …), which uses the Node 24 the project installs.'
        : 'This install has no Node of its own (npm ci --omit=dev leaves out the `node` dev dependency): install Node.js 24 or later on this machine, or run the container image (docs/deployment.md).'
    }\n`,
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

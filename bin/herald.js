#!/usr/bin/env node
// Herald runs TypeScript through Node's own type stripping, which needs Node 24 or later.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `herald needs Node.js 24 or later (this is ${process.version}). Run it through npm (npm start, npm run herald -- …), which uses the Node 24 the project installs.\n`,
  );
  process.exit(1);
}
await import('../src/main.ts');

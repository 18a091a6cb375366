/**
 * Import rules checked by `npm test` (npm run lint:imports). See docs/architecture.md.
 * Type-only imports count too: a layer that may not import another may not borrow its types.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: each module can be read, tested and changed after the ones it imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'events-import-no-feature',
      severity: 'error',
      comment:
        'src/events is the catalog and payload shapes: it imports no feature (the outbox in src/delivery emits).',
      from: { path: '^src/events/' },
      to: { path: '^src/(delivery|outbound|hooks|identity|experience|keys|http|console|db)/' },
    },
    {
      name: 'store-only-from-own-folder',
      severity: 'error',
      comment:
        "A feature's SQL (store.ts, *.store.ts) is called from its own folder only; others go through its service.",
      from: { path: '^src/(.+)/[^/]+$' },
      to: { path: 'store[.]ts$', pathNot: '^src/$1/[^/]+$' },
    },
    {
      name: 'routes-not-from-other-routes',
      severity: 'error',
      comment: "Routes share schemas through a schemas module, not through another feature's routes.",
      from: { path: '^src/(.+)/[^/]*routes[.]ts$' },
      to: { path: 'routes[.]ts$', pathNot: '^src/$1/[^/]+$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '[.]test[.]ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};

# syntax=docker/dockerfile:1
#
# Herald's image: docker build -t herald . && docker run -p 3001:3001 -v herald-data:/data herald
# (docs/deployment.md). Two stages: the build stage installs everything, dev dependencies included,
# which builds the admin console (console/dist) and the receiver SDK (packages/webhooks/dist)
# through `prepare`; the runtime stage installs the production dependencies only and takes the built
# files from it. scripts/production-check.sh runs these same steps without Docker (npm test runs it).

ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY . .
# `npm ci` as CI runs it: the lockfile's exact versions, and `prepare` builds the console and the SDK.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund \
 && test -f console/dist/index.html \
 && test -f packages/webhooks/dist/index.js

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DATABASE_URL=sqlite:/data/herald.db \
    HOST=0.0.0.0 \
    PORT=3001 \
    LOG_FORMAT=json
WORKDIR /app
# What `npm ci --omit=dev` reads: the manifests, the lockfile, and the `prepare` scripts (which find
# no Vite and no TypeScript here, say so and leave the built files alone).
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/scripts/build-console.mjs scripts/
COPY --from=build /app/packages/webhooks/package.json /app/packages/webhooks/README.md packages/webhooks/
COPY --from=build /app/packages/webhooks/scripts packages/webhooks/scripts
COPY --from=build /app/packages/webhooks/dist packages/webhooks/dist
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/bin bin
COPY --from=build /app/src src
COPY --from=build /app/console/dist console/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3001
# Ready: the database answers and the dispatcher runs (GET /api/health/ready). Slim has no curl:
# Node's fetch asks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3001}/api/health/ready`).then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
# Node itself as PID 1 (not npm): SIGTERM reaches Herald, which drains within HERALD_SHUTDOWN_TIMEOUT_MS.
CMD ["node", "bin/herald.js", "start"]

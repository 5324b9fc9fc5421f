# syntax=docker/dockerfile:1
# Build stage: full install, compile TypeScript to dist/ and bundle GraphiQL into dist/graphiql/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY sandbox ./sandbox
COPY schema ./schema
# scripts/build-graphiql.ts bundles the offline GraphiQL page into dist/graphiql.
COPY scripts ./scripts
RUN npm run build

# Runtime stage: production dependencies only, compiled code, non-root.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    INTERLINK_HOST=0.0.0.0 \
    INTERLINK_PORT=4000 \
    INTERLINK_DATA_DIR=/var/lib/interlink
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The server reads the GraphQL schema files at start.
COPY schema ./schema
# clientMutationId records (idempotency.sqlite) outlive the container on this volume.
RUN mkdir -p /var/lib/interlink && chown node:node /var/lib/interlink
VOLUME ["/var/lib/interlink"]
USER node
EXPOSE 4000
# Liveness only (the process serves HTTP): /readyz checks the vendors and belongs to the orchestrator.
HEALTHCHECK --interval=30s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.INTERLINK_PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Without INTERLINK_*_URL settings it runs on the embedded sandbox, as `npm start` does.
CMD ["node", "dist/src/index.js"]

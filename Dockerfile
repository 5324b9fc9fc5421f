# syntax=docker/dockerfile:1
# Build stage: full install, compile TypeScript to dist/ and bundle GraphiQL into dist/graphiql/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY sandbox ./sandbox
# scripts/build-graphiql.ts bundles the offline GraphiQL page into dist/graphiql.
COPY scripts ./scripts
RUN npm run build

# Runtime stage: production dependencies only, non-root.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The server reads the GraphQL schema files at start.
COPY schema ./schema
USER node
EXPOSE 4101 4102 4103
# The standalone vendor sandbox; the gateway entry point replaces this command when it lands.
CMD ["node", "dist/sandbox/main.js"]

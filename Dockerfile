# crossbucket: a local S3-compatible server with exact bucket CORS.
#   docker compose up            (see docker-compose.yml)
#   docker build -t crossbucket . && docker run -p 127.0.0.1:9000:9000 -v crossbucket-data:/data crossbucket
# Configuration: the CROSSBUCKET_* environment variables (crossbucket --help lists them).
ARG NODE_VERSION=22

# --- build: compile TypeScript, bundle the CLI, build better-sqlite3's native module if no prebuilt one fits ---
FROM node:${NODE_VERSION}-bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds dist/, whose sources are not copied yet; better-sqlite3's
# own install script runs through `npm rebuild`.
RUN npm ci --no-audit --no-fund --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json index.ts ./
COPY server ./server
COPY storage ./storage
COPY cors-engine ./cors-engine
COPY policy-engine ./policy-engine
COPY scripts/bundle.js ./scripts/bundle.js
# dist/crossbucket.js: the CLI in one file, which bin/crossbucket.js runs (starts ~20% faster).
RUN npx tsc -p tsconfig.build.json \
 && node scripts/bundle.js \
 && npm prune --omit=dev --no-audit --no-fund

# --- run: production dependencies and the compiled server only, as a non-root user ---
FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
# The web console's files (plain ES modules, no build step), served at /_crossbucket/console/.
COPY console ./console
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9000
# GET /_crossbucket/health on CROSSBUCKET_PORT (default 9000); no curl needed.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["node", "bin/crossbucket.js", "health"]
# SIGTERM (docker stop) drains in-flight requests, then closes the database.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "bin/crossbucket.js"]
CMD ["serve", "--host", "0.0.0.0", "--data-dir", "/data"]

# a2d2: one image, several roles (`start --role all|http|worker`).

# Build stage: every dependency (the Prisma generator, esbuild), then the bundle in dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
# postinstall generates the Prisma client into generated/; the bundle includes it.
RUN npm ci --no-audit --no-fund
# Sources listed one by one: there is no .dockerignore, and the host's node_modules must not land here.
COPY tsconfig.json ./
COPY bot ./bot
COPY core ./core
COPY features ./features
COPY agents ./agents
COPY services ./services
COPY processes ./processes
RUN npm run build

# Runtime stage: production dependencies and the bundle (with its process definitions and
# migrations) only. No install scripts: the generated client is already inside dist/main.js.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# A font for the charts (`sla`): without one they are left out and the figures go alone.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# A2D2_DATA_DIR defaults to ./data: writable by the user the process runs as.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
ENV HOST=0.0.0.0 PORT=3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The service's environment and node flags: see NODE_FLAGS in scripts/dist.mjs.
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["node", "--max-semi-space-size=4", "dist/main.js"]
CMD ["start", "--role", "all"]

# One image for every service; the Deployment picks the app: args: ["dist/apps/<app>/src/main.js"].
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schemas ./schemas
COPY package.json ./
# The uid the Kubernetes manifests run as (runAsUser 10001), numeric so runAsNonRoot can verify it.
USER 10001:10001
ENTRYPOINT ["node"]

# syntax=docker/dockerfile:1
# The durable-teams image. One image for every role: the command picks it (`worker`, `serve`, ...),
# as docker-compose.yml does. Debian slim rather than Alpine: the Temporal SDK's native bridge and
# the SWC compiler that bundles workflows ship glibc binaries.
ARG NODE_IMAGE=node:20.19.5-bookworm-slim

# --- build: compile the TypeScript with the dev dependencies -----------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: our `prepare` script builds, and the sources are not here yet (the build is the
# next step); no dependency needs its install script (prebuilt binaries come as packages).
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY workflows workflows
COPY activities activities
COPY bench bench
COPY console console
COPY scripts/build-console.mjs scripts/bundle-workflows.mjs scripts/
RUN npm run build

# --- runtime: production dependencies and the compiled code only -------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# The SDK's native bridge comes prebuilt for five platforms (~140 MB); only this one's is kept.
RUN npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force \
 && keep="$(node -p "({ x64: 'x86_64', arm64: 'aarch64' })[process.arch] + '-unknown-linux-gnu'")" \
 && find node_modules/@temporalio/core-bridge/releases -mindepth 1 -maxdepth 1 ! -name "$keep" -exec rm -rf {} +
# A worker loads the workflows bundled at build time (dist/workflow-bundle.js, stamped with the
# hash of the code beside it), or bundles dist/workflows itself when the stamp does not match.
COPY --from=build /app/dist/src dist/src
COPY --from=build /app/dist/workflows dist/workflows
COPY --from=build /app/dist/activities dist/activities
COPY --from=build /app/dist/workflow-bundle.js /app/dist/workflow-bundle.js.sha256 dist/
# The web console's page (index.html, app.js, app.css), served by the front end at /console.
COPY --from=build /app/dist/console dist/console
COPY bin bin
# The example teams and scripts: `serve` and `dev` can run with nothing mounted.
COPY examples examples
# The base image's unprivileged user; the code only reads /app.
USER node
ENTRYPOINT ["node", "/app/bin/durable-teams"]
CMD ["--help"]

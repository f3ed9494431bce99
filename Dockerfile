# The meshviz CLI as a container image: what each index of the Job that
# `meshviz sweep --emit-job` prints runs (`meshviz sweep … --shard I/N`).
#   docker build -t meshviz:latest .
FROM node:24-slim
WORKDIR /opt/meshviz
COPY package.json package-lock.json ./
COPY bin ./bin
COPY scripts ./scripts
COPY schemas ./schemas
COPY scenarios ./scenarios
COPY src ./src
# npm ci runs the prepare script, which bundles the CLI into build/cli/; the bundle needs only the runtime dependencies after it.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund && ln -s /opt/meshviz/bin/meshviz.js /usr/local/bin/meshviz
USER node
ENTRYPOINT ["meshviz"]

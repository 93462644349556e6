# dcos-operator image: the esbuild bundle of the operator on a distroless Node 24, run as non-root.
#
#   docker build --build-arg VERSION=0.1.0 -t ghcr.io/dcos-operator/dcos-operator:0.1.0 .
#
# The bundle (npm run build) holds the operator and every production dependency it loads, so the
# runtime stage needs no node_modules, no npm and no shell.

ARG NODE_IMAGE=docker.io/library/node:24-bookworm-slim
ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs24-debian12:nonroot

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
# The version the image reports (`--version`, the start-up log) is baked into the bundle.
ARG VERSION=0.0.0-dev
RUN npm pkg set "version=${VERSION}" && npm run build && node dist/operator.mjs --version

FROM ${RUNTIME_IMAGE}
ARG VERSION=0.0.0-dev
LABEL org.opencontainers.image.title="dcos-operator" \
      org.opencontainers.image.description="Marathon apps, Universe packages and ACS clusters on Kubernetes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /src/dist/operator.mjs /app/operator.mjs
# The chart sets the same; these make a plain `docker run` behave like the chart's pod.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=192 --max-semi-space-size=2" \
    GLIBC_TUNABLES="glibc.malloc.mmap_threshold=131072:glibc.malloc.trim_threshold=131072" \
    DCOS_OPERATOR_LOG_FORMAT=json
# distroless's nonroot user (65532); the chart also sets runAsNonRoot and a read-only root filesystem.
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/nodejs/bin/node", "/app/operator.mjs"]
CMD ["run"]

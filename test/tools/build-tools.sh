#!/usr/bin/env bash
# Builds the tools the chart and GitOps tests use, from the Go module proxy, into a cache outside the
# repository keyed by version (a second run does nothing):
#   helm           helm.sh/helm/v3, with its Kubernetes version set to the test control plane's
#   gitops-health  test/gitops/health: Flux's kstatus and Argo CD's Lua interpreter over objects
#   crds/          the Flux Kustomization and GitRepository and Argo CD Application CRDs (for the examples)
# Prints the directory holding them on its last line.
#
# `build-tools.sh clients` builds instead the real Marathon API clients of test/clients, in a directory
# of their own (printed on the last line):
#   python/           Debian's python3-marathon and the Debian packages it imports, unpacked (dpkg -x), not
#                     installed: Debian's /usr/bin/python3 runs them with PYTHONPATH=python/$PYTHON_SITE
#   go-marathon-smoke test/clients/go-marathon built against go-marathon from the Go module proxy
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
# shellcheck source=../../src/devcluster/versions.env
. "$root/src/devcluster/versions.env"

cache=${DCOS_OPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dcos-operator}
log() { printf '[build-tools] %s\n' "$*" >&2; }

# Debian's python3-marathon 0.13.0 (the release marathon-python's last tag is) and where its files land.
PYTHON3_MARATHON_VERSION=0.13.0
PYTHON_SITE=usr/lib/python3/dist-packages
clients_src="$root/test/clients/go-marathon"
clients_hash=$(cat "$clients_src/go.mod" "$clients_src/go.sum" "$clients_src"/*.go | sha256sum | cut -c1-12)
clients="$cache/bin/clients-python3-marathon-$PYTHON3_MARATHON_VERSION-go-marathon-$clients_hash"

clients_complete() {
  [ -x "$clients/go-marathon-smoke" ] && [ -s "$clients/python/$PYTHON_SITE/marathon/client.py" ]
}

# python3-marathon and every python3-* package it depends on, downloaded and unpacked where no Python looks
# by default: the system's Python and its site-packages stay as they were.
fetch_python_marathon() {
  local out=$1 debs pkgs
  pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances --no-pre-depends python3-marathon 2>/dev/null | grep -E '^python3-[a-z0-9.-]+$' | sort -u || true)
  if [ -z "$pkgs" ]; then
    # No package lists yet (a fresh machine): fetch them once.
    apt-get update -qq >&2
    pkgs=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
      --no-enhances --no-pre-depends python3-marathon | grep -E '^python3-[a-z0-9.-]+$' | sort -u)
  fi
  [ -x /usr/bin/python3 ] || apt-get install -y -qq python3 >&2
  debs=$(mktemp -d)
  log "downloading $(echo "$pkgs" | tr '\n' ' ')from Debian"
  # shellcheck disable=SC2086
  # Downloaded as whoever runs this (not apt's sandbox user, who may not reach a private temp dir).
  (cd "$debs" && apt-get -o APT::Sandbox::User="$(id -un)" download $pkgs) >&2
  local got
  got=$(dpkg-deb -f "$debs"/python3-marathon_*.deb Version)
  case "$got" in
    "$PYTHON3_MARATHON_VERSION"-*) ;;
    *) echo "Debian offers python3-marathon $got, not $PYTHON3_MARATHON_VERSION" >&2; return 1 ;;
  esac
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$out/python"; done
  rm -rf "$debs"
}

build_clients() {
  if clients_complete; then echo "$clients"; return 0; fi
  command -v go >/dev/null || { echo "go is required to build the test clients" >&2; return 1; }
  mkdir -p "$cache/bin"
  if command -v flock >/dev/null; then
    exec 8>"$cache/bin/.clients.lock"
    flock 8
    if clients_complete; then echo "$clients"; return 0; fi
  fi
  rm -rf "$clients.tmp"
  mkdir -p "$clients.tmp/python"
  fetch_python_marathon "$clients.tmp"
  /usr/bin/python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import marathon' \
    "$clients.tmp/python/$PYTHON_SITE" >&2
  log "building go-marathon-smoke"
  (cd "$clients_src" && GOTOOLCHAIN=${GOTOOLCHAIN:-auto} GOFLAGS=-mod=mod CGO_ENABLED=0 \
    go build -trimpath -ldflags "-s -w" -o "$clients.tmp/go-marathon-smoke" .) >&2
  rm -rf "$clients"; mv "$clients.tmp" "$clients"
  echo "$clients"
}
if [ "${1:-}" = clients ]; then
  build_clients
  exit 0
fi

health_src="$root/test/gitops/health"
health_hash=$(cat "$health_src/go.mod" "$health_src/go.sum" "$health_src"/*.go | sha256sum | cut -c1-12)
bin="$cache/bin/tools-helm-$HELM_VERSION-health-$health_hash-flux-$FLUX_KUSTOMIZE_CONTROLLER_VERSION-argocd-$ARGO_CD_VERSION"

complete() {
  [ -x "$bin/helm" ] && [ -x "$bin/gitops-health" ] && [ -s "$bin/crds/flux-kustomizations.yaml" ] &&
    [ -s "$bin/crds/flux-gitrepositories.yaml" ] && [ -s "$bin/crds/argocd-applications.yaml" ]
}
if complete; then echo "$bin"; exit 0; fi

command -v go >/dev/null || { echo "go is required to build the test tools" >&2; exit 1; }
mkdir -p "$cache/bin"
if command -v flock >/dev/null; then
  exec 9>"$cache/bin/.tools.lock"
  flock 9
  if complete; then echo "$bin"; exit 0; fi
fi
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto} GOFLAGS=-mod=mod CGO_ENABLED=0
mkdir -p "$bin.tmp/crds"

build_helm() {
  local minor=${KUBERNETES_VERSION#v1.}
  minor=${minor%%.*}
  # Without these, `helm version` prints v3.x and .Capabilities.KubeVersion defaults to v1.20.
  local ld="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
  for p in pkg/chartutil pkg/lint/rules; do
    ld="$ld -X helm.sh/helm/v3/$p.k8sVersionMajor=1 -X helm.sh/helm/v3/$p.k8sVersionMinor=$minor"
  done
  log "building helm $HELM_VERSION"
  GOBIN="$bin.tmp" go install -trimpath -ldflags "$ld" "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
}

build_health() {
  log "building gitops-health"
  (cd "$health_src" && go build -trimpath -ldflags "-s -w" -o "$bin.tmp/gitops-health" .) >&2
}

# A module's zip straight from the proxy: some of these modules need a newer Go than the one here to be
# extracted by `go mod download`, and only a YAML file is wanted from each.
module_file() {
  local module=$1 version=$2 file=$3 out=$4 proxy zip
  proxy=${GOPROXY:-https://proxy.golang.org}
  proxy=${proxy%%,*}
  [ "$proxy" = direct ] || [ "$proxy" = off ] && proxy=https://proxy.golang.org
  zip="$cache/bin/.zips/${module//\//_}@$version.zip"
  mkdir -p "$cache/bin/.zips"
  if [ ! -s "$zip" ]; then
    log "downloading $module $version"
    curl -fsSL --retry 3 -o "$zip.tmp" "$proxy/$module/@v/$version.zip"
    mv "$zip.tmp" "$zip"
  fi
  unzip -p "$zip" "$module@$version/$file" >"$out"
}

[ -x "$bin.tmp/helm" ] || build_helm
[ -x "$bin.tmp/gitops-health" ] || build_health
module_file github.com/fluxcd/kustomize-controller "$FLUX_KUSTOMIZE_CONTROLLER_VERSION" \
  config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml "$bin.tmp/crds/flux-kustomizations.yaml"
module_file github.com/fluxcd/source-controller "$FLUX_SOURCE_CONTROLLER_VERSION" \
  config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml "$bin.tmp/crds/flux-gitrepositories.yaml"
module_file github.com/argoproj/argo-cd/v3 "$ARGO_CD_VERSION" \
  manifests/crds/application-crd.yaml "$bin.tmp/crds/argocd-applications.yaml"
rm -rf "$bin"; mv "$bin.tmp" "$bin"
echo "$bin"

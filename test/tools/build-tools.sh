#!/usr/bin/env bash
# Builds the tools the chart and GitOps tests use, from the Go module proxy, into a cache outside the
# repository keyed by version (a second run does nothing):
#   helm           helm.sh/helm/v3, with its Kubernetes version set to the test control plane's
#   gitops-health  test/gitops/health: Flux's kstatus and Argo CD's Lua interpreter over objects
#   crds/          the Flux Kustomization and GitRepository and Argo CD Application CRDs (for the examples)
# Prints the directory holding them on its last line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
# shellcheck source=../../src/devcluster/versions.env
. "$root/src/devcluster/versions.env"

cache=${DCOS_OPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dcos-operator}
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
log() { printf '[build-tools] %s\n' "$*" >&2; }

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

#!/usr/bin/env bash
# Builds the dev cluster's control plane from the Go module proxy: kube-apiserver, kube-controller-manager,
# kube-scheduler and kubectl from k8s.io/kubernetes, etcd from go.etcd.io, kwok from sigs.k8s.io.
# Binaries are cached outside the repository, keyed by version, so a second run does nothing.
# Prints the directory holding the binaries on its last line.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"

cache=${DCOS_OPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dcos-operator}
bin="$cache/bin/k8s-$KUBERNETES_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION"
want=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd etcdctl kwok)

complete() { for b in "${want[@]}"; do [ -x "$bin/$b" ] || return 1; done; }
if complete; then echo "$bin"; exit 0; fi

command -v go >/dev/null || { echo "go is required to build the test control plane" >&2; exit 1; }
# Concurrent first runs (two test runs, say) would share $bin.tmp: take turns, then re-check.
mkdir -p "$cache/bin"
if command -v flock >/dev/null; then
  exec 9>"$cache/bin/.build.lock"
  flock 9
  if complete; then echo "$bin"; exit 0; fi
fi
# auto: an older local Go fetches the toolchain the modules require from the Go module proxy.
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto} GOFLAGS=-mod=mod CGO_ENABLED=0
work="$cache/build"
mkdir -p "$bin.tmp" "$work"

log() { printf '[build-binaries] %s\n' "$*" >&2; }

build_kubernetes() {
  local dir="$work/k8s-$KUBERNETES_VERSION" minor
  minor=${KUBERNETES_VERSION#v1.}; minor=${minor%%.*}
  rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
  go mod init local/k8s-bins >/dev/null 2>&1
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with local paths,
  # which a dependency's go.mod cannot do for us: pin each to its published v0.<minor>.<patch>.
  grep -E '^\s+k8s\.io/[a-z0-9-]+ v0\.0\.0( // indirect)?$' "$gomod" \
    | awk -v v="v0.${KUBERNETES_VERSION#v1.}" '{print "replace "$1" => "$1" "v}' >> go.mod
  # GODEBUG defaults come from the main module: carry over Kubernetes' own godebug lines.
  grep -E '^godebug ' "$gomod" >> go.mod || true
  log "resolving k8s.io/kubernetes $KUBERNETES_VERSION"
  go get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$KUBERNETES_VERSION" \
    "k8s.io/kubernetes/cmd/kube-controller-manager@$KUBERNETES_VERSION" \
    "k8s.io/kubernetes/cmd/kube-scheduler@$KUBERNETES_VERSION" \
    "k8s.io/kubernetes/cmd/kubectl@$KUBERNETES_VERSION" >&2
  local V=k8s.io/component-base/version
  local ld="-s -w -X $V.gitVersion=$KUBERNETES_VERSION -X $V.gitMajor=1 -X $V.gitMinor=$minor -X $V.gitTreeState=clean"
  for c in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
    log "building $c"
    go build -trimpath -ldflags "$ld" -o "$bin.tmp/$c" "k8s.io/kubernetes/cmd/$c" >&2
  done
}

build_etcd() {
  local dir="$work/etcd-$ETCD_VERSION"
  rm -rf "$dir"; mkdir -p "$dir"; cd "$dir"
  go mod init local/etcd-bins >/dev/null 2>&1
  log "resolving etcd $ETCD_VERSION"
  go get -tool "go.etcd.io/etcd/server/v3@$ETCD_VERSION" "go.etcd.io/etcd/etcdctl/v3@$ETCD_VERSION" >&2
  log "building etcd"
  go build -trimpath -ldflags "-s -w" -o "$bin.tmp/etcd" go.etcd.io/etcd/server/v3 >&2
  go build -trimpath -ldflags "-s -w" -o "$bin.tmp/etcdctl" go.etcd.io/etcd/etcdctl/v3 >&2
}

build_kwok() {
  log "building kwok $KWOK_VERSION"
  GOBIN="$bin.tmp" go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" >&2
}

[ -x "$bin.tmp/etcd" ] || build_etcd
[ -x "$bin.tmp/kwok" ] || build_kwok
[ -x "$bin.tmp/kubectl" ] || build_kubernetes
rm -rf "$bin"; mv "$bin.tmp" "$bin"
echo "$bin"

#!/usr/bin/env bash
# Builds the real control plane used as a test peer: kube-apiserver, kube-controller-manager,
# kube-scheduler (Kubernetes, pinned in go.mod of this folder), etcd (the etcd server version that
# Kubernetes pins) and KWOK. Binaries and all Go caches live outside the repo; a second run with
# the binaries present does nothing.
#
#   test/real-cluster/build.sh            build what is missing, print the bin dir
#   PODINVADERS_REAL_CACHE=DIR ...        cache root (default ~/.cache/podinvaders/real-cluster)
#   PODINVADERS_REAL_FORCE=1 ...          rebuild even if the binaries exist
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
. "$here/versions.sh"

cache="${PODINVADERS_REAL_CACHE:-$HOME/.cache/podinvaders/real-cluster}"
bin="$cache/bin/$REAL_CLUSTER_STAMP"
mkdir -p "$bin"

export GOMODCACHE="$cache/gomodcache" GOPATH="$cache/gopath" GOCACHE="$cache/gocache"
export GOFLAGS="-modcacherw -buildvcs=false" GOTOOLCHAIN=local CGO_ENABLED=0

command -v go >/dev/null || { echo "build.sh: go not found on PATH" >&2; exit 3; }

log() { echo "build.sh: $*" >&2; }
have_all() {
  local b
  for b in "${REAL_CLUSTER_BINARIES[@]}"; do [[ -x "$bin/$b" ]] || return 1; done
}

if [[ "${PODINVADERS_REAL_FORCE:-}" != 1 ]] && have_all; then
  log "binaries for $REAL_CLUSTER_STAMP already in $bin"
  echo "$bin"
  exit 0
fi

# One build at a time per cache (parallel test processes may all find the binaries missing).
exec 9>"$cache/build.lock"
flock 9
if [[ "${PODINVADERS_REAL_FORCE:-}" != 1 ]] && have_all; then
  log "binaries for $REAL_CLUSTER_STAMP built meanwhile in $bin"
  echo "$bin"
  exit 0
fi

# Niced: the machine has 2 cores shared with other work. -trimpath keeps cache paths out of the binaries.
# The -X flags stamp the version as Kubernetes' own build does (else /version says v0.0.0-master).
minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
version_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  version_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done
gobuild() { nice -n 15 go build -trimpath -ldflags="-s -w$version_ldflags" "$@"; }

start=$SECONDS
if [[ ! -x "$bin/kube-apiserver" || ! -x "$bin/kube-controller-manager" || ! -x "$bin/kube-scheduler" \
      || ! -x "$bin/etcd" || "${PODINVADERS_REAL_FORCE:-}" == 1 ]]; then
  log "building Kubernetes $K8S_VERSION control plane and etcd $ETCD_VERSION (cold: tens of minutes)"
  # One `go build` for all four commands: they share most packages, so the cache is filled once.
  (cd "$here" && gobuild -o "$bin/" \
      k8s.io/kubernetes/cmd/kube-apiserver \
      k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler \
      ./cmd/etcd)
fi

if [[ ! -x "$bin/kwok" || "${PODINVADERS_REAL_FORCE:-}" == 1 ]]; then
  log "building KWOK $KWOK_VERSION"
  # KWOK's own go.mod has no replace directives, so `go install mod@version` works for it.
  GOBIN="$bin" nice -n 15 go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
fi

have_all || { log "some binaries are missing in $bin"; exit 1; }
log "built in $((SECONDS - start)) s into $bin"
echo "$bin"

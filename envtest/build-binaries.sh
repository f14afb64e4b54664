#!/usr/bin/env bash
# Builds the real kube-apiserver and etcd the end-to-end tests run against, from the Go module
# proxy, at pinned versions, and caches them under ~/.cache/kube-codegen/envtest/<versions>/.
#
#   envtest/build-binaries.sh          # build (or reuse the cache); prints the bin dir last
#   KUBE_VERSION=1.37.2 ETCD_VERSION=3.6.16 envtest/build-binaries.sh
#   (from the npm package: node_modules/@kube-codegen/envtest/build-binaries.sh)
#
# If KUBE_APISERVER and ETCD point at existing binaries, nothing is built.
#
# k8s.io/kubernetes publishes a go.mod whose staging modules (k8s.io/api, k8s.io/apiserver, ...)
# are required at v0.0.0 and replaced by local paths, so it cannot be required as-is. A throwaway
# module requires it and replaces every staging module by its published v0.<minor>.<patch>.
# etcd is built the same way from go.etcd.io/etcd/server/v3 (its main package), which avoids the
# local replace lines in etcd's own root go.mod.
set -euo pipefail

# 1.37.2 is the newest tag, but the module proxy answers its zip with "403 Forbidden: This module
# version is not available"; 1.37.1 is the newest whose source it serves.
KUBE_VERSION="${KUBE_VERSION:-1.37.1}"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
CACHE_ROOT="${KUBE_CODEGEN_CACHE:-$HOME/.cache/kube-codegen}/envtest"
BIN_DIR="$CACHE_ROOT/kube-${KUBE_VERSION}_etcd-${ETCD_VERSION}"

log() { printf '[envtest] %s\n' "$*" >&2; }

if [[ -n "${KUBE_APISERVER:-}" && -n "${ETCD:-}" ]]; then
  [[ -x "$KUBE_APISERVER" ]] || { log "KUBE_APISERVER=$KUBE_APISERVER is not an executable"; exit 2; }
  [[ -x "$ETCD" ]] || { log "ETCD=$ETCD is not an executable"; exit 2; }
  log "using prebuilt binaries from KUBE_APISERVER and ETCD"
  exit 0
fi

if [[ -x "$BIN_DIR/kube-apiserver" && -x "$BIN_DIR/etcd" && -x "$BIN_DIR/kube-controller-manager" ]]; then
  log "cached: $BIN_DIR"
  echo "$BIN_DIR"
  exit 0
fi

command -v go >/dev/null || { log "go is not on PATH; install Go or set KUBE_APISERVER and ETCD"; exit 3; }
mkdir -p "$BIN_DIR"
WORK="$(mktemp -d "$CACHE_ROOT/build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export GOFLAGS="${GOFLAGS:--buildvcs=false} -trimpath"
export CGO_ENABLED=0

staging_minor="0.${KUBE_VERSION#1.}"   # 1.37.2 -> 0.37.2

# The throwaway module that requires k8s.io/kubernetes, for kube-apiserver and kube-controller-manager.
kube_module() {
  if [[ -f "$WORK/kube/go.mod" ]]; then cd "$WORK/kube"; return; fi
  log "k8s.io/kubernetes v$KUBE_VERSION: resolving staging modules"
  mkdir -p "$WORK/kube"
  cd "$WORK/kube"
  if ! dl="$(go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION")" || grep -q '"Error"' <<<"$dl"; then
    log "cannot download k8s.io/kubernetes@v$KUBE_VERSION from the module proxy:"
    printf '%s\n' "$dl" >&2
    exit 4
  fi
  gomod="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/v$KUBE_VERSION.mod"
  # Every k8s.io module the kubernetes go.mod requires at v0.0.0 is a staging module.
  mapfile -t staging < <(awk '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print $1 }' "$gomod" | sort -u)
  {
    echo "module kube-codegen.local/envtest-kube"
    echo
    echo "go $(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"
    echo
    echo "require k8s.io/kubernetes v$KUBE_VERSION"
    echo
    echo "replace ("
    for m in "${staging[@]}"; do echo "	$m => $m v$staging_minor"; done
    echo ")"
  } > go.mod
  log "k8s.io/kubernetes: ${#staging[@]} staging modules replaced by v$staging_minor; downloading modules"
  printf '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver/app"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"\n)\n' > tools.go
  go mod tidy -e >&2
}

# Builds one command of k8s.io/kubernetes, its version stamped as a release build would.
build_kube() {
  local cmd="$1" ver="k8s.io/component-base/version" minor="${KUBE_VERSION#1.}"
  minor="${minor%%.*}"
  kube_module
  log "$cmd: compiling (takes several minutes the first time)"
  go build -ldflags "-X $ver.gitVersion=v$KUBE_VERSION -X $ver.gitMajor=1 -X $ver.gitMinor=$minor -X $ver.gitTreeState=clean" \
    -o "$BIN_DIR/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
  mv "$BIN_DIR/$cmd.tmp" "$BIN_DIR/$cmd"
  log "$cmd: built"
}

if [[ ! -x "$BIN_DIR/kube-apiserver" ]]; then build_kube kube-apiserver; fi
# The garbage collector and the namespace controller for the operator tests (owner references
# proved by the real GC).
if [[ ! -x "$BIN_DIR/kube-controller-manager" ]]; then build_kube kube-controller-manager; fi

if [[ ! -x "$BIN_DIR/etcd" ]]; then
  log "etcd v$ETCD_VERSION: downloading modules"
  mkdir -p "$WORK/etcd"
  cd "$WORK/etcd"
  {
    echo "module kube-codegen.local/envtest-etcd"
    echo
    echo "go $(go env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')"
    echo
    echo "require go.etcd.io/etcd/server/v3 v$ETCD_VERSION"
  } > go.mod
  cat > tools.go <<'EOF'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3/etcdmain"
EOF
  go mod tidy -e >&2
  log "etcd: compiling"
  go build -o "$BIN_DIR/etcd.tmp" go.etcd.io/etcd/server/v3
  mv "$BIN_DIR/etcd.tmp" "$BIN_DIR/etcd"
  log "etcd: built"
fi

log "binaries in $BIN_DIR"
echo "$BIN_DIR"

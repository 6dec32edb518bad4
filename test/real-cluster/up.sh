#!/usr/bin/env bash
# Starts a real, minimal Kubernetes control plane on 127.0.0.1 and prints where it is:
#   etcd → kube-apiserver (static token, self-made CA) → kube-controller-manager, kube-scheduler
#   → KWOK, which fakes a few Nodes and moves their pods Pending → Running (no container runtime).
#
#   test/real-cluster/up.sh [--owner-pid PID]
#
# Stdout, last lines, one key=value each: dir=STATE_DIR, kubeconfig=FILE, url=https://127.0.0.1:PORT.
# STATE_DIR/cluster.json has {url, etcdUrl, kubeconfigPath, token, limitedToken, caPath, dir}. Stop with
# down.sh STATE_DIR. `limitedToken` is user "limited": no group, no binding beyond what every
# authenticated user gets (discovery), so pod requests are 403 until a test binds a Role to it
# (for the 403-mapping tests).
# With --owner-pid, a watchdog runs down.sh as soon as that process is gone (a test runner killed
# mid-run leaves nothing behind). On any failure up.sh tears down what it started.
#
# Env: PODINVADERS_REAL_CACHE (binaries, see build.sh), PODINVADERS_REAL_NODES (fake nodes, default 4),
#      PODINVADERS_REAL_NODE_PODS (pod capacity per fake node, default 1000),
#      PODINVADERS_REAL_TMP (parent of the state dir, default $TMPDIR or /tmp),
#      PODINVADERS_REAL_KWOK_STAGES (fast | general, see below),
#      PODINVADERS_REAL_WATCH_CACHE (true | false: false makes watches read etcd directly, so a watch
#      from a resourceVersion older than an etcd compaction gets 410 Expired; see compact.sh),
#      PODINVADERS_REAL_KCM_QPS / _BURST (controller-manager's API rate, default 20/30 as upstream:
#      it caps how fast a ReplicaSet creates pods, ≈ 20 pods/s).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
. "$here/versions.sh"

owner_pid=""
while (($#)); do
  case "$1" in
    --owner-pid) owner_pid="$2"; shift 2 ;;
    *) echo "up.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

log() { echo "up.sh: $*" >&2; }
bin="$("$here/build.sh")"

dir="$(mktemp -d "${PODINVADERS_REAL_TMP:-${TMPDIR:-/tmp}}/podinvaders-real.XXXXXX")"
mkdir -p "$dir/logs" "$dir/pki"
: >"$dir/pids"
started=0
cleanup_on_failure() {
  local rc=$?
  if ((rc != 0)) && ((started == 0)); then
    log "failed (exit $rc); last lines of the logs in $dir/logs:"
    tail -n 5 "$dir"/logs/*.log >&2 2>/dev/null || true
    "$here/down.sh" "$dir" >&2 || true
  fi
}
trap cleanup_on_failure EXIT
trap 'exit 130' INT TERM

# Free loopback ports, chosen by the kernel (bind to port 0), all at once so they differ.
read -r etcd_port etcd_peer_port api_port kwok_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(4)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()')

# --- credentials -------------------------------------------------------------------------------
pki="$dir/pki"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj "/CN=podinvaders-test-ca" -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -subj "/CN=kube-apiserver" -keyout "$pki/apiserver.key" -out "$pki/apiserver.csr" 2>/dev/null
printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc" \
  "extendedKeyUsage=serverAuth" "keyUsage=digitalSignature,keyEncipherment" >"$pki/apiserver.ext"
openssl x509 -req -in "$pki/apiserver.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
  -days 2 -extfile "$pki/apiserver.ext" -out "$pki/apiserver.crt" 2>/dev/null
openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
token="$(openssl rand -hex 24)"
# Static token file: token,user,uid,"groups". system:masters is cluster-admin and exempt from APF.
limited_token="$(openssl rand -hex 24)"
{
  echo "$token,admin,admin,\"system:masters\""
  echo "$limited_token,limited,limited"
} >"$pki/tokens.csv"
chmod 600 "$pki"/*.key "$pki/tokens.csv"

url="https://127.0.0.1:$api_port"
kubeconfig="$dir/kubeconfig"
ca_b64="$(base64 -w0 <"$pki/ca.crt")"
cat >"$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: real
  cluster:
    server: $url
    certificate-authority-data: $ca_b64
users:
- name: admin
  user:
    token: $token
contexts:
- name: real
  context:
    cluster: real
    user: admin
    namespace: default
current-context: real
EOF
chmod 600 "$kubeconfig"

# --- processes ---------------------------------------------------------------------------------
# setsid: each daemon in its own session, so a terminal's ctrl-c aimed at up.sh's caller does not
# reach it half-way; down.sh stops them by the pids recorded here.
spawn() {
  local name="$1"; shift
  setsid "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo "$! $name" >>"$dir/pids"
}

api() { # api METHOD PATH [JSON]
  curl -sS --fail-with-body --max-time 10 --cacert "$pki/ca.crt" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -X "$1" "$url$2" ${3:+--data "$3"}
}
wait_for() { # wait_for WHAT TRIES SLEEP CMD...  (bounded)
  local what="$1" tries="$2" pause="$3" i; shift 3
  for ((i = 0; i < tries; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep "$pause"
  done
  log "timed out waiting for $what"; return 1
}

t0=$SECONDS
spawn etcd "$bin/etcd" --name=default --data-dir="$dir/etcd" \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
  --initial-cluster="default=http://127.0.0.1:$etcd_peer_port" \
  --unsafe-no-fsync --log-level=warn
wait_for "etcd health" 100 0.2 curl -sf --max-time 2 "http://127.0.0.1:$etcd_port/health"

spawn kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers="http://127.0.0.1:$etcd_port" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" \
  --client-ca-file="$pki/ca.crt" \
  --token-auth-file="$pki/tokens.csv" \
  --authorization-mode=Node,RBAC \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-cluster-ip-range=10.0.0.0/24 \
  --endpoint-reconciler-type=none \
  --watch-cache="${PODINVADERS_REAL_WATCH_CACHE:-true}" \
  --profiling=false
wait_for "kube-apiserver /readyz" 240 0.5 api GET /readyz

spawn kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig="$kubeconfig" --secure-port=0 --leader-elect=false \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
  --kube-api-qps="${PODINVADERS_REAL_KCM_QPS:-20}" --kube-api-burst="${PODINVADERS_REAL_KCM_BURST:-30}" \
  --node-monitor-grace-period=120s
# (fake nodes on a loaded 2-core machine renew late: a long grace period keeps them, and their pods, Ready)
spawn kube-scheduler "$bin/kube-scheduler" \
  --kubeconfig="$kubeconfig" --secure-port=0 --leader-elect=false
# Pod stages: "fast" = KWOK's built-in ones (Running at once, deleted at once); "general" = KWOK's
# own more lifelike set (ContainerCreating after 1–6 s, Running 1–6 s later, a deleted pod stays
# Terminating for part of its grace period), read from the KWOK module that build.sh downloaded.
kwok_config=()
case "${PODINVADERS_REAL_KWOK_STAGES:-fast}" in
  fast) ;;
  general)
    stages="${PODINVADERS_REAL_CACHE:-$HOME/.cache/podinvaders/real-cluster}/gomodcache/sigs.k8s.io/kwok@$KWOK_VERSION/kustomize/stage/pod/general"
    for f in pod-create pod-init-container-running pod-init-container-completed pod-ready pod-complete pod-delete; do
      [[ -f "$stages/$f.yaml" ]] || { log "missing KWOK stage $stages/$f.yaml (rerun build.sh with PODINVADERS_REAL_FORCE=1)"; exit 1; }
      kwok_config+=(--config="$stages/$f.yaml")
    done ;;
  *) log "PODINVADERS_REAL_KWOK_STAGES must be fast or general"; exit 2 ;;
esac
spawn kwok "$bin/kwok" "${kwok_config[@]}" \
  --kubeconfig="$kubeconfig" --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-ip=10.0.1.1 --cidr=10.0.2.0/24 \
  --node-lease-duration-seconds=40 \
  --server-address="127.0.0.1:$kwok_port"

# Fake nodes: KWOK manages those with the annotation, keeps them Ready and runs their pods.
nodes="${PODINVADERS_REAL_NODES:-4}"
node_pods="${PODINVADERS_REAL_NODE_PODS:-1000}"
for ((n = 0; n < nodes; n++)); do
  api POST /api/v1/nodes "$(cat <<EOF
{"apiVersion":"v1","kind":"Node","metadata":{"name":"kwok-node-$n",
 "annotations":{"kwok.x-k8s.io/node":"fake","node.alpha.kubernetes.io/ttl":"0"},
 "labels":{"kubernetes.io/hostname":"kwok-node-$n","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64","type":"kwok"}},
 "status":{"allocatable":{"cpu":"64","memory":"256Gi","pods":"$node_pods"},
           "capacity":{"cpu":"64","memory":"256Gi","pods":"$node_pods"}}}
EOF
)" >/dev/null
done

node_ready() { # every fake node Ready=True
  local ready
  ready="$(api GET '/api/v1/nodes?labelSelector=type%3Dkwok' | python3 -c '
import json, sys
items = json.load(sys.stdin)["items"]
print(sum(1 for n in items for c in n.get("status", {}).get("conditions", []) if c["type"] == "Ready" and c["status"] == "True"))')"
  [[ "$ready" == "$nodes" ]]
}
wait_for "fake nodes Ready (KWOK)" 120 0.5 node_ready
# The ServiceAccount admission plugin rejects pods until the controller has made "default".
wait_for "serviceaccount default/default" 120 0.5 api GET /api/v1/namespaces/default/serviceaccounts/default

cat >"$dir/cluster.json" <<EOF
{"url": "$url", "etcdUrl": "http://127.0.0.1:$etcd_port", "kubeconfigPath": "$kubeconfig", "token": "$token", "limitedToken": "$limited_token", "caPath": "$pki/ca.crt", "dir": "$dir"}
EOF

if [[ -n "$owner_pid" ]]; then
  # Watchdog: polls the owner once a second; ends when the owner or the cluster is gone.
  setsid bash -c 'while kill -0 "$1" 2>/dev/null && [[ -f "$2/cluster.json" ]]; do sleep 1; done
                  [[ -f "$2/cluster.json" ]] && exec "$3" "$2"' \
    watchdog "$owner_pid" "$dir" "$here/down.sh" >"$dir/logs/watchdog.log" 2>&1 </dev/null &
fi

started=1
log "control plane up in $((SECONDS - t0)) s ($K8S_VERSION, $nodes KWOK nodes)"
echo "dir=$dir"
echo "kubeconfig=$kubeconfig"
echo "url=$url"

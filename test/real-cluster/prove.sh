#!/usr/bin/env bash
# End-to-end check of a running control plane with real kubectl:
#   1. a Deployment of 3 replicas; KWOK brings its pods Pending → Running;
#   2. one pod deleted; the ReplicaSet's replacement comes up Running;
#   3. (with SCALE=N) N pods in namespace `scale`: time to all Running, memory of each process.
# Usage: KUBECONFIG=STATE_DIR/kubeconfig test/real-cluster/prove.sh STATE_DIR   (SCALE=3000 optional)
set -euo pipefail

dir="${1:?usage: prove.sh STATE_DIR}"
export KUBECONFIG="$dir/kubeconfig"
k() { kubectl --request-timeout=20s "$@"; }
running() { # running NS SELECTOR → count of Running pods
  k get pods -n "$1" -l "$2" --field-selector=status.phase=Running -o name | wc -l
}
wait_running() { # wait_running NS SELECTOR WANT TRIES — bounded poll, 1 s apart
  local i
  for ((i = 0; i < $4; i++)); do
    [[ "$(running "$1" "$2")" -ge "$3" ]] && return 0
    sleep 1
  done
  echo "prove.sh: only $(running "$1" "$2") of $3 pods Running after $4 s" >&2
  return 1
}

echo "== kubectl version / nodes"
k version
k get nodes -o wide

echo "== Deployment web, 3 replicas (watch below)"
watch_log="$(mktemp)"
timeout 60 kubectl get pods -n default -w >"$watch_log" 2>&1 &
watch_pid=$!
sleep 1
k create deployment web --image=registry.example/web:1 --replicas=3
wait_running default app=web 3 60
k get pods -n default -o wide

victim="$(k get pods -n default -l app=web -o jsonpath='{.items[0].metadata.name}')"
echo "== kubectl delete pod $victim"
t0=$(date +%s.%N)
k delete pod -n default "$victim" --wait=false
# the victim may still be listed Terminating; wait for 3 Running pods that are not it
for ((i = 0; i < 60; i++)); do
  n="$(k get pods -n default -l app=web --field-selector="status.phase=Running,metadata.name!=$victim" -o name | wc -l)"
  [[ "$n" -ge 3 ]] && break
  sleep 0.5
done
echo "replacement Running after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}') s (polled every 0.5 s)"
sleep 3
k get pods -n default -o wide
kill "$watch_pid" 2>/dev/null || true
wait "$watch_pid" 2>/dev/null || true
echo "== kubectl get pods -w (from before the Deployment was created)"
cat "$watch_log"
rm -f "$watch_log"
k delete deployment web -n default --wait=false

if [[ -n "${SCALE:-}" ]]; then
  echo "== scale: Deployment of $SCALE replicas in namespace scale"
  k create namespace scale
  for ((i = 0; i < 60; i++)); do k get serviceaccount default -n scale >/dev/null 2>&1 && break; sleep 0.5; done
  t0=$SECONDS
  k create deployment many -n scale --image=registry.example/many:1 --replicas="$SCALE"
  for ((i = 0; i < 1200; i++)); do
    n="$(running scale app=many)"
    if ((i % 10 == 0)) || ((n >= SCALE)); then echo "t=$((SECONDS - t0)) s running=$n"; fi
    ((n >= SCALE)) && break
    sleep 1
  done
  echo "all $SCALE Running after $((SECONDS - t0)) s"
  echo "== memory (VmRSS) per process"
  while read -r pid name; do
    [[ -r /proc/$pid/status ]] && echo "$name $(awk '/VmRSS/{print $2, $3}' "/proc/$pid/status")"
  done <"$dir/pids"
  du -sh "$dir/etcd"
  time (k get pods -n scale -o name | wc -l)
fi

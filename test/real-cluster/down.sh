#!/usr/bin/env bash
# Stops a control plane started by up.sh and removes its state dir (certs, etcd data, logs).
#   test/real-cluster/down.sh STATE_DIR      (or PODINVADERS_REAL_DIR=STATE_DIR down.sh)
# Only processes recorded in STATE_DIR/pids whose command line names STATE_DIR are signalled,
# so a recycled pid is never hit. Safe to run twice.
set -uo pipefail

dir="${1:-${PODINVADERS_REAL_DIR:-}}"
if [[ -z "$dir" ]]; then echo "usage: down.sh STATE_DIR" >&2; exit 2; fi
if [[ ! -d "$dir" ]]; then exit 0; fi
case "$(basename "$dir")" in
  podinvaders-real.*) ;;
  *) echo "down.sh: $dir is not a podinvaders-real state dir" >&2; exit 2 ;;
esac

rm -f "$dir/cluster.json" # tells the watchdog (if any) to stop

ours() { { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null | grep -qF "$dir"; }

pids=()
if [[ -f "$dir/pids" ]]; then
  # Reverse start order: clients first, etcd last.
  while read -r pid _name; do
    ours "$pid" && pids=("$pid" "${pids[@]}")
  done <"$dir/pids"
fi

if ((${#pids[@]})); then
  kill -TERM "${pids[@]}" 2>/dev/null
  # Up to 3 s for a clean exit, then SIGKILL: the state is thrown away anyway, and with all of them
  # stopping at once the apiserver and controllers can wait on each other for much longer.
  for ((i = 0; i < 15; i++)); do
    alive=()
    for pid in "${pids[@]}"; do ours "$pid" && alive+=("$pid"); done
    ((${#alive[@]})) || break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do ours "$pid" && kill -KILL "$pid" 2>/dev/null; done
fi

rm -rf -- "$dir"
echo "down.sh: stopped ${#pids[@]} processes, removed $dir" >&2

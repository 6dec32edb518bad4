#!/usr/bin/env bash
# Compacts etcd's history up to its current revision, so that every older resourceVersion is gone:
# with PODINVADERS_REAL_WATCH_CACHE=false a watch or list from such a version then gets 410 Expired.
# Prints the revision compacted to. Usage: test/real-cluster/compact.sh STATE_DIR
set -euo pipefail
dir="${1:?usage: compact.sh STATE_DIR}"
etcd="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["etcdUrl"])' "$dir/cluster.json")"
# etcd's JSON gateway: a range read returns the store's current revision in its header.
rev="$(curl -sS --fail --max-time 10 "$etcd/v3/kv/range" -d '{"key":"AA=="}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["revision"])')"
curl -sS --fail --max-time 10 "$etcd/v3/kv/compaction" -d "{\"revision\":\"$rev\",\"physical\":true}" >/dev/null
echo "$rev"

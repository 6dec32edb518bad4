#!/usr/bin/env bash
# Records how the real kube-apiserver answers the requests podinvaders depends on (status codes and
# bodies), as reference for the demo cluster and the contract suite. Read-only apart from a pod
# `probe` it creates and deletes in namespace default.
# Usage: test/real-cluster/probe.sh STATE_DIR > answers.txt
set -uo pipefail

dir="${1:?usage: probe.sh STATE_DIR}"
read -r url token limited <<<"$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(c["url"], c["token"], c["limitedToken"])' "$dir/cluster.json")"
ca="$dir/pki/ca.crt"
ns=/api/v1/namespaces/default

# req TITLE METHOD PATH [curl args...]: prints the status line and the body, shortened.
req() {
  local title="$1" method="$2" path="$3"; shift 3
  echo "### $title"
  echo "$method $path"
  curl -sS --max-time 15 --cacert "$ca" -H "Authorization: Bearer $token" -X "$method" "$@" \
    -w '\n-> HTTP %{http_code} %{content_type}\n' "$url$path" | cut -c1-1500
  echo
}
json() { printf '%s' "$1"; }

pod='{"apiVersion":"v1","kind":"Pod","metadata":{"name":"probe","labels":{"app":"probe"}},"spec":{"containers":[{"name":"c","image":"registry.example/probe:1"}],"terminationGracePeriodSeconds":30}}'
req "create pod" POST "$ns/pods" -H 'Content-Type: application/json' --data "$pod"
for ((i = 0; i < 40; i++)); do # bounded: until KWOK made it Running
  phase="$(curl -sS --cacert "$ca" -H "Authorization: Bearer $token" "$url$ns/pods/probe" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"].get("phase",""))')"
  [[ "$phase" == Running ]] && break
  sleep 0.5
done
uid="$(curl -sS --cacert "$ca" -H "Authorization: Bearer $token" "$url$ns/pods/probe" | python3 -c 'import json,sys; print(json.load(sys.stdin)["metadata"]["uid"])')"

req "list pods (limit 1, continue token shape)" GET "$ns/pods?limit=1"
req "list pods as Table" GET "$ns/pods?labelSelector=app%3Dprobe" -H 'Accept: application/json;as=Table;g=meta.k8s.io;v=v1'
req "watch from resourceVersion=1 (too old?)" GET "$ns/pods?watch=1&resourceVersion=1&timeoutSeconds=2"
req "list with resourceVersion=1&resourceVersionMatch=Exact (compacted?)" GET "$ns/pods?resourceVersion=1&resourceVersionMatch=Exact"
req "watch with bookmarks, 3 s" GET "$ns/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=3&labelSelector=app%3Dprobe"
req "fieldSelector metadata.name" GET "$ns/pods?fieldSelector=metadata.name%3Dprobe"
req "unknown namespace: list pods" GET "/api/v1/namespaces/no-such-ns/pods"
req "unknown pod: get" GET "$ns/pods/no-such-pod"
req "delete with wrong uid precondition" DELETE "$ns/pods/probe" -H 'Content-Type: application/json' \
  --data '{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"00000000-0000-0000-0000-000000000000"}}'
req "delete dry run (All)" DELETE "$ns/pods/probe?dryRun=All" -H 'Content-Type: application/json' \
  --data '{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"],"gracePeriodSeconds":5}'
token="$limited" req "limited user: list pods" GET "$ns/pods"
token="$limited" req "limited user: delete pod" DELETE "$ns/pods/probe"
token="$limited" req "limited user: discovery /api" GET "/api"
token="invalid" req "bad token" GET "$ns/pods"
req "delete with right uid, gracePeriodSeconds=5" DELETE "$ns/pods/probe" -H 'Content-Type: application/json' \
  --data "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":5,\"preconditions\":{\"uid\":\"$uid\"}}"
req "get after delete (Terminating or gone)" GET "$ns/pods/probe"
req "/version" GET /version

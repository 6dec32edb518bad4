// Command etcd is etcd's own server main, built at the version Kubernetes pins
// (go.etcd.io/etcd/server/v3), so the test control plane needs no etcd package from elsewhere.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}

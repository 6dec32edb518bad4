//go:build tools

// Package realcluster only records, for `go mod tidy`, which commands build.sh compiles.
package realcluster

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)

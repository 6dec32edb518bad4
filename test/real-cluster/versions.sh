# Pinned versions of the real control plane (sourced by build.sh and up.sh).
# K8S_VERSION must match `require k8s.io/kubernetes` in go.mod, ETCD_VERSION go.etcd.io/etcd/server/v3.
K8S_VERSION=v1.32.13
ETCD_VERSION=v3.5.16
KWOK_VERSION=v0.7.0
# Directory name for one set of binaries: a version change builds into a fresh directory.
REAL_CLUSTER_STAMP="k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION"
REAL_CLUSTER_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok)

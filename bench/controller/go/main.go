// The controller benchmark's Go peer: a controller-runtime operator reconciling an Item
// (bench.kube-codegen.dev/v1) into a ConfigMap it owns and a status patch, the same logic as
// bench/controller/ours.ts and bench/controller/client-node.mjs. Built by bench/controller/run.mjs
// into bench/.peers; not a dependency of the project.
package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/manager"
	metricsserver "sigs.k8s.io/controller-runtime/pkg/metrics/server"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
)

var groupVersion = schema.GroupVersion{Group: "bench.kube-codegen.dev", Version: "v1"}

// ItemSpec is what the user asks for.
type ItemSpec struct {
	Content string `json:"content"`
}

// ItemStatus is what the operator reports.
type ItemStatus struct {
	Ready              bool  `json:"ready,omitempty"`
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
}

// Item is the bench CRD.
type Item struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              ItemSpec   `json:"spec,omitempty"`
	Status            ItemStatus `json:"status,omitempty"`
}

// ItemList is a list of Items.
type ItemList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Item `json:"items"`
}

// DeepCopyObject copies an Item (what controller-gen would write).
func (in *Item) DeepCopyObject() runtime.Object {
	out := &Item{TypeMeta: in.TypeMeta, Spec: in.Spec, Status: in.Status}
	in.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	return out
}

// DeepCopyObject copies an ItemList.
func (in *ItemList) DeepCopyObject() runtime.Object {
	out := &ItemList{TypeMeta: in.TypeMeta}
	in.ListMeta.DeepCopyInto(&out.ListMeta)
	out.Items = make([]Item, len(in.Items))
	for i := range in.Items {
		out.Items[i] = *in.Items[i].DeepCopyObject().(*Item)
	}
	return out
}

type reconciler struct {
	client.Client
	scheme *runtime.Scheme
}

func (r *reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var item Item
	if err := r.Get(ctx, req.NamespacedName, &item); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	want := map[string]string{"content": item.Spec.Content}
	var cm corev1.ConfigMap
	err := r.Get(ctx, types.NamespacedName{Namespace: req.Namespace, Name: req.Name + "-content"}, &cm)
	switch {
	case apierrors.IsNotFound(err):
		cm = corev1.ConfigMap{
			ObjectMeta: metav1.ObjectMeta{Name: req.Name + "-content", Namespace: req.Namespace, Labels: map[string]string{"app.kubernetes.io/instance": req.Name}},
			Data:       want,
		}
		if err := controllerutil.SetControllerReference(&item, &cm, r.scheme); err != nil {
			return ctrl.Result{}, err
		}
		if err := r.Create(ctx, &cm); err != nil && !apierrors.IsAlreadyExists(err) {
			return ctrl.Result{}, err
		}
	case err != nil:
		return ctrl.Result{}, err
	case !maps.Equal(cm.Data, want):
		cm.Data = want
		if err := r.Update(ctx, &cm); err != nil {
			return ctrl.Result{}, err
		}
	}
	if item.Status.Ready && item.Status.ObservedGeneration == item.Generation {
		return ctrl.Result{}, nil
	}
	patch := client.MergeFrom(item.DeepCopyObject().(*Item))
	item.Status = ItemStatus{Ready: true, ObservedGeneration: item.Generation}
	return ctrl.Result{}, r.Status().Patch(ctx, &item, patch)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	// controller-runtime's own way (KUBECONFIG, then in-cluster, then ~/.kube/config); it
	// turns client-go's client-side rate limit off (QPS -1) and relies on priority and fairness.
	// BENCH_QPS and BENCH_BURST put one back (e.g. the old 20 / 30).
	cfg, err := ctrl.GetConfig()
	if err != nil {
		return err
	}
	if qps := envInt("BENCH_QPS", 0); qps != 0 {
		cfg.QPS = float32(qps)
		cfg.Burst = envInt("BENCH_BURST", 30)
	}
	scheme := runtime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		return err
	}
	scheme.AddKnownTypes(groupVersion, &Item{}, &ItemList{})
	metav1.AddToGroupVersion(scheme, groupVersion)
	mgr, err := ctrl.NewManager(cfg, ctrl.Options{Scheme: scheme, Metrics: metricsserver.Options{BindAddress: "0"}, HealthProbeBindAddress: "0"})
	if err != nil {
		return err
	}
	err = ctrl.NewControllerManagedBy(mgr).
		For(&Item{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Owns(&corev1.ConfigMap{}).
		WithOptions(controller.Options{MaxConcurrentReconciles: envInt("BENCH_WORKERS", 1)}).
		Complete(&reconciler{Client: mgr.GetClient(), scheme: scheme})
	if err != nil {
		return err
	}
	// Tell the load generator once the caches are synced (a runnable that waits for them).
	err = mgr.Add(manager.RunnableFunc(func(ctx context.Context) error {
		if mgr.GetCache().WaitForCacheSync(ctx) {
			fmt.Println("ready")
		}
		<-ctx.Done()
		return nil
	}))
	if err != nil {
		return err
	}
	return mgr.Start(ctrl.SetupSignalHandler())
}

import {
  addFinalizer,
  containsFinalizer,
  controller,
  generationChanged,
  isBeingDeleted,
  removeFinalizer,
  retryOnConflict,
  setControllerReference,
  setStatusCondition,
  type ClientConfig,
  type Condition,
  type Controller,
  type ControllerOptions,
  type Request,
  type EventRecorder,
  type Result,
} from "@kube-codegen/runtime";
import { createManager, type Manager, type ManagerLeaderElection } from "@kube-codegen/runtime/manager";
import { createClientset, createInformerFactory, type appsV1, type Clientset, type coreV1, type examplesV1, type InformerFactory } from "./generated/index.js";
import type { RecordStore } from "./records.js";

/** The finalizer that makes deletion wait for the external record to be removed. */
export const FINALIZER = "examples.kube-codegen.dev/record";
/** The field manager of everything the operator applies. */
export const FIELD_MANAGER = "website-operator";
/** The Lease the replicas campaign on (controller-runtime's LeaderElectionID). */
export const LEADER_ELECTION_ID = "website-operator.examples.kube-codegen.dev";

/** What the operator needs to run. */
export interface OperatorOptions {
  readonly connection?: ClientConfig | undefined;
  /** Only this namespace (default: all). */
  readonly namespace?: string | undefined;
  readonly records: RecordStore;
  readonly controller?: ControllerOptions | undefined;
  /** Tests: fail the reconcile right after the external cleanup, before the finalizer is removed. */
  readonly failAfterCleanup?: (() => boolean) | undefined;
  /** Campaign for the Lease {@link LEADER_ELECTION_ID} (off by default; `main.ts` turns it on). */
  readonly leaderElection?: Omit<ManagerLeaderElection, "id"> | undefined;
  /** Where `/healthz` and `/readyz` are served (such as `":8081"`); off by default. */
  readonly healthProbeBindAddress?: string | undefined;
  /** Where `/metrics` is served (such as `":8080"`); off by default. */
  readonly metricsBindAddress?: string | undefined;
  /** Stop on SIGTERM/SIGINT (when the operator owns the process). */
  readonly handleSignals?: boolean | undefined;
}

/** A running operator: its controller (for metrics), and how to stop it. */
export interface RunningOperator {
  readonly controller: Controller;
  readonly manager: Manager<Clientset, InformerFactory>;
  readonly clientset: Clientset;
  /** Settles when the manager stops: by `stop`, a signal, or lost leadership (then it rejects). */
  readonly done: Promise<void>;
  /** Counts every cleanup that actually removed a record (the effect, not the attempts). */
  readonly cleanups: () => number;
  /** Every reconcile, by `namespace/name`, in order. */
  readonly reconciles: readonly string[];
  stop(): Promise<void>;
}

/**
 * The Website operator: a Website owns a ConfigMap (its page), a Deployment (nginx serving it) and
 * a Service, all server-side applied with controller owner references, and a record outside the
 * cluster that a finalizer cleans up. Status: `Ready` once every child is applied,
 * `Progressing` while the Deployment's pods are not all available, both with the generation they
 * were computed for.
 */
export async function startOperator(options: OperatorOptions): Promise<RunningOperator> {
  const manager = createManager({
    newClientset: createClientset,
    newInformerFactory: createInformerFactory,
    config: options.connection,
    cache: options.namespace === undefined ? {} : { namespace: options.namespace },
    leaderElection: options.leaderElection === undefined ? undefined : { ...options.leaderElection, id: LEADER_ELECTION_ID },
    healthProbeBindAddress: options.healthProbeBindAddress,
    metricsBindAddress: options.metricsBindAddress,
    handleSignals: options.handleSignals,
  });
  const cs = manager.clientset;
  const factory = manager.informers;
  const recorder = manager.eventRecorderFor("website-operator");
  let cleanups = 0;
  const reconciles: string[] = [];
  const websites = factory.examplesV1.websites();
  const deployments = factory.appsV1.deployments();
  const reconcile = reconciler(cs, factory, options, recorder, {
    onCleanup: () => cleanups++,
    onReconcile: (r) => reconciles.push(`${r.namespace ?? ""}/${r.name}`),
  });
  const c = controller("website", options.controller)
    .for(websites, generationChanged())
    .owns(deployments)
    .owns(factory.coreV1.services())
    .owns(factory.coreV1.configMaps())
    .reconcile(reconcile);
  manager.add(c);
  const stop = new AbortController();
  // The manager starts the caches, campaigns for the Lease, runs the controller while leading,
  // serves the probes and metrics, and on stop finishes in-flight reconciles, releases the Lease and
  // closes everything.
  const running = manager.start(stop.signal);
  await Promise.race([factory.waitForCacheSync(AbortSignal.timeout(60_000)), running]);
  return {
    controller: c,
    manager,
    clientset: cs,
    done: running,
    cleanups: () => cleanups,
    reconciles,
    stop: async () => {
      stop.abort();
      await running;
    },
  };
}

interface Hooks {
  readonly onCleanup: () => void;
  readonly onReconcile: (r: Request) => void;
}

function reconciler(cs: Clientset, factory: InformerFactory, options: OperatorOptions, recorder: EventRecorder, hooks: Hooks) {
  const websites = factory.examplesV1.websites().lister();
  const reconcile = reconcileWebsite(cs, factory, options, recorder, hooks);
  return async (req: Request, context: { signal: AbortSignal }): Promise<Result | void> => {
    try {
      return await reconcile(req, context);
    } catch (err) {
      // `kubectl describe website` shows why (repeats fold into one Event's series).
      const site = websites.namespace(req.namespace ?? "").get(req.name);
      if (site !== undefined && !context.signal.aborted) recorder.event(site, "Warning", "ReconcileFailed", "Reconcile", err instanceof Error ? err.message : String(err));
      throw err;
    }
  };
}

function reconcileWebsite(cs: Clientset, factory: InformerFactory, options: OperatorOptions, recorder: EventRecorder, hooks: Hooks) {
  const websites = factory.examplesV1.websites().lister();
  const deployments = factory.appsV1.deployments().lister();
  return async (req: Request, { signal }: { signal: AbortSignal }): Promise<Result | void> => {
    hooks.onReconcile(req);
    const ns = req.namespace ?? "";
    const cached = websites.namespace(ns).get(req.name);
    // Gone from the cache: deleted, and the garbage collector removes what it owned.
    if (cached === undefined) return;
    const client = cs.examplesV1.websites(ns);
    // Objects from the cache are shared: work on a copy.
    let site: examplesV1.Website = structuredClone(cached);

    if (isBeingDeleted(site)) {
      if (!containsFinalizer(site, FINALIZER)) return;
      if (options.records.remove(ns, req.name)) {
        hooks.onCleanup();
        recorder.event(site, "Normal", "RecordRemoved", "Cleanup", `the external record of ${req.name} is removed`);
      }
      if (options.failAfterCleanup?.() === true) throw new Error("injected failure between cleanup and finalizer removal");
      await retryOnConflict(async () => {
        const fresh = await client.get(req.name, { signal });
        if (removeFinalizer(fresh, FINALIZER)) await client.update(fresh, { signal });
      });
      return;
    }
    if (addFinalizer(site, FINALIZER)) site = await client.update(site, { signal });

    const spec = site.spec ?? { content: "" };
    const labels = { "app.kubernetes.io/name": "website", "app.kubernetes.io/instance": req.name };
    const configMap: coreV1.ConfigMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `${req.name}-content`, namespace: ns, labels }, data: { "index.html": spec.content } };
    const deployment: appsV1.Deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: req.name, namespace: ns, labels },
      spec: {
        replicas: spec.replicas ?? 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{ name: "web", image: spec.image ?? "nginx:1.29", ports: [{ containerPort: 80, name: "http" }], volumeMounts: [{ name: "content", mountPath: "/usr/share/nginx/html" }] }],
            volumes: [{ name: "content", configMap: { name: configMap.metadata.name ?? "" } }],
          },
        },
      },
    };
    const service: coreV1.Service = { apiVersion: "v1", kind: "Service", metadata: { name: req.name, namespace: ns, labels }, spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] } };
    for (const child of [configMap, deployment, service]) setControllerReference(site, child);
    // Server-side apply: the operator owns exactly these fields; force takes them back from anyone
    // who changed them by hand (the documented way to own children).
    const apply = { fieldManager: FIELD_MANAGER, force: true, signal } as const;
    await cs.coreV1.configMaps(ns).apply(withName(configMap), apply);
    const applied = await cs.appsV1.deployments(ns).apply(withName(deployment), apply);
    await cs.coreV1.services(ns).apply(withName(service), apply);
    options.records.put(ns, req.name, { url: `http://${req.name}.${ns}.svc`, generation: site.metadata.generation });
    recorder.event(site, "Normal", "ChildrenApplied", "Apply", `ConfigMap, Deployment and Service applied for generation ${site.metadata.generation ?? 0}`);

    // The cache may lag behind what was just applied: take the newer of the two.
    const live = deployments.namespace(ns).get(req.name) ?? applied;
    const available = live.status?.availableReplicas ?? 0;
    const wanted = spec.replicas ?? 1;
    const generation = site.metadata.generation;
    const conditions: Condition[] = structuredClone((site.status?.conditions ?? []) as Condition[]);
    let changed = setStatusCondition(conditions, { type: "Ready", status: "True", reason: "ChildrenApplied", message: "ConfigMap, Deployment and Service are applied", observedGeneration: generation });
    changed = setStatusCondition(conditions, available >= wanted
      ? { type: "Progressing", status: "False", reason: "RolloutComplete", message: `${available}/${wanted} replicas available`, observedGeneration: generation }
      : { type: "Progressing", status: "True", reason: "RollingOut", message: `${available}/${wanted} replicas available`, observedGeneration: generation }) || changed;
    const status: examplesV1.WebsiteStatus = { observedGeneration: generation ?? 0, url: `http://${req.name}.${ns}.svc`, availableReplicas: available, conditions: conditions as examplesV1.WebsiteStatusConditions[] };
    if (changed || site.status?.observedGeneration !== generation || site.status?.availableReplicas !== available) {
      await retryOnConflict(async () => {
        const fresh = await client.get(req.name, { signal });
        await client.updateStatus({ ...fresh, status }, { signal });
      });
    }
    // Pods still coming: look again in a while (the Deployment's own events come too).
    return available < wanted ? { requeueAfterMs: 30_000 } : undefined;
  };
}

function withName<T extends { metadata: { name?: string | undefined } }>(o: T): T & { metadata: { name: string } } {
  return o as T & { metadata: { name: string } };
}

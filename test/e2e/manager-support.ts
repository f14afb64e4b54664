import { createClientset, createInformerFactory, type Clientset, type coreV1 } from "@kube-codegen/api";
import { controller, silentLogger, type ClientConfig, type Controller } from "@kube-codegen/runtime";
import { createManager, type Manager, type ManagerLeaderElection } from "@kube-codegen/runtime/manager";

/** The short timings of the e2e tests: lease 3 s, renew deadline 2 s, retry 0.5 s (production: 15 s / 10 s / 2 s). */
export const SHORT = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 } as const;

/** Polls until `probe` gives a value (not undefined or false). */
export const until = async <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** A manager running a controller that stamps its identity on every ConfigMap of a namespace, over and over. */
export interface Replica {
  readonly identity: string;
  readonly manager: Manager<Clientset, ReturnType<typeof createInformerFactory>>;
  readonly controller: Controller;
  readonly stop: AbortController;
  /** Settles when `start` does: undefined after a clean stop, else the error. */
  readonly done: Promise<unknown>;
  /** Local times (Date.now()) of every reconcile's start and of the leadership changes. */
  readonly reconcileTimes: number[];
  acquiredAt?: number;
  lostAt?: number;
}

/** Starts a replica; its writes carry `data.writer = identity` and `fieldManager = identity`. */
export function startReplica(
  identity: string,
  config: ClientConfig,
  namespace: string,
  lease: Omit<ManagerLeaderElection, "identity" | "namespace">,
  extra: { readonly reconcileDelayMs?: number; readonly healthProbeBindAddress?: string; readonly metricsBindAddress?: string; readonly gracefulShutdownTimeoutMs?: number } = {},
): Replica {
  const manager = createManager({
    newClientset: createClientset,
    newInformerFactory: createInformerFactory,
    config: { ...(config as object), timeoutMs: 5_000 },
    cache: { namespace },
    leaderElection: { ...SHORT, ...lease, identity, namespace },
    logger: silentLogger,
    processMetrics: false,
    ...extra,
  });
  const cs = manager.clientset;
  const recorder = manager.eventRecorderFor("stamper");
  const configMaps = manager.informers.coreV1.configMaps();
  const replica: Replica = {
    identity,
    manager,
    controller: undefined as unknown as Controller,
    stop: new AbortController(),
    done: Promise.resolve(),
    reconcileTimes: [],
  };
  let n = 0;
  const c = controller("stamper", { maxConcurrentReconciles: 2, logger: silentLogger })
    .for(configMaps)
    .reconcile(async (req, { signal }) => {
      replica.reconcileTimes.push(Date.now());
      if (extra.reconcileDelayMs !== undefined) await new Promise((r) => setTimeout(r, extra.reconcileDelayMs));
      const cm: coreV1.ConfigMap = await cs.coreV1.configMaps(namespace).patch(req.name, { type: "merge", patch: { data: { writer: identity, n: String(++n) } } }, { signal, fieldManager: identity });
      recorder.event(cm, "Normal", "Stamped", "Reconcile", `stamped by ${identity}`);
      return { requeueAfterMs: 100 };
    });
  manager.add(c);
  void manager.elected.then(() => (replica.acquiredAt = Date.now()));
  const r = replica as { -readonly [K in keyof Replica]: Replica[K] };
  r.controller = c;
  r.done = manager.start(replica.stop.signal).then(
    () => undefined,
    (err: unknown) => err,
  );
  void manager.elected.then(() => {
    const check = setInterval(() => {
      if (!manager.leading && replica.lostAt === undefined) {
        replica.lostAt = Date.now();
        clearInterval(check);
      }
    }, 5);
    void replica.done.then(() => clearInterval(check));
  });
  return replica;
}

/** The writers of the namespace's ConfigMaps in the server's order (a watch from `resourceVersion`). */
export class WriteLog {
  readonly writes: { readonly writer: string; readonly at: number; readonly name: string }[] = [];
  readonly #stop = new AbortController();
  readonly #done: Promise<void>;

  constructor(cs: Clientset, namespace: string, resourceVersion: string) {
    this.#done = (async () => {
      let rv = resourceVersion;
      while (!this.#stop.signal.aborted) {
        try {
          for await (const ev of cs.coreV1.configMaps(namespace).watch({ resourceVersion: rv, signal: this.#stop.signal, allowWatchBookmarks: true })) {
            if (ev.type === "BOOKMARK") continue;
            rv = ev.object.metadata.resourceVersion ?? rv;
            const writer = ev.object.data?.["writer"];
            if (ev.type === "MODIFIED" && writer !== undefined) this.writes.push({ writer, at: Date.now(), name: ev.object.metadata.name ?? "" });
          }
        } catch {
          if (this.#stop.signal.aborted) return;
        }
      }
    })();
  }

  /** Consecutive runs of one writer: [writer, count]. */
  runs(): [string, number][] {
    const out: [string, number][] = [];
    for (const w of this.writes) {
      const last = out.at(-1);
      if (last !== undefined && last[0] === w.writer) last[1]++;
      else out.push([w.writer, 1]);
    }
    return out;
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#done;
  }
}

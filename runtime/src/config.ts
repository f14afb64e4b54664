import type { RequestOptions } from "node:https";
import { KubeConfig } from "@kubernetes/client-node";

/**
 * What the runtime uses of a `KubeConfig` from `@kubernetes/client-node` (pass one in as it is).
 * Declared here so that the runtime's types do not pull in client-node's.
 */
export interface KubeConfigLike {
  /** The current context's cluster: its server URL and proxy. */
  getCurrentCluster(): { readonly server: string; readonly proxyUrl?: string | undefined } | null;
  /** Switches to another context of the kubeconfig. */
  setCurrentContext(context: string): void;
  /** Fills in TLS material and credentials (refreshed by exec and OIDC providers). */
  applyToHTTPSOptions(options: RequestOptions): Promise<void>;
}

/** How to reach the cluster. Every field is optional: the default is the usual kubeconfig. */
export interface ClientOptions {
  /** A loaded kubeconfig; default: `loadFromDefault()` (KUBECONFIG, ~/.kube/config, in-cluster). */
  readonly kubeConfig?: KubeConfigLike | undefined;
  /** A kubeconfig file to load instead of the default places. */
  readonly kubeconfigPath?: string | undefined;
  /** The context to use instead of the current one. */
  readonly context?: string | undefined;
  /** Timeout of a non-watch request in ms (default 30 000). Watches use `watchInactivityTimeoutMs`. */
  readonly timeoutMs?: number | undefined;
  /** A watch that receives no byte for this long is broken off (default 120 000: above the ~60 s bookmark interval). */
  readonly watchInactivityTimeoutMs?: number | undefined;
  /** Retries of reads and watches answered 429 or 503 (default 5); other verbs are never retried. */
  readonly maxRetries?: number | undefined;
  /** Longest wait honoured from a Retry-After header, in seconds (default 30). */
  readonly maxRetryAfterSeconds?: number | undefined;
  /** Sent as User-Agent (default `kube-codegen/<version>`). */
  readonly userAgent?: string | undefined;
  /**
   * Client-side rate limit (client-go's QPS): requests per second, waiting for a token before each
   * attempt. Off by default (also when ≤ 0): the API server's priority and fairness protects it, as
   * controller-runtime decided in 0.21; set it for a client that must not flood a server.
   */
  readonly qps?: number | undefined;
  /** Tokens available at once with `qps` (client-go's Burst; default twice `qps`, at least 1). */
  readonly burst?: number | undefined;
  /** Told about every attempt when its answer is in (for metrics); must not throw. */
  readonly onRequest?: ((observation: RequestObservation) => void) | undefined;
}

/** One attempt of a request, as the `onRequest` hook sees it (client-go's REST client metrics). */
export interface RequestObservation {
  /** The Kubernetes verb (get, list, watch, create, update, patch, delete...). */
  readonly verb: string;
  /** The HTTP method. */
  readonly method: string;
  /** The server's host:port. */
  readonly host: string;
  /** The HTTP status as a string, or `<error>` when no answer came (client-go's label value). */
  readonly code: string;
  /** From sending to the answer's end (a watch: to its headers), in seconds. */
  readonly durationSeconds: number;
  /** Time spent waiting for the client-side rate limiter before sending, in seconds. */
  readonly rateLimiterWaitSeconds: number;
}

/** What `createClientset` and `createRestClient` take: options, or just a loaded kubeconfig. */
export type ClientConfig = ClientOptions | KubeConfigLike;

/** The options of a {@link ClientConfig}. */
export function clientOptionsOf(config: ClientConfig): ClientOptions {
  return "applyToHTTPSOptions" in config ? { kubeConfig: config } : config;
}

/** Loads the kubeconfig the options describe, with the context selected. */
export function loadKubeConfig(options: Pick<ClientOptions, "kubeConfig" | "kubeconfigPath" | "context"> = {}): KubeConfigLike {
  let kc = options.kubeConfig;
  if (kc === undefined) {
    const loaded = new KubeConfig();
    if (options.kubeconfigPath !== undefined) loaded.loadFromFile(options.kubeconfigPath);
    else loaded.loadFromDefault();
    kc = loaded;
  }
  if (options.context !== undefined) kc.setCurrentContext(options.context);
  return kc;
}

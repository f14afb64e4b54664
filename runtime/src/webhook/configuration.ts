import type { KubeObject } from "../client/types.js";
import type { ObjectMeta } from "../meta.js";
import { apiVersionOf } from "../resource.js";
import type { AdmissionOperation } from "./review-types.js";
import type { AdmissionWebhook, WireLabelSelector } from "./admission.js";
import type { ConversionWebhook } from "./conversion.js";

/**
 * Where the API server reaches the webhook server: a URL (outside the cluster, or loopback in
 * tests) or a Service, and the CA it trusts. Without `caBundle`, give `injectCaFrom` and let
 * cert-manager's cainjector fill it in.
 */
export interface WebhookTarget {
  /** `https://host:port` of the webhook server; each webhook's path is appended. */
  readonly url?: string;
  /** The Service in front of the webhook server (port default 443). */
  readonly service?: { readonly namespace: string; readonly name: string; readonly port?: number };
  /** The CA certificate (PEM) that signed the serving certificate. */
  readonly caPem?: string;
  /** `<namespace>/<certificate>`: adds cert-manager's `cert-manager.io/inject-ca-from` annotation. */
  readonly injectCaFrom?: string;
}

/** `admissionregistration/v1.WebhookClientConfig` and `apiextensions/v1.WebhookClientConfig`. */
export interface WebhookClientConfig {
  url?: string;
  service?: { namespace: string; name: string; path?: string; port?: number };
  /** Base64 of the PEM CA bundle. */
  caBundle?: string;
}

/** `meta/v1.LabelSelector` in a configuration object. */
export interface LabelSelectorJson {
  matchLabels?: { [key: string]: string };
  matchExpressions?: { key: string; operator: "In" | "NotIn" | "Exists" | "DoesNotExist"; values?: string[] }[];
}

const copySelector = (s: WireLabelSelector): LabelSelectorJson => {
  const out: LabelSelectorJson = {};
  if (s.matchLabels !== undefined) out.matchLabels = { ...s.matchLabels };
  if (s.matchExpressions !== undefined) out.matchExpressions = s.matchExpressions.map((e) => ({ key: e.key, operator: e.operator, ...(e.values !== undefined ? { values: [...e.values] } : {}) }));
  return out;
};

/** `admissionregistration/v1.RuleWithOperations`. */
export interface RuleWithOperations {
  apiGroups: string[];
  apiVersions: string[];
  resources: string[];
  operations: AdmissionOperation[];
  scope: "Namespaced" | "Cluster";
}

/** `admissionregistration/v1.ValidatingWebhook` (as generated; the fields we set). */
export interface ValidatingWebhookEntry {
  name: string;
  clientConfig: WebhookClientConfig;
  rules: RuleWithOperations[];
  admissionReviewVersions: string[];
  sideEffects: "None" | "NoneOnDryRun";
  failurePolicy: "Fail" | "Ignore";
  matchPolicy: "Equivalent" | "Exact";
  timeoutSeconds: number;
  namespaceSelector?: LabelSelectorJson;
  objectSelector?: LabelSelectorJson;
}

/** `admissionregistration/v1.MutatingWebhook` (as generated). */
export interface MutatingWebhookEntry extends ValidatingWebhookEntry {
  reinvocationPolicy: "Never" | "IfNeeded";
}

/** `admissionregistration.k8s.io/v1` `ValidatingWebhookConfiguration`. */
export interface ValidatingWebhookConfiguration {
  apiVersion: "admissionregistration.k8s.io/v1";
  kind: "ValidatingWebhookConfiguration";
  metadata: ObjectMeta & { name: string };
  webhooks: ValidatingWebhookEntry[];
}

/** `admissionregistration.k8s.io/v1` `MutatingWebhookConfiguration`. */
export interface MutatingWebhookConfiguration {
  apiVersion: "admissionregistration.k8s.io/v1";
  kind: "MutatingWebhookConfiguration";
  metadata: ObjectMeta & { name: string };
  webhooks: MutatingWebhookEntry[];
}

/** `apiextensions/v1.CustomResourceConversion` for a conversion webhook. */
export interface CustomResourceConversion {
  strategy: "Webhook";
  webhook: { clientConfig: WebhookClientConfig; conversionReviewVersions: string[] };
}

function clientConfig(target: WebhookTarget, path: string): WebhookClientConfig {
  const config: WebhookClientConfig = {};
  if ((target.url === undefined) === (target.service === undefined)) throw new Error("a webhook target needs a url or a service (not both)");
  if (target.url !== undefined) {
    const url = new URL(path, target.url);
    if (url.protocol !== "https:") throw new Error(`webhook url ${target.url}: the API server calls webhooks over https only`);
    config.url = url.toString();
  }
  if (target.service !== undefined) config.service = { namespace: target.service.namespace, name: target.service.name, path, port: target.service.port ?? 443 };
  if (target.caPem !== undefined) config.caBundle = Buffer.from(target.caPem).toString("base64");
  return config;
}

const metadataFor = (name: string, target: WebhookTarget): ObjectMeta & { name: string } =>
  target.injectCaFrom === undefined ? { name } : { name, annotations: { "cert-manager.io/inject-ca-from": target.injectCaFrom } };

function entry(w: AdmissionWebhook, target: WebhookTarget): ValidatingWebhookEntry {
  const o = w.options;
  const e: ValidatingWebhookEntry = {
    name: o.name,
    clientConfig: clientConfig(target, w.path),
    rules: [{ apiGroups: [w.resource.group], apiVersions: [w.resource.version], resources: [w.resource.plural], operations: [...w.operations], scope: w.resource.scope }],
    admissionReviewVersions: ["v1"],
    sideEffects: o.sideEffects ?? "None",
    failurePolicy: o.failurePolicy ?? "Fail",
    matchPolicy: o.matchPolicy ?? "Equivalent",
    timeoutSeconds: o.timeoutSeconds ?? 10,
  };
  if (o.namespaceSelector !== undefined) e.namespaceSelector = copySelector(o.namespaceSelector);
  if (o.objectSelector !== undefined) e.objectSelector = copySelector(o.objectSelector);
  return e;
}

function only(webhooks: readonly AdmissionWebhook[], type: AdmissionWebhook["type"]): AdmissionWebhook[] {
  const wrong = webhooks.find((w) => w.type !== type);
  if (wrong !== undefined) throw new Error(`webhook ${wrong.options.name} is ${wrong.type}, not ${type}`);
  return [...webhooks];
}

/** The `ValidatingWebhookConfiguration` of these validating webhooks, with the CA bundle filled in. */
export function validatingWebhookConfiguration(name: string, webhooks: readonly AdmissionWebhook[], target: WebhookTarget): ValidatingWebhookConfiguration {
  return { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingWebhookConfiguration", metadata: metadataFor(name, target), webhooks: only(webhooks, "validating").map((w) => entry(w, target)) };
}

/** The `MutatingWebhookConfiguration` of these mutating webhooks, with the CA bundle filled in. */
export function mutatingWebhookConfiguration(name: string, webhooks: readonly AdmissionWebhook[], target: WebhookTarget): MutatingWebhookConfiguration {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "MutatingWebhookConfiguration",
    metadata: metadataFor(name, target),
    webhooks: only(webhooks, "mutating").map((w) => ({ ...entry(w, target), reinvocationPolicy: w.options.reinvocationPolicy ?? "Never" })),
  };
}

/** A CRD's `spec.conversion` calling this conversion webhook. */
export function crdConversion(webhook: Pick<ConversionWebhook, "path">, target: WebhookTarget): CustomResourceConversion {
  return { strategy: "Webhook", webhook: { clientConfig: clientConfig(target, webhook.path), conversionReviewVersions: ["v1"] } };
}

/** The parts of a CustomResourceDefinition that `withConversion` reads and sets. */
export interface ConvertibleCrd extends KubeObject {
  spec: { group: string; names: { kind: string }; versions: readonly { name: string }[]; conversion?: unknown };
}

/**
 * A copy of `crd` whose `spec.conversion` calls the webhook (and, with `injectCaFrom`, cert-manager's
 * annotation). Throws when the CRD is of another kind or has versions the webhook does not convert.
 */
export function withConversion<C extends ConvertibleCrd>(crd: C, webhook: Pick<ConversionWebhook, "path" | "hub" | "spokeVersions">, target: WebhookTarget): C & { spec: { conversion: CustomResourceConversion } } {
  const { group, names } = crd.spec;
  if (group !== webhook.hub.group || names.kind !== webhook.hub.kind) throw new Error(`CRD ${crd.metadata.name ?? "?"} is ${group} ${names.kind}; the webhook converts ${webhook.hub.group} ${webhook.hub.kind}`);
  const known = new Set([webhook.hub.version, ...webhook.spokeVersions]);
  const missing = crd.spec.versions.map((v) => v.name).filter((v) => !known.has(v));
  if (missing.length > 0) throw new Error(`CRD ${crd.metadata.name ?? "?"} has versions the webhook does not convert: ${missing.join(", ")} (it converts ${[...known].join(", ")}; hub ${apiVersionOf(webhook.hub)})`);
  const annotations = target.injectCaFrom === undefined ? crd.metadata.annotations : { ...crd.metadata.annotations, "cert-manager.io/inject-ca-from": target.injectCaFrom };
  return { ...crd, metadata: { ...crd.metadata, ...(annotations !== undefined ? { annotations } : {}) }, spec: { ...crd.spec, conversion: crdConversion(webhook, target) } };
}

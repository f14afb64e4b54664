/**
 * `@kube-codegen/runtime/webhook`: typed admission (validating, mutating) and CRD conversion
 * webhooks, served over HTTPS, and the configuration objects that register them.
 */
export type * from "./review-types.js";
export { AdmissionDenied, allowed, denied, mutatingWebhook, validatingWebhook } from "./admission.js";
export type { AdmissionAnswer, AdmissionContext, AdmissionVerdict, AdmissionWebhook, AdmissionWebhookOptions, MutatingHandlers, ValidatingHandlers, WireLabelSelector } from "./admission.js";
export { conversion, ConversionError, roundTrip, type ConversionWebhook, type RoundTripDifference, type SpokeConversion } from "./conversion.js";
export { WebhookServer, type WebhookServerOptions } from "./server.js";
export { selfSignedCertificates, writeCertificates, type CertificateFiles, type SelfSignedCertificates, type SelfSignedOptions } from "./certificates.js";
export {
  crdConversion,
  mutatingWebhookConfiguration,
  validatingWebhookConfiguration,
  withConversion,
  type ConvertibleCrd,
  type CustomResourceConversion,
  type LabelSelectorJson,
  type MutatingWebhookConfiguration,
  type MutatingWebhookEntry,
  type RuleWithOperations,
  type ValidatingWebhookConfiguration,
  type ValidatingWebhookEntry,
  type WebhookClientConfig,
  type WebhookTarget,
} from "./configuration.js";

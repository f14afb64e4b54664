/**
 * The name rules the API server applies to CRDs (k8s.io/apimachinery/pkg/util/validation), with its
 * messages: each function answers the problems with a value, none when it is valid.
 */

const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Longest DNS-1123 subdomain (groups, object names). */
export const DNS1123_SUBDOMAIN_MAX = 253;
/** Longest DNS-1035 label (versions, plural, singular, kinds lowercased). */
export const DNS1035_LABEL_MAX = 63;

/** An RFC 1123 subdomain: `example.com`, at most 253 characters. */
export function dns1123SubdomainProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > DNS1123_SUBDOMAIN_MAX) out.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!DNS1123_SUBDOMAIN.test(value)) {
    out.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  }
  return out;
}

/** An RFC 1035 label: `my-name`, starting with a letter, at most 63 characters. */
export function dns1035LabelProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > DNS1035_LABEL_MAX) out.push(`must be no more than ${DNS1035_LABEL_MAX} characters`);
  if (!DNS1035_LABEL.test(value)) {
    out.push(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  }
  return out;
}

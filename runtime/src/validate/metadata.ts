import { NAMED_FORMATS, objectNameProblems } from "./formats.js";
import { problem, type ValidationProblem } from "./problem.js";

/**
 * What the API server checks of a custom resource's metadata besides the schema (apimachinery's
 * ObjectMeta validation): a name or generateName, the name a DNS subdomain (generateName one as a
 * prefix), label keys qualified names and values label values, annotation keys qualified names and
 * all annotations together at most 256 KiB.
 */
export function metadataProblems(value: unknown): ValidationProblem[] {
  const meta = (value as { metadata?: unknown } | null)?.metadata;
  if (meta === undefined || meta === null || typeof meta !== "object" || Array.isArray(meta)) return [];
  const { name, generateName, labels, annotations } = meta as Record<string, unknown>;
  const out: ValidationProblem[] = [];
  const invalid = (path: string, v: string, messages: readonly string[]): void => {
    for (const m of messages) out.push(problem(path, "Invalid value", m, { shown: JSON.stringify(v) }));
  };
  if ((name === undefined || name === "") && (generateName === undefined || generateName === "")) out.push(problem(".metadata.name", "Required value", "name or generateName is required"));
  if (typeof name === "string" && name !== "") invalid(".metadata.name", name, objectNameProblems(name));
  if (typeof generateName === "string" && generateName !== "") invalid(".metadata.generateName", generateName, NAMED_FORMATS["dns1123SubdomainPrefix"]?.(generateName) ?? []);
  if (labels !== null && typeof labels === "object") {
    for (const [k, v] of Object.entries(labels)) {
      invalid(".metadata.labels", k, NAMED_FORMATS["qualifiedName"]?.(k) ?? []);
      if (typeof v === "string") invalid(".metadata.labels", v, NAMED_FORMATS["labelValue"]?.(v) ?? []);
    }
  }
  if (annotations !== null && typeof annotations === "object") {
    let size = 0;
    for (const [k, v] of Object.entries(annotations)) {
      invalid(".metadata.annotations", k, NAMED_FORMATS["qualifiedName"]?.(k.toLowerCase()) ?? []);
      size += Buffer.byteLength(k) + (typeof v === "string" ? Buffer.byteLength(v) : 0);
    }
    if (size > 256 * 1024) out.push(problem(".metadata.annotations", "Too long", `must have at most ${256 * 1024} bytes`));
  }
  return out;
}

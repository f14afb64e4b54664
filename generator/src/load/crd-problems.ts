import type { DocPath } from "./locate.js";

/**
 * One reason the API server would refuse a CRD, worded the way it words it
 * (`Invalid value: "x": …`, `Required value`, `Forbidden: …`, `Unsupported value: …`), at a path
 * relative to the CRD object.
 */
export interface CrdProblem {
  readonly path: DocPath;
  readonly message: string;
}

/** Collects problems while a CRD is checked. */
export class Problems {
  readonly list: CrdProblem[] = [];

  /** `Invalid value: <value>: <detail>`. */
  invalid(path: DocPath, value: unknown, detail: string): void {
    this.list.push({ path, message: `Invalid value: ${shown(value)}: ${detail}` });
  }

  /** `Required value[: detail]`. */
  required(path: DocPath, detail = ""): void {
    this.list.push({ path, message: `Required value${detail === "" ? "" : `: ${detail}`}` });
  }

  /** `Forbidden: <detail>`. */
  forbidden(path: DocPath, detail: string): void {
    this.list.push({ path, message: `Forbidden: ${detail}` });
  }

  /** `Unsupported value: <value>: supported values: "a", "b"`. */
  unsupported(path: DocPath, value: unknown, supported: readonly string[]): void {
    this.list.push({ path, message: `Unsupported value: ${shown(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}` });
  }

  /** A value the API server cannot decode into its Go type (it answers 400 for the whole request). */
  undecodable(path: DocPath, value: unknown, want: string): void {
    this.list.push({ path, message: `cannot be decoded: ${shown(value)} is not ${want}` });
  }
}

/** A value as a message shows it: JSON, cut short. */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

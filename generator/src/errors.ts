/** Where a piece of input came from, for error messages. */
export interface Origin {
  /** The path as the user gave it (relative to the working directory when inside it). */
  readonly file: string;
  /** 1-based index of the YAML document in the file. */
  readonly document?: number;
  /** 1-based line in the file, when known. */
  readonly line?: number;
}

/** Base class of every error kube-codegen reports to its user (exit code 2 from the CLI). */
export class CodegenError extends Error {
  override name = "CodegenError";
}

/**
 * Bad input: the message names the file, the document, the line and the schema path when they are
 * known, in one paragraph.
 */
export class InputError extends CodegenError {
  override name = "InputError";
  readonly origin: Origin | undefined;
  readonly schemaPath: string | undefined;
  readonly detail: string;

  constructor(detail: string, origin?: Origin, schemaPath?: string, options?: ErrorOptions) {
    super(formatInputError(detail, origin, schemaPath), options);
    this.detail = detail;
    this.origin = origin;
    this.schemaPath = schemaPath;
  }
}

/** `file, document N, line L: at PATH: detail`, leaving out what is unknown. */
export function formatInputError(detail: string, origin?: Origin, schemaPath?: string): string {
  const where: string[] = [];
  if (origin !== undefined) {
    where.push(origin.file);
    if (origin.document !== undefined) where.push(`document ${origin.document}`);
    if (origin.line !== undefined) where.push(`line ${origin.line}`);
  }
  const at = schemaPath !== undefined && schemaPath !== "" ? `at ${schemaPath}: ` : "";
  return where.length > 0 ? `${where.join(", ")}: ${at}${detail}` : `${at}${detail}`;
}

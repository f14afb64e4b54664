/** Structured fields of a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * What controllers log through: plain functions, so any logger (pino, winston, console) fits.
 * `with` binds fields to every line (controller, namespace, name).
 */
export interface Logger {
  /** Something worth knowing. */
  info(message: string, fields?: LogFields): void;
  /** Something that went wrong, with the error. */
  error(message: string, error: unknown, fields?: LogFields): void;
  /** A logger that adds these fields to every line. */
  with(fields: LogFields): Logger;
}

/** One JSON line per message on stderr; `info` only when `verbose`. The default logger. */
export function consoleLogger(options: { readonly verbose?: boolean | undefined; readonly fields?: LogFields } = {}): Logger {
  const bound = options.fields ?? {};
  const line = (level: string, message: string, extra: LogFields): void => {
    process.stderr.write(`${JSON.stringify({ level, msg: message, ...bound, ...extra })}\n`);
  };
  return {
    info: (message, fields = {}) => {
      if (options.verbose === true) line("info", message, fields);
    },
    error: (message, error, fields = {}) => line("error", message, { ...fields, error: error instanceof Error ? error.message : String(error) }),
    with: (fields) => consoleLogger({ ...options, fields: { ...bound, ...fields } }),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { info: () => undefined, error: () => undefined, with: () => silentLogger };

import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiStatusError, isAlreadyExists, isConflict, isInvalid, isNotFound } from "@kube-codegen/runtime";

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An answer the service gives on purpose: status code and JSON body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${JSON.stringify(body)}`);
  }
}

/** Sends a JSON answer. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a JSON request body (at most {@link MAX_BODY_BYTES}); 400 or 413 when it is not one. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { error: `request body over ${MAX_BODY_BYTES} bytes` });
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch (err) {
    throw new HttpError(400, { error: `request body is not JSON: ${(err as Error).message}` });
  }
}

/**
 * The HTTP answer for an error: ours as they are; the API server's mapped to what they mean for
 * the caller (the server's message kept); anything else 502, since the cluster is our backend.
 */
export function errorAnswer(err: unknown): { status: number; body: Record<string, unknown> } {
  if (err instanceof HttpError) return { status: err.status, body: err.body };
  if (err instanceof ApiStatusError) {
    const message = err.status.message ?? err.message;
    if (isNotFound(err)) return { status: 404, body: { error: message } };
    if (isAlreadyExists(err) || isConflict(err)) return { status: 409, body: { error: message } };
    if (isInvalid(err)) return { status: 422, body: { error: message } };
  }
  return { status: 502, body: { error: `the API server could not be reached or refused: ${(err as Error).message}` } };
}

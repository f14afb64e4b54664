import { WatchDecodeError } from "../errors.js";

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into newline-delimited JSON values. Lines are split on the newline byte, which
 * never occurs inside a multi-byte UTF-8 character, and decoded only when complete, so chunks may
 * be cut anywhere. A line that is not JSON throws {@link WatchDecodeError}; it is never skipped.
 */
export class JsonLineDecoder {
  #pending: Buffer[] = [];
  #pendingLength = 0;

  /**
   * Feeds a chunk; yields the values of the lines it completes, in order. A bad line throws when
   * it is reached, after the good lines before it were yielded.
   */
  *push(chunk: Buffer): Generator<unknown, void, undefined> {
    let start = 0;
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, start)) {
      const part = chunk.subarray(start, i);
      let line: Buffer;
      if (this.#pendingLength > 0) {
        this.#pending.push(part);
        line = Buffer.concat(this.#pending, this.#pendingLength + part.length);
        this.#pending = [];
        this.#pendingLength = 0;
      } else {
        line = part;
      }
      start = i + 1;
      const value = parseLine(line);
      if (value !== undefined) yield value;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.#pending.push(rest);
      this.#pendingLength += rest.length;
    }
  }

  /** At the end of the stream: a last line without newline is decoded; a truncated one is an error. */
  end(): unknown[] {
    if (this.#pendingLength === 0) return [];
    const line = Buffer.concat(this.#pending, this.#pendingLength);
    this.#pending = [];
    this.#pendingLength = 0;
    const value = parseLine(line);
    return value === undefined ? [] : [value];
  }
}

function parseLine(line: Buffer): unknown {
  if (line.length === 0) return undefined;
  // JSON.parse accepts surrounding whitespace (and a trailing \r): no copy through trim().
  const text = line.toString("utf8");
  try {
    return JSON.parse(text);
  } catch (err) {
    if (text.trim() === "") return undefined;
    throw new WatchDecodeError(`the watch stream sent a line that is not JSON (${text.length > 120 ? `${text.slice(0, 120)}…` : text})`, { cause: err });
  }
}

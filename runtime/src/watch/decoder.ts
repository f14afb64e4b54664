import { StringDecoder } from "node:string_decoder";
import { WatchDecodeError } from "../errors.js";

/**
 * Splits a byte stream into newline-delimited JSON values. Each chunk is decoded to text once
 * (a UTF-8 character cut between chunks is held back until its last byte comes) and each complete
 * line is parsed as a slice of that text: no copy per line. A line that is not JSON throws
 * {@link WatchDecodeError}; it is never skipped.
 */
export class JsonLineDecoder {
  readonly #utf8 = new StringDecoder("utf8");
  readonly #parse: (line: string) => unknown;
  /** The start of an unfinished line, in pieces: joined once, when its newline comes. */
  #pending: string[] = [];

  /** `parse` turns one line into its value (default `JSON.parse`); it throws on text that is not JSON. */
  constructor(parse: (line: string) => unknown = JSON.parse) {
    this.#parse = parse;
  }

  /**
   * Feeds a chunk; yields the values of the lines it completes, in order. A bad line throws when
   * it is reached, after the good lines before it were yielded.
   */
  *push(chunk: Buffer): Generator<unknown, void, undefined> {
    const text = this.#utf8.write(chunk);
    let newline = text.indexOf("\n");
    if (newline === -1) {
      if (text !== "") this.#pending.push(text);
      return;
    }
    let start = 0;
    if (this.#pending.length > 0) {
      this.#pending.push(text.slice(0, newline));
      const line = this.#pending.join("");
      this.#pending = [];
      start = newline + 1;
      newline = text.indexOf("\n", start);
      const value = parseLine(line, this.#parse);
      if (value !== undefined) yield value;
    }
    for (; newline !== -1; newline = text.indexOf("\n", start)) {
      const value = parseLine(text.slice(start, newline), this.#parse);
      start = newline + 1;
      if (value !== undefined) yield value;
    }
    if (start < text.length) this.#pending.push(text.slice(start));
  }

  /** At the end of the stream: a last line without newline is decoded; a truncated one is an error. */
  end(): unknown[] {
    const rest = this.#utf8.end();
    if (rest !== "") this.#pending.push(rest);
    if (this.#pending.length === 0) return [];
    const line = this.#pending.join("");
    this.#pending = [];
    const value = parseLine(line, this.#parse);
    return value === undefined ? [] : [value];
  }
}

function parseLine(text: string, parse: (line: string) => unknown): unknown {
  if (text.length === 0) return undefined;
  // JSON.parse accepts surrounding whitespace (and a trailing \r): no copy through trim().
  try {
    return parse(text);
  } catch (err) {
    if (text.trim() === "") return undefined;
    throw new WatchDecodeError(`the watch stream sent a line that is not JSON (${text.length > 120 ? `${text.slice(0, 120)}…` : text})`, { cause: err });
  }
}

import { KubeError, isGone } from "../errors.js";
import type { ListOptions } from "../client/types.js";

/** One page of a list, as the reflector reads it. */
export interface ListPageOf<T> {
  readonly metadata: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items: readonly T[];
}

/** A page request that carried a continue token failed with 410: the token expired. */
export class ExpiredContinueError extends KubeError {}

/**
 * The continue token of a list page read from the text before its items, without parsing the
 * items: API servers write `metadata` before `items`. `null` when the head does not say (another
 * layout, or text that is not JSON): the caller then waits for the whole page to be parsed.
 */
export function peekContinue(text: string): string | undefined | null {
  const at = text.indexOf('"items":');
  if (at === -1 || at > 65_536) return null;
  let head = text.slice(0, at).trimEnd();
  if (head.endsWith(",")) head = head.slice(0, -1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(`${head}}`);
  } catch {
    return null;
  }
  const meta = (parsed as { metadata?: { continue?: unknown } } | null)?.metadata;
  if (typeof meta !== "object" || meta === null) return null;
  return typeof meta.continue === "string" && meta.continue !== "" ? meta.continue : undefined;
}

/** How a list is fetched: the options of a page (from its continue token), one request per call. */
export interface PageSource<T> {
  options(token: string | undefined): ListOptions;
  /** Called before each request (for the reflector's page counter). */
  requested(): void;
  /** Parsed pages, one request each. */
  list?(options: ListOptions): Promise<ListPageOf<T>>;
  /** The same, as unparsed JSON text: lets the next page be requested before this one is parsed. */
  listText?(options: ListOptions): Promise<string>;
  /** Parses the text of a page (default `JSON.parse`). */
  parse?(text: string): unknown;
}

/** Rethrows a failed page request; a 410 on a continued page becomes {@link ExpiredContinueError}. */
function failed(err: unknown, token: string | undefined): never {
  if (token !== undefined && isGone(err)) throw new ExpiredContinueError("the list's continue token expired", { cause: err });
  throw err;
}

function parsePage<T>(text: string, parse: (text: string) => unknown): ListPageOf<T> {
  let page: unknown;
  try {
    page = parse(text);
  } catch (err) {
    throw new KubeError(`the list response is not JSON (${text.slice(0, 100)})`, { cause: err });
  }
  const p = page as Partial<ListPageOf<T>> | null;
  if (typeof p !== "object" || p === null || !Array.isArray(p.items) || typeof p.metadata !== "object" || p.metadata === null) {
    throw new KubeError(`the list response is not a list (${text.slice(0, 100)})`);
  }
  return p as ListPageOf<T>;
}

/**
 * Every page of a list, in order. With `listText`, the request for page n+1 goes out as soon as
 * page n's text has arrived (its continue token is read from the head), so the server and the
 * network work while page n is parsed and cached; the prefetch is dropped if the parsed page says
 * otherwise. Without it, one page after the other.
 */
export async function* listPages<T>(source: PageSource<T>): AsyncGenerator<ListPageOf<T>, void, undefined> {
  const listText = source.listText;
  if (listText === undefined) {
    const list = source.list;
    if (list === undefined) throw new KubeError("a page source needs list or listText");
    let token: string | undefined;
    do {
      source.requested();
      let page: ListPageOf<T>;
      try {
        page = await list(source.options(token));
      } catch (err) {
        failed(err, token);
      }
      yield page;
      token = page.metadata.continue === "" ? undefined : page.metadata.continue;
    } while (token !== undefined);
    return;
  }
  const request = (token: string | undefined): { token: string | undefined; text: Promise<string> } => {
    source.requested();
    const text = listText(source.options(token));
    text.catch(() => {}); // awaited below, or dropped with its request
    return { token, text };
  };
  let pending = request(undefined);
  for (;;) {
    let text: string;
    try {
      text = await pending.text;
    } catch (err) {
      failed(err, pending.token);
    }
    const peeked = peekContinue(text);
    let next = typeof peeked === "string" ? request(peeked) : undefined;
    const page = parsePage<T>(text, source.parse ?? JSON.parse);
    const token = page.metadata.continue === "" ? undefined : page.metadata.continue;
    if (next !== undefined && next.token !== token) next = undefined;
    yield page;
    if (token === undefined) return;
    pending = next ?? request(token);
  }
}

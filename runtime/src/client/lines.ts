import { KubeError } from "../errors.js";
import type { ResponseStream } from "../rest/transport.js";

/**
 * The lines of a streaming text response (a followed log), without their line ends; a last line
 * without one is yielded at the end. Aborting `signal` or breaking out of the loop closes the
 * connection.
 */
export async function* linesOf(stream: ResponseStream, signal?: AbortSignal): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder("utf-8");
  const onAbort = (): void => stream.close(signal?.reason instanceof Error ? signal.reason : new KubeError("aborted"));
  signal?.addEventListener("abort", onAbort, { once: true });
  let rest = "";
  try {
    for await (const chunk of stream.body) {
      rest += decoder.decode(chunk, { stream: true });
      let nl = rest.indexOf("\n");
      while (nl >= 0) {
        yield rest.slice(0, rest.charAt(nl - 1) === "\r" ? nl - 1 : nl);
        rest = rest.slice(nl + 1);
        nl = rest.indexOf("\n");
      }
    }
    rest += decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stream.close();
  }
}

import { expect, test } from "@jest/globals";
import { JsonLineDecoder, WatchDecodeError } from "@kube-codegen/runtime";

const feed = (d: JsonLineDecoder, s: string | Buffer): unknown[] => [...d.push(Buffer.isBuffer(s) ? s : Buffer.from(s))];

test.each([
  ["one line", ['{"a":1}\n'], [{ a: 1 }]],
  ["two lines in one chunk", ['{"a":1}\n{"b":2}\n'], [{ a: 1 }, { b: 2 }]],
  ["a line over three chunks", ['{"a"', ":", "1}\n"], [{ a: 1 }]],
  ["blank lines and CRLF", ['\n{"a":1}\r\n\n'], [{ a: 1 }]],
  ["last line without newline (at end)", ['{"a":1}'], [{ a: 1 }]],
])("%s", (_n, chunks, want) => {
  const d = new JsonLineDecoder();
  const got = chunks.flatMap((c) => feed(d, c));
  expect([...got, ...d.end()]).toEqual(want);
});

test("a multi-byte character split between chunks", () => {
  const bytes = Buffer.from('{"t":"日本"}\n');
  const d = new JsonLineDecoder();
  expect([...feed(d, bytes.subarray(0, 8)), ...feed(d, bytes.subarray(8))]).toEqual([{ t: "日本" }]);
});

test("a bad line throws after the good ones before it", () => {
  const d = new JsonLineDecoder();
  const got: unknown[] = [];
  expect(() => {
    for (const v of d.push(Buffer.from('{"a":1}\nnot json\n{"b":2}\n'))) got.push(v);
  }).toThrow(WatchDecodeError);
  expect(got).toEqual([{ a: 1 }]);
});

test("a truncated object at the end is an error", () => {
  const d = new JsonLineDecoder();
  expect(feed(d, '{"a":1}\n{"b":')).toEqual([{ a: 1 }]);
  expect(() => d.end()).toThrow(/not JSON/);
});

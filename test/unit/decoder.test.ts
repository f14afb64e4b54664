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

test("every way of cutting lines with multi-byte characters into two or three chunks decodes the same", () => {
  const text = '{"t":"日本"}\n{"e":"😀 é"}\n\n{"n":1}\n';
  const bytes = Buffer.from(text);
  const want = [{ t: "日本" }, { e: "😀 é" }, { n: 1 }];
  for (let i = 0; i <= bytes.length; i++) {
    for (let j = i; j <= bytes.length; j += 3) {
      const d = new JsonLineDecoder();
      const got = [...feed(d, bytes.subarray(0, i)), ...feed(d, bytes.subarray(i, j)), ...feed(d, bytes.subarray(j)), ...d.end()];
      expect({ i, j, got }).toEqual({ i, j, got: want });
    }
  }
});

test("a long line that comes one byte per chunk", () => {
  const value = { s: "ü".repeat(500), n: [1, 2, 3] };
  const bytes = Buffer.from(`${JSON.stringify(value)}\n${JSON.stringify(value)}`);
  const d = new JsonLineDecoder();
  const got: unknown[] = [];
  for (let i = 0; i < bytes.length; i++) got.push(...feed(d, bytes.subarray(i, i + 1)));
  expect([...got, ...d.end()]).toEqual([value, value]);
});

test("a stream that ends in the middle of a character is an error, not a silently changed value", () => {
  const d = new JsonLineDecoder();
  expect(feed(d, Buffer.from('{"t":"日').subarray(0, 7))).toEqual([]);
  expect(() => d.end()).toThrow(/not JSON/);
});

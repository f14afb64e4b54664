import { expect, test } from "@jest/globals";
import { usesAnyType } from "../support/any-type.js";

test.each([
  ["x: any;", true],
  ["x?: any[];", true],
  ["x: Record<string, any>;", true],
  ["x: string | any;", true],
  ["any?: Foo[];", false],
  ["any: Foo;", false],
  ["/** any */ x: string;", false],
  ['x: "any";', false],
  ["// any\nx: string;", false],
])("%s → %s", (code, want) => expect(usesAnyType(code)).toBe(want));

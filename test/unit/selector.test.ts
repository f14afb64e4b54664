import { describe, expect, test } from "@jest/globals";
import { parseLabelSelector, SelectorError } from "@kube-codegen/runtime";

describe("label selectors", () => {
  const labels = { app: "web", tier: "front", "example.com/team": "a", n: "5" };
  test.each([
    ["", true],
    ["app=web", true],
    ["app==web", true],
    ["app!=web", false],
    ["app!=db", true],
    ["missing!=x", true],
    ["tier in (front,back)", true],
    ["tier in (back)", false],
    ["tier notin (back)", true],
    ["missing notin (x)", true],
    ["missing in (x)", false],
    ["app", true],
    ["!app", false],
    ["!missing", true],
    ["example.com/team=a", true],
    ["app=web,tier=front", true],
    ["app=web, tier=back", false],
    ["n>4", true],
    ["n<5", false],
    ["  app = web ,  !missing  ", true],
  ])("%s → %s", (text, want) => expect(parseLabelSelector(text).matches(labels)).toBe(want));

  test("labels undefined match only negative requirements", () => {
    expect(parseLabelSelector("!a,b notin (x)").matches(undefined)).toBe(true);
    expect(parseLabelSelector("a").matches(undefined)).toBe(false);
  });

  test.each([["app=web,"], ["app in (a"], ["app in ()"], ["app ~ x"], ["=x"], ["app>x"], ["bad key!/x=1"]])("%s is an error", (text) => {
    expect(() => parseLabelSelector(text)).toThrow(SelectorError);
  });

  test("round trip to the API syntax", () => {
    expect(parseLabelSelector("a==1, b in (x,y),!c,d").toString()).toBe("a=1,b in (x,y),!c,d");
  });
});

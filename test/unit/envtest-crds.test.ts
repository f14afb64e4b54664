import { expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EnvtestError, readCrds } from "@kube-codegen/envtest";
import { REPO } from "../support/paths.js";

test("installCrds' sources: a file, its YAML text, an object; a missing path is named", () => {
  const file = join(REPO, "fixtures/crds/widgets.yaml");
  const names = (src: Parameters<typeof readCrds>[0]) => readCrds(src).map((c) => c.metadata.name);
  const fromFile = names([file]);
  expect(fromFile.length).toBeGreaterThan(0);
  expect(names([readFileSync(file, "utf8")])).toEqual(fromFile);
  expect(names([readCrds([file])[0] as object])).toEqual(fromFile.slice(0, 1));
  expect(() => readCrds(["/nonexistent/crds"])).toThrow(new EnvtestError("CRD source /nonexistent/crds does not exist"));
  expect(() => readCrds(["kind: [unclosed\nx"])).toThrow(/CRD text: not YAML or JSON/);
});

import { describe, expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../support/paths.js";

const read = (f: string): string => readFileSync(join(REPO, f), "utf8");
const json = <T>(f: string): T => JSON.parse(read(f)) as T;

interface LockEntry {
  readonly version?: string;
  readonly optional?: boolean;
  readonly os?: string | readonly string[];
  readonly cpu?: string | readonly string[];
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}
interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly workspaces?: readonly string[];
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

const lock = json<{ packages: Readonly<Record<string, LockEntry>> }>("package-lock.json");
const root = json<PackageJson>("package.json");
const published = (root.workspaces ?? []).map((w) => ({ dir: w, pkg: json<PackageJson>(`${w}/package.json`) })).filter((w) => w.pkg.private !== true);

/** The lock entry an optional dependency of `from` resolves to, by Node's lookup (nested, then up). */
function resolveInLock(from: string, name: string): LockEntry | undefined {
  for (let dir = from; ; dir = dir.replace(/\/?node_modules\/(@[^/]+\/)?[^/]+$/, "")) {
    const entry = lock.packages[`${dir === "" ? "" : `${dir}/`}node_modules/${name}`];
    if (entry !== undefined) return entry;
    if (dir === "") return undefined;
  }
}

describe("package-lock.json", () => {
  test("records every optional dependency of every package, for every platform (so npm ci works anywhere)", () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        if (resolveInLock(path, name) === undefined) missing.push(`${path || "(root)"} → ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test("records the Node 24 platform packages that npm install brings for the npm scripts", () => {
    const nodes = Object.keys(root.optionalDependencies ?? {}).filter((n) => /^node-(linux|darwin|win)-/.test(n));
    expect(nodes.length).toBeGreaterThanOrEqual(3);
    for (const n of nodes) {
      const entry = lock.packages[`node_modules/${n}`];
      expect({ n, major: entry?.version?.split(".")[0], optional: entry?.optional, platform: entry?.os !== undefined && entry.cpu !== undefined }).toEqual({ n, major: "24", optional: true, platform: true });
    }
  });
});

describe("license and changelog", () => {
  test("LICENSE is the Apache License 2.0, and each published package carries the same file", () => {
    const license = read("LICENSE");
    expect(license).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
    expect(license).toContain("END OF TERMS AND CONDITIONS");
    expect(published.length).toBeGreaterThanOrEqual(2);
    for (const { dir, pkg } of published) {
      expect({ dir, license: pkg.license }).toEqual({ dir, license: "Apache-2.0" });
      expect(read(`${dir}/LICENSE`) === license).toBe(true);
    }
  });

  test("CHANGELOG.md has an Unreleased section, then the packages' current version", () => {
    const headings = read("CHANGELOG.md").split("\n").filter((l) => l.startsWith("## ")).map((l) => l.slice(3));
    expect(headings[0]).toBe("Unreleased");
    const versions = new Set(published.map((w) => w.pkg.version));
    expect(versions.size).toBe(1);
    expect(headings[1]).toMatch(new RegExp(`^${[...versions][0]?.replace(/\./g, "\\.")} — \\d{4}-\\d{2}-\\d{2}$`));
  });
});

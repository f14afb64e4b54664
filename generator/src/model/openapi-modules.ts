import { versionSuffix } from "./naming.js";

/**
 * The clientset accessor base of a built-in group: the group without `.k8s.io`, its labels in
 * camelCase; `core` for the core group. `rbac.authorization.k8s.io` → `rbacAuthorization`,
 * `apps` → `apps`, `flowcontrol.apiserver.k8s.io` → `flowcontrolApiserver`.
 */
export function builtinAccessorBase(group: string): string {
  if (group === "") return "core";
  const labels = group.replace(/\.k8s\.io$/, "").split(".").map((l) => l.toLowerCase().replace(/[^a-z0-9]/g, ""));
  return labels.map((l, i) => (i === 0 ? l : l.charAt(0).toUpperCase() + l.slice(1))).join("");
}

/** Folder and alias of a package no served group version owns (`meta/v1`, `scheduling.k8s.io/v1alpha3`). */
export function fallbackModule(pkg: string, groupOfPackageBase: ReadonlyMap<string, string>): { folder: string; alias: string } {
  const meta = /^io\.k8s\.apimachinery\.pkg\.apis\.meta\.(v[^.]+)$/.exec(pkg);
  if (meta !== null) return { folder: `meta/${meta[1] ?? ""}`, alias: `meta${versionSuffix(meta[1] ?? "")}` };
  const versioned = /^(.*)\.(v\d+(?:(?:alpha|beta)\d+)?)$/.exec(pkg);
  if (versioned !== null) {
    const group = groupOfPackageBase.get(versioned[1] ?? "");
    if (group !== undefined) {
      return { folder: `${group === "" ? "core" : group}/${versioned[2] ?? ""}`, alias: `${builtinAccessorBase(group)}${versionSuffix(versioned[2] ?? "")}` };
    }
  }
  const parts = pkg.replace(/^io\.k8s\./, "").replace(/^apimachinery\.pkg\./, "apimachinery.").split(".");
  const alias = parts.map((p, i) => {
    const w = p.toLowerCase().replace(/[^a-z0-9]/g, "");
    return i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1);
  }).join("");
  return { folder: parts.join("/"), alias };
}

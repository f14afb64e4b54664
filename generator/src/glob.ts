/**
 * Globs for names (`--group`, `--crd`, a waiver's `crd`): `*` matches any run of characters, dots
 * included (`certificates.*`, `*.cert-manager.io`), `?` one character; the rest is literal.
 */
export function nameGlob(glob: string): RegExp {
  return new RegExp(`^${escape(glob).replace(/\\\*/g, ".*").replace(/\\\?/g, ".")}$`);
}

/**
 * Globs for schema paths (a waiver's `path`): `**` matches anything, `*` anything within one path
 * segment (no dot), `?` one character; the rest is literal.
 */
export function pathGlob(glob: string): RegExp {
  let src = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*" && glob[i + 1] === "*") {
      src += ".*";
      i++;
    } else if (c === "*") src += "[^.]*";
    else if (c === "?") src += ".";
    else src += escape(c);
  }
  return new RegExp(`^${src}$`);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

import { readFileSync } from "node:fs";

/** A fenced code block of a Markdown file, with the heading it stands under. */
export interface CodeBlock {
  readonly heading: string;
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** The fenced code blocks of a Markdown file, in order (only the outermost fences, ``` or longer). */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  let heading = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (h !== null) {
      heading = h[1] ?? "";
      continue;
    }
    const open = /^(`{3,})(\S*)\s*$/.exec(line);
    if (open === null) continue;
    const fence = open[1] ?? "```";
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? "").startsWith(fence); i++) body.push(lines[i] ?? "");
    blocks.push({ heading, lang: open[2] ?? "", code: `${body.join("\n")}\n`, line: start + 1 });
  }
  return blocks;
}

// Jest transform: TypeScript → ESM JavaScript with TypeScript 5.9's transpileModule (no type
// checking here; `npm run build` and the type-check tests do that).
const { createHash } = require("node:crypto");
const ts = require("typescript");

const compilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2023,
  inlineSourceMap: true,
  inlineSources: true,
  verbatimModuleSyntax: true,
};

module.exports = {
  process(sourceText, fileName) {
    const out = ts.transpileModule(sourceText, { fileName, compilerOptions });
    return { code: out.outputText };
  },
  getCacheKey(sourceText, fileName) {
    return createHash("sha256").update(ts.version).update("\0").update(fileName).update("\0").update(sourceText).digest("hex");
  },
};

import type { ApiModel } from "../model/api.js";
import { emitGroupVersionIndex } from "./index-files.js";
import { emitGroupVersionClient, emitRootIndex, type RootIndexOptions } from "./client-files.js";
import { emitFakeFile } from "./fake-file.js";
import { emitKindFile } from "./kind-file.js";
import { emitDefinitionsFile, emitTypesFile, type EmittedFile } from "./types-file.js";
import { emitValidateFile } from "./validate-file.js";

/** One output file: its path relative to the output root (`/`-separated) and how to make it. */
export interface FileTarget {
  readonly path: string;
  readonly emit: () => EmittedFile;
}

/** What to emit besides types, descriptors and clients. */
export interface PlanOptions {
  /** `<group>/<version>/validate.ts` with a validator per kind (default false). */
  readonly validators?: boolean | undefined;
  /** Compose the root index with a package of built-in clients (see {@link RootIndexOptions}). */
  readonly builtins?: string | undefined;
  /** `fake.ts`, the fake clientset (default true). */
  readonly fake?: boolean | undefined;
}

/** Every file the model produces, sorted by path. */
export function planFiles(api: ApiModel, options: PlanOptions = {}): FileTarget[] {
  const validators = options.validators ?? false;
  const targets: FileTarget[] = [{ path: "index.ts", emit: () => emitRootIndex(api, { builtins: options.builtins }) }];
  if (options.fake !== false) targets.push({ path: "fake.ts", emit: () => emitFakeFile(api, validators, { builtins: options.builtins }) });
  for (const m of api.typeModules ?? []) targets.push({ path: `${m.folder}/types.ts`, emit: () => emitDefinitionsFile(m.folder, m.definitions) });
  for (const group of api.groups) {
    for (const gv of group.versions) {
      targets.push({ path: `${gv.folder}/index.ts`, emit: () => emitGroupVersionIndex(gv, validators) });
      if (validators) targets.push({ path: `${gv.folder}/validate.ts`, emit: () => emitValidateFile(gv) });
      targets.push({ path: `${gv.folder}/types.ts`, emit: () => emitTypesFile(gv) });
      targets.push({ path: `${gv.folder}/client.ts`, emit: () => emitGroupVersionClient(gv) });
      for (const kind of gv.kinds) {
        targets.push({ path: `${gv.folder}/${kind.fileName}.ts`, emit: () => emitKindFile(gv, kind) });
      }
    }
  }
  return targets.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

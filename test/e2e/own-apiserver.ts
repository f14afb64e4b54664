import { afterAll, beforeAll, describe } from "@jest/globals";
import { createClientset, type Clientset } from "../../fixtures/generated/index.js";
import { ApiProxy } from "../support/api-proxy.js";
import { describeE2E, e2eBinaries } from "../support/e2e.js";
import { startApiServer, type ApiServer } from "@kube-codegen/envtest";
import { fixtureCrds, installCrds } from "./support.js";

/** What a suite with its own apiserver gets: the server, an admin clientset, a proxy in front. */
export interface OwnApiServer {
  readonly api: ApiServer;
  readonly cs: Clientset;
  readonly proxy: ApiProxy;
}

/**
 * `describe` with an apiserver of its own (to restart or compact it, or to run it with other
 * flags), the widget CRD installed and a test-controlled proxy in front; all stopped afterwards.
 * `own` is filled in before the first test. Without the e2e binaries it behaves as `describeE2E`.
 */
export function describeWithOwnApiServer(name: string, options: { readonly apiserverArgs?: readonly string[]; readonly timeoutMs?: number }, fn: (own: OwnApiServer) => void): void {
  const binaries = e2eBinaries();
  if (binaries === undefined) {
    describeE2E(name, () => undefined);
    return;
  }
  const own = {} as { api: ApiServer; cs: Clientset; proxy: ApiProxy };
  describe(name, () => {
    beforeAll(async () => {
      own.api = await startApiServer({ binaries, apiserverArgs: options.apiserverArgs ?? [] });
      own.cs = createClientset({ kubeconfigPath: own.api.kubeconfigPath, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
      await installCrds(own.cs.rest, fixtureCrds("widgets.yaml"));
      own.proxy = await ApiProxy.start({ url: own.api.url, caPem: own.api.caPem, token: own.api.adminToken });
    }, 90_000);
    afterAll(async () => {
      own.cs?.rest.close();
      await own.proxy?.stop();
      await own.api?.stop();
    });
    fn(own);
  });
}

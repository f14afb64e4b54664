/**
 * `@kube-codegen/envtest`: a real kube-apiserver and etcd for integration tests, like
 * controller-runtime's envtest. `startEnvironment({ crds })` finds (or builds) the binaries, starts
 * both on loopback, installs the CRDs and hands out connection options for an admin and an
 * unprivileged user.
 */
export { startEnvironment, type Environment, type EnvironmentOptions, type EnvtestUser } from "./environment.js";
export { installCrds, readCrds, EnvtestError, type CrdSource, type InstallCrdsOptions } from "./crds.js";
export { startApiServer, httpsRequest, type ApiServer, type ApiServerOptions } from "./apiserver.js";
export { findBinaries, BUILD_SCRIPT, ETCD_VERSION, KUBE_VERSION, type Binaries } from "./binaries.js";

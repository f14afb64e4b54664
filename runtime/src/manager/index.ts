export { createManager, Manager, type AddOptions, type ManagerLeaderElection, type ManagerOptions } from "./manager.js";
export { Checks, ping, type Checker } from "./health.js";
export { ManagerMetrics, type MetricsSources } from "./metrics.js";
export { EndpointServer, parseBindAddress, type Route } from "./endpoints.js";

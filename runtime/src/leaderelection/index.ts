export { defaultIdentity, JITTER_FACTOR, LeaderElectionLostError, LeaderElector, type LeaderCallbacks, type LeaderElectionOptions } from "./leader-elector.js";
export { leaseResource, LeaseLock, microTime, type LeaderElectionRecord, type LeaseClient, type LeaseObject, type ResourceLock } from "./lease-lock.js";

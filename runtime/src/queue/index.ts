export { FakeClock, realClock, type Clock, type Timer } from "./clock.js";
export { DurationHistogram, QUEUE_DURATION_BUCKETS, type DurationSummary, type QueueMetrics } from "./metrics.js";
export { BucketRateLimiter, defaultControllerRateLimiter, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter, type RateLimiter } from "./rate-limiter.js";
export { WorkQueue, type WorkQueueOptions } from "./work-queue.js";

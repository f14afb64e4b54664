/** Count, sum and buckets of observed durations (seconds), for a Prometheus histogram. */
export interface DurationSummary {
  readonly count: number;
  readonly sum: number;
  /** Upper bounds (seconds) of the buckets. */
  readonly bounds: readonly number[];
  /** Cumulative counts per upper bound. */
  readonly buckets: readonly number[];
}

/** client-go's workqueue histogram buckets: 10 ns to 10 s, ×10 each. */
export const QUEUE_DURATION_BUCKETS: readonly number[] = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10];

/**
 * What a queue tells about itself: the `workqueue_*` family client-go exports per queue (depth,
 * adds, queue latency, work duration, unfinished work, longest running processor, retries), as
 * plain numbers that an exporter reads when it is scraped.
 */
export interface QueueMetrics {
  readonly name: string;
  /** Items waiting to be processed (`workqueue_depth`). */
  readonly depth: number;
  /** `workqueue_adds_total`. */
  readonly adds: number;
  /** `workqueue_retries_total`: rate-limited adds. */
  readonly retries: number;
  /** `workqueue_queue_duration_seconds`: from add to get. */
  readonly queueDuration: DurationSummary;
  /** `workqueue_work_duration_seconds`: from get to done. */
  readonly workDuration: DurationSummary;
  /** `workqueue_unfinished_work_seconds`: the time items in processing have spent there so far. */
  readonly unfinishedWorkSeconds: number;
  /** `workqueue_longest_running_processor_seconds`. */
  readonly longestRunningProcessorSeconds: number;
}

/** A histogram being filled. */
export class DurationHistogram {
  #count = 0;
  #sum = 0;
  readonly #buckets: number[];

  constructor(readonly bounds: readonly number[] = QUEUE_DURATION_BUCKETS) {
    this.#buckets = bounds.map(() => 0);
  }

  /** Counts one duration. */
  observe(seconds: number): void {
    this.#count++;
    this.#sum += seconds;
    for (let i = 0; i < this.bounds.length; i++) if (seconds <= (this.bounds[i] as number)) this.#buckets[i] = (this.#buckets[i] as number) + 1;
  }

  /** Count, sum and cumulative buckets so far. */
  summary(): DurationSummary {
    return { count: this.#count, sum: this.#sum, bounds: this.bounds, buckets: [...this.#buckets] };
  }
}

/** A pending timer of a {@link Clock}. */
export interface Timer {
  /** Cancels the timer; nothing happens if it fired already. */
  cancel(): void;
}

/**
 * Time as the queue and the controllers see it: a monotonic `now()` in milliseconds and one-shot
 * timers. The real one is {@link realClock}; tests pass a {@link FakeClock} and move time by hand.
 */
export interface Clock {
  /** Milliseconds, monotonic (only differences mean anything). */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds, unless cancelled. */
  setTimer(fn: () => void, ms: number): Timer;
}

/** Wall time from `performance.now()` and `setTimeout`. */
export const realClock: Clock = {
  now: () => performance.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};

interface FakeTimer {
  readonly due: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to: `advance(ms)` fires every timer that comes due, in order
 * of due time (and of creation for equal times), with `now()` set to each one's time as it fires.
 * For tests of queues and controllers (client-go's `clock/testing.FakeClock`).
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: FakeTimer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  /** The clock's time: where `advance` left it. */
  now(): number {
    return this.#now;
  }

  /** A timer that fires when `advance` reaches its time. */
  setTimer(fn: () => void, ms: number): Timer {
    const timer: FakeTimer = { due: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Timers not yet fired nor cancelled. */
  get pending(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** The due time of the next timer, or undefined when none is pending. */
  nextDue(): number | undefined {
    const next = this.#next();
    return next?.due;
  }

  /** Moves time forward by `ms`, firing the timers that come due (timers they set included). */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (let t = this.#next(); t !== undefined && t.due <= until; t = this.#next()) {
      this.#timers.splice(this.#timers.indexOf(t), 1);
      this.#now = t.due;
      t.fn();
    }
    this.#now = until;
  }

  #next(): FakeTimer | undefined {
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    let best: FakeTimer | undefined;
    for (const t of this.#timers) if (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq)) best = t;
    return best;
  }
}

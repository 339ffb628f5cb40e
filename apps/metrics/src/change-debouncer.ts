/**
 * Coalesces work arriving close together into one flush: the first item starts a window of `windowMs`;
 * everything added until it closes is flushed together, and every caller waits for the flush that
 * covers its items (so a consumer commits its offsets only after its changes were recomputed). A
 * window also closes early once `maxPending` items wait. A failed flush fails all of its callers,
 * whose batches are then retried.
 */
export class ChangeDebouncer<T> {
  private pending: T[] = [];
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly windowMs: number,
    private readonly maxPending = 50_000,
  ) {}

  add(items: readonly T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    this.pending.push(...items);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.pending.length >= this.maxPending || this.windowMs === 0) this.closeWindow();
    else this.timer ??= setTimeout(() => this.closeWindow(), this.windowMs);
    return done;
  }

  private closeWindow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    // Flushes run one after another: a key is never recomputed by two overlapping flushes.
    this.flushing = this.flushing.then(
      () => this.run(items, waiters),
      () => this.run(items, waiters),
    );
  }

  private async run(items: T[], waiters: { resolve: () => void; reject: (error: unknown) => void }[]): Promise<void> {
    try {
      await this.flush(items);
      for (const waiter of waiters) waiter.resolve();
    } catch (error: unknown) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }
}

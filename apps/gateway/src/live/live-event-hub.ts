import type { MetricsUpdated, SyncEvent } from '@dev-health/schemas';

export type LiveEvent = { kind: 'metrics'; event: MetricsUpdated } | { kind: 'sync'; event: SyncEvent };

/** Events a slow subscriber may have waiting before the oldest are dropped (it is told nothing else). */
const BUFFER_LIMIT = 1_000;

/**
 * Fans the events this replica consumes out to its subscribers. Each subscription is an async
 * iterator with its own bounded buffer, so one slow client never holds the others back.
 */
export class LiveEventHub {
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly callbacks = new Set<(event: LiveEvent) => void>();

  get subscribers(): number {
    return this.listeners.size;
  }

  /** A plain callback for every event (caches that forget on change); returns its removal. */
  onEvent(listener: (event: LiveEvent) => void): () => void {
    this.callbacks.add(listener);
    return () => this.callbacks.delete(listener);
  }

  publish(event: LiveEvent): void {
    for (const callback of this.callbacks) callback(event);
    for (const listener of this.listeners) listener(event);
  }

  /** Events `select` maps to a value (null: not for this subscriber), until the client unsubscribes. */
  subscribe<T>(select: (event: LiveEvent) => T | null): AsyncIterableIterator<T> {
    const buffered: T[] = [];
    let waiting: ((result: IteratorResult<T>) => void) | null = null;
    let done = false;
    const listener = (event: LiveEvent) => {
      const value = select(event);
      if (value === null) return;
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value, done: false });
        return;
      }
      buffered.push(value);
      if (buffered.length > BUFFER_LIMIT) buffered.shift();
    };
    this.listeners.add(listener);
    const finish = (): Promise<IteratorResult<T>> => {
      done = true;
      this.listeners.delete(listener);
      waiting?.({ value: undefined, done: true });
      waiting = null;
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      next: () => {
        const value = buffered.shift();
        if (value !== undefined) return Promise.resolve({ value, done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: finish,
      throw: (error: unknown) => {
        void finish();
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

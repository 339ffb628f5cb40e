interface Entry {
  org: string;
  value: Promise<unknown>;
  /** Served as is until then; after, served while one refresh runs. */
  freshUntil: number;
  settled: boolean;
  refreshing: boolean;
}

/**
 * Dashboard answers of this replica, per org. Identical requests in flight share one computation. An
 * answer is dropped as soon as a change of its org arrives (a metrics update or a sync event, from the
 * replica's own live-event consumer); without one it is fresh for `ttlMs`, then served once more while
 * a single refresh runs in the background (so a busy dashboard never waits on expiry), and replaced by
 * it. The TTL bounds staleness when events stop (consumer down). `ttlMs` 0 turns the cache off.
 */
export class ResultCache {
  private readonly entries = new Map<string, Entry>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(org: string, key: string, compute: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return compute();
    const id = `${org}\u0000${key}`;
    const cached = this.entries.get(id);
    if (cached && (cached.freshUntil > this.now() || (cached.settled && !cached.refreshing))) {
      this.hits++;
      if (cached.freshUntil <= this.now()) this.refresh(id, cached, compute);
      return cached.value as Promise<T>;
    }
    if (cached?.refreshing) {
      this.hits++;
      return cached.value as Promise<T>;
    }
    this.misses++;
    return this.store(id, org, compute()) as Promise<T>;
  }

  private store(id: string, org: string, value: Promise<unknown>): Promise<unknown> {
    const entry: Entry = { org, value, freshUntil: this.now() + this.ttlMs, settled: false, refreshing: false };
    this.entries.delete(id);
    this.entries.set(id, entry);
    value.then(
      () => {
        entry.settled = true;
        entry.freshUntil = this.now() + this.ttlMs;
      },
      // A failure is not kept: the next request computes again.
      () => {
        if (this.entries.get(id) === entry) this.entries.delete(id);
      },
    );
    // Oldest first out (Map keeps insertion order).
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  private refresh(id: string, stale: Entry, compute: () => Promise<unknown>): void {
    stale.refreshing = true;
    compute().then(
      (value) => {
        // Invalidated meanwhile (the entry is gone or replaced): what it computed may predate the change.
        if (this.entries.get(id) !== stale) return;
        this.entries.delete(id);
        this.entries.set(id, {
          org: stale.org,
          value: Promise.resolve(value),
          freshUntil: this.now() + this.ttlMs,
          settled: true,
          refreshing: false,
        });
      },
      () => {
        if (this.entries.get(id) === stale) this.entries.delete(id);
      },
    );
  }

  /** Forgets every answer of an org: something it is computed from changed. */
  invalidate(org: string): void {
    for (const [id, entry] of this.entries) if (entry.org === org) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }
}

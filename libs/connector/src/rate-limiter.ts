/**
 * A token bucket: at most `perSecond` records on average, bursts up to one second's worth. A
 * connector calls take(n) before publishing n records; 0 means unlimited.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.tokens = perSecond;
    this.last = now();
  }

  get unlimited(): boolean {
    return this.perSecond <= 0;
  }

  /** Waits until `count` records may go. Larger than a burst: waits for the debt to be paid. */
  async take(count: number): Promise<void> {
    if (this.unlimited || count <= 0) return;
    this.refill();
    this.tokens -= count;
    if (this.tokens < 0) {
      await this.sleep((-this.tokens / this.perSecond) * 1000);
      this.refill();
    }
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }
}

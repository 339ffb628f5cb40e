import type { DataSource, QueryRunner } from 'typeorm';

/**
 * One active instance of a singleton job (the sync scheduler) among replicas: a session-level Postgres
 * advisory lock held on a dedicated connection. The holder keeps it until it closes or dies (its
 * session ends and the lock is released), then another replica's next tryLead() takes over.
 */
export class Leadership {
  private runner: QueryRunner | null = null;
  private leading = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly lockKey: number,
  ) {}

  /** True while this instance holds the lock; tries to take it when it does not. */
  async tryLead(): Promise<boolean> {
    if (this.leading) return true;
    this.runner ??= this.dataSource.createQueryRunner();
    await this.runner.connect();
    const rows = (await this.runner.query('SELECT pg_try_advisory_lock($1) AS locked', [this.lockKey])) as {
      locked: boolean;
    }[];
    this.leading = rows[0]?.locked === true;
    return this.leading;
  }

  async release(): Promise<void> {
    if (this.runner && this.leading)
      await this.runner.query('SELECT pg_advisory_unlock($1)', [this.lockKey]).catch(() => undefined);
    this.leading = false;
    await this.runner?.release();
    this.runner = null;
  }
}

/** The scheduler's lock key (any constant shared by every admin replica). */
export const SCHEDULER_LOCK_KEY = 7_163_240_512;

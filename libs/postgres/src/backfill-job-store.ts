import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  type BackfillChunk,
  type BackfillJob,
  type BackfillJobView,
  ConflictError,
  NotFoundError,
  type SyncRun,
  ValidationError,
  backfillChunks,
} from '@dev-health/control-plane';
import { type ControlPlaneStore, statementRows } from './control-plane-store';

/** What one pass of the job driver did. */
export interface BackfillAdvance {
  /** Chunk runs queued (the dispatcher sends their commands). */
  started: { job: string; chunk: number; run: SyncRun }[];
  /** Jobs that ended in this pass. */
  ended: BackfillJob[];
}

/**
 * Backfill jobs: a requested range cut into 7-day chunks that run one after another, each as a backfill
 * sync run of the integration (so through the same connector, raw topic, processor and sinks). Progress
 * lives per chunk, so a job resumes at its first unfinished chunk whatever stops in between; a chunk
 * whose run failed is retried up to `maxAttempts` times (a killed connector's run is failed by the
 * silence sweeper). Backfill runs never move incremental watermarks.
 */
export class BackfillJobStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly controlPlane: ControlPlaneStore,
    private readonly now: () => Date = () => new Date(),
    private readonly maxAttempts = 3,
  ) {}

  private query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return statementRows<T>(this.dataSource, sql, parameters);
  }

  /** Queues a job (the range is validated against the tier by the caller); its chunks are all pending. */
  async create(integrationId: string, since: Date, before: Date, orgs?: readonly string[]): Promise<BackfillJobView> {
    const integration = await this.controlPlane.getIntegration(integrationId, orgs);
    if (!integration.enabled) throw new ConflictError(`integration ${integration.name} is disabled`);
    if (!(since.getTime() < before.getTime()))
      throw new ValidationError([{ field: 'before', message: 'must be after since' }]);
    const id = randomUUID();
    const chunks = backfillChunks(since, before);
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO backfill_jobs (id, org_id, integration_id, since, before, status, requested_at)
         VALUES ($1, $2, $3, $4, $5, 'queued', $6)`,
        [id, integration.org_id, integration.id, since, before, this.now()],
      );
      await manager.query(
        `INSERT INTO backfill_chunks (job_id, chunk_index, window_start, window_end, status)
         SELECT $1, index - 1, starts[index], ends[index], 'pending'
         FROM generate_subscripts($2::timestamptz[], 1) AS index, (SELECT $2::timestamptz[] AS starts, $3::timestamptz[] AS ends) AS windows`,
        [id, chunks.map((chunk) => chunk.start.toISOString()), chunks.map((chunk) => chunk.end.toISOString())],
      );
    });
    return this.get(id);
  }

  async get(id: string, orgs?: readonly string[]): Promise<BackfillJobView> {
    const [job] = await this.query<BackfillJob>(`SELECT * FROM backfill_jobs WHERE id = $1`, [id]);
    if (!job || (orgs !== undefined && !orgs.includes(job.org_id)))
      throw new NotFoundError(`backfill job ${id} not found`);
    const chunks = await this.query<BackfillChunk>(
      `SELECT * FROM backfill_chunks WHERE job_id = $1 ORDER BY chunk_index`,
      [id],
    );
    const done = chunks.filter((chunk) => chunk.status === 'done').length;
    const records = chunks.reduce(
      (sum, chunk) =>
        sum +
        Object.entries(chunk.records).reduce(
          (total, [kind, count]) => (kind.startsWith('_') ? total : total + count),
          0,
        ),
      0,
    );
    return {
      ...job,
      chunks,
      progress: {
        chunks_done: done,
        chunks_total: chunks.length,
        percent: chunks.length === 0 ? 100 : Math.round((done / chunks.length) * 1000) / 10,
        records,
      },
    };
  }

  async list(org: string): Promise<BackfillJob[]> {
    return this.query<BackfillJob>(`SELECT * FROM backfill_jobs WHERE org_id = $1 ORDER BY requested_at DESC`, [org]);
  }

  /** Stops a job: no further chunk starts, and the running chunk's sync is cancelled. */
  async cancel(id: string, orgs?: readonly string[]): Promise<BackfillJobView> {
    const job = await this.get(id, orgs);
    if (job.status === 'queued' || job.status === 'running') {
      await this.query(
        `UPDATE backfill_jobs SET status = 'cancelled', finished_at = $2, error = 'cancelled on request'
          WHERE id = $1 AND status IN ('queued', 'running')`,
        [id, this.now()],
      );
      for (const chunk of job.chunks.filter((candidate) => candidate.status === 'running' && candidate.run_id))
        await this.controlPlane.cancelRun(chunk.run_id as string);
    }
    return this.get(id);
  }

  /**
   * One pass of the driver over every active job: a running chunk whose run ended is settled (done,
   * retried, or failing the job), then the next pending chunk is queued as a backfill run when the
   * integration has no active run (an incremental sync in flight goes first).
   */
  async advance(): Promise<BackfillAdvance> {
    const advance: BackfillAdvance = { started: [], ended: [] };
    const jobs = await this.query<BackfillJob>(
      `SELECT * FROM backfill_jobs WHERE status IN ('queued', 'running') ORDER BY requested_at`,
    );
    for (const job of jobs) {
      const ended = await this.advanceJob(job, advance);
      if (ended) advance.ended.push(ended);
    }
    return advance;
  }

  private async advanceJob(job: BackfillJob, advance: BackfillAdvance): Promise<BackfillJob | null> {
    const chunks = await this.query<BackfillChunk>(
      `SELECT * FROM backfill_chunks WHERE job_id = $1 ORDER BY chunk_index`,
      [job.id],
    );
    const running = chunks.find((chunk) => chunk.status === 'running');
    if (running?.run_id) {
      const run = await this.controlPlane.getRun(running.run_id);
      if (run.status === 'queued' || run.status === 'running') return null;
      if (run.status === 'succeeded') {
        await this.query(
          `UPDATE backfill_chunks SET status = 'done', records = $3, finished_at = $4 WHERE job_id = $1 AND chunk_index = $2`,
          [job.id, running.chunk_index, JSON.stringify(run.records), run.finished_at ?? this.now()],
        );
        running.status = 'done';
      } else if (run.status === 'failed' && running.attempts < this.maxAttempts) {
        // Resumed from this chunk: its records may be published again, which the stores absorb.
        await this.query(
          `UPDATE backfill_chunks SET status = 'pending', error = $3 WHERE job_id = $1 AND chunk_index = $2`,
          [job.id, running.chunk_index, run.error_message],
        );
        running.status = 'pending';
      } else {
        const error = `chunk ${running.chunk_index}: ${run.status}${run.error_message ? ` (${run.error_message})` : ''}`;
        await this.query(
          `UPDATE backfill_chunks SET status = 'failed', error = $3, finished_at = $4 WHERE job_id = $1 AND chunk_index = $2`,
          [job.id, running.chunk_index, run.error_message ?? run.status, this.now()],
        );
        return this.finish(job, run.status === 'cancelled' ? 'cancelled' : 'failed', error);
      }
    }
    const next = chunks.find((chunk) => chunk.status === 'pending');
    if (!next) return this.finish(job, 'succeeded', null);
    let requested: { run: SyncRun; created: boolean };
    try {
      requested = await this.controlPlane.requestSync(job.integration_id, 'backfill', {
        start: next.window_start,
        end: next.window_end,
      });
    } catch (error: unknown) {
      // Disabled or deleted meanwhile: the job cannot go on.
      if (error instanceof ConflictError || error instanceof NotFoundError)
        return this.finish(job, 'failed', error.message);
      throw error;
    }
    if (!requested.created) return null; // another run of the integration is active: wait for it
    const at = this.now();
    await this.query(
      `UPDATE backfill_chunks SET status = 'running', run_id = $3, attempts = attempts + 1, started_at = coalesce(started_at, $4)
        WHERE job_id = $1 AND chunk_index = $2`,
      [job.id, next.chunk_index, requested.run.id, at],
    );
    await this.query(
      `UPDATE backfill_jobs SET status = 'running', started_at = coalesce(started_at, $2) WHERE id = $1 AND status = 'queued'`,
      [job.id, at],
    );
    advance.started.push({ job: job.id, chunk: next.chunk_index, run: requested.run });
    return null;
  }

  private async finish(job: BackfillJob, status: 'succeeded' | 'failed' | 'cancelled', error: string | null) {
    // A job that succeeded queues the metrics rebuild of its org and range (sent by the admin service).
    const [ended] = await this.query<BackfillJob>(
      `UPDATE backfill_jobs SET status = $2, finished_at = $3, error = $4,
         rebuild_status = CASE WHEN $2 = 'succeeded' THEN 'queued' ELSE rebuild_status END
        WHERE id = $1 AND status IN ('queued', 'running') RETURNING *`,
      [job.id, status, this.now(), error],
    );
    return ended ?? null;
  }

  /** Rebuilds to (re)send: never sent, or neither taken nor reporting within `resendAfterMs`. */
  async rebuildsToDispatch(resendAfterMs: number): Promise<BackfillJob[]> {
    return this.query<BackfillJob>(
      `SELECT * FROM backfill_jobs WHERE rebuild_status IN ('queued', 'running')
         AND (rebuild_dispatched_at IS NULL
              OR (rebuild_dispatched_at < $1 AND coalesce(rebuild_updated_at, rebuild_dispatched_at) < $1))
        ORDER BY finished_at`,
      [new Date(this.now().getTime() - resendAfterMs)],
    );
  }

  async markRebuildDispatched(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.query(`UPDATE backfill_jobs SET rebuild_dispatched_at = $2 WHERE id = ANY($1::uuid[])`, [
      ids,
      this.now(),
    ]);
  }

  /** The metrics service's task.status of a job's rebuild; an ended rebuild keeps its end state. */
  async applyRebuildStatus(jobId: string, state: string, message: string | null): Promise<BackfillJob | null> {
    const [row] = await this.query<BackfillJob>(
      `UPDATE backfill_jobs SET rebuild_status = $2, rebuild_error = CASE WHEN $2 = 'failed' THEN $3 ELSE rebuild_error END,
         rebuild_updated_at = $4
        WHERE id = $1 AND rebuild_status IN ('queued', 'running') RETURNING *`,
      [jobId, state, message, this.now()],
    );
    return row ?? null;
  }
}

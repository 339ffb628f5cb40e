import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  ACTIVE_SYNC_STATUSES,
  type ApiKeyView,
  ConflictError,
  type FieldProblem,
  type Integration,
  type IntegrationScope,
  NotFoundError,
  type OrgTier,
  type RunOutcome,
  type Organization,
  type SyncMode,
  type SyncRun,
  ROLES,
  type Principal,
  type Role,
  ValidationError,
  generateApiKey,
  isCredentialRef,
  parseApiKey,
  secretMatches,
  parseCredentialRef,
  validateOrganization,
  validateSchedule,
  validateScope,
} from '@dev-health/control-plane';
import type { Provider } from '@dev-health/schemas';

export interface NewIntegration {
  org_id: string;
  provider: Provider;
  name: string;
  scope: IntegrationScope;
  schedule_interval_seconds?: number | null;
  enabled?: boolean;
  credential_ref?: string | null;
}

export type IntegrationChanges = Partial<
  Pick<NewIntegration, 'name' | 'scope' | 'schedule_interval_seconds' | 'enabled' | 'credential_ref'>
>;

export interface IntegrationHealth {
  integration_id: string;
  last_success_at: Date | null;
  /** Records the last successful run published, per entity kind. */
  last_success_records: Record<string, number>;
  last_failure_at: Date | null;
  last_failure_stage: string | null;
  last_failure_message: string | null;
  active_run_id: string | null;
  /** The provider rate-limit window the last run saw (null: never reported, e.g. local git). */
  rate_limit: number | null;
  rate_limit_remaining: number | null;
  rate_limit_reset_at: Date | null;
}

/** Per integration, what the data-health surfaces show: its syncs' outcomes and what they ingested. */
export interface SourceStatus {
  integration_id: string;
  provider: string;
  name: string;
  scope: Record<string, unknown>;
  enabled: boolean;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  last_failure_stage: string | null;
  last_failure_message: string | null;
  /** The most recent finished run: a failure newer than the last success shows here. */
  latest_status: string | null;
  /** Records published by every run, all kinds together. */
  rows_ingested: number;
  /** When a run that published records last finished. */
  last_ingested_at: Date | null;
}

/** Rows of a statement; TypeORM answers UPDATE … RETURNING with [rows, count], anything else with rows. */
export async function statementRows<T>(dataSource: DataSource, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result = await dataSource.query<unknown[]>(sql, parameters);
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

const ACTIVE = ACTIVE_SYNC_STATUSES.map((status) => `'${status}'`).join(', ');
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

function requireValid(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new ValidationError(problems);
}

function checkCredentialRef(value: string | null | undefined): FieldProblem[] {
  if (value === null || value === undefined) return [];
  if (typeof value !== 'string') return [{ field: 'credential_ref', message: 'must be a string or null' }];
  const parsed = parseCredentialRef(value);
  return isCredentialRef(parsed) ? [] : [parsed];
}

/**
 * The control plane in Postgres: organizations, integrations, sync runs (the one-active-run rule is a
 * partial unique index, so two requests racing cannot both start a run) and sync watermarks.
 */
export class ControlPlaneStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private query<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return statementRows<T>(this.dataSource, sql, parameters);
  }

  async createOrganization(input: { slug: string; name: string; tier?: OrgTier }): Promise<Organization> {
    requireValid(validateOrganization(input));
    const at = this.now();
    try {
      const [created] = await this.query<Organization>(
        `INSERT INTO organizations (slug, name, tier, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING *`,
        [input.slug, input.name, input.tier ?? 'community', at],
      );
      return created as Organization;
    } catch (error: unknown) {
      if (pgCode(error) === UNIQUE_VIOLATION) throw new ConflictError(`organization ${input.slug} exists`);
      throw error;
    }
  }

  async getOrganization(slug: string): Promise<Organization> {
    const [found] = await this.query<Organization>(`SELECT * FROM organizations WHERE slug = $1`, [slug]);
    if (!found) throw new NotFoundError(`organization ${slug} not found`);
    return found;
  }

  /** Every organization, or those named (a caller sees its own orgs only). */
  listOrganizations(slugs?: readonly string[]): Promise<Organization[]> {
    return slugs === undefined
      ? this.query<Organization>(`SELECT * FROM organizations ORDER BY slug`)
      : this.query<Organization>(`SELECT * FROM organizations WHERE slug = ANY($1) ORDER BY slug`, [slugs]);
  }

  async createIntegration(input: NewIntegration): Promise<Integration> {
    requireValid([
      ...(typeof input.name === 'string' && input.name.trim() !== '' && input.name.length <= 100
        ? []
        : [{ field: 'name', message: 'must be a non-empty string of at most 100 characters' }]),
      ...validateScope(input.provider, input.scope),
      ...validateSchedule(input.schedule_interval_seconds),
      ...checkCredentialRef(input.credential_ref),
    ]);
    const at = this.now();
    try {
      const [created] = await this.query<Integration>(
        `INSERT INTO integrations (id, org_id, provider, name, scope, schedule_interval_seconds, enabled, credential_ref,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING *`,
        [
          randomUUID(),
          input.org_id,
          input.provider,
          input.name,
          JSON.stringify(input.scope),
          input.schedule_interval_seconds ?? null,
          input.enabled ?? true,
          input.credential_ref ?? null,
          at,
        ],
      );
      return created as Integration;
    } catch (error: unknown) {
      if (pgCode(error) === UNIQUE_VIOLATION)
        throw new ConflictError(`integration ${input.name} exists in organization ${input.org_id}`);
      if (pgCode(error) === FOREIGN_KEY_VIOLATION) throw new NotFoundError(`organization ${input.org_id} not found`);
      throw error;
    }
  }

  /** The integration, if it belongs to one of `orgs` (undefined: any org). */
  async getIntegration(id: string, orgs?: readonly string[]): Promise<Integration> {
    const [found] = await this.query<Integration>(
      `SELECT * FROM integrations WHERE id::text = $1 AND ($2::text[] IS NULL OR org_id = ANY($2))`,
      [id, orgs ?? null],
    );
    if (!found) throw new NotFoundError(`integration ${id} not found`);
    return found;
  }

  listIntegrations(org: string): Promise<Integration[]> {
    return this.query<Integration>(`SELECT * FROM integrations WHERE org_id = $1 ORDER BY name`, [org]);
  }

  async updateIntegration(id: string, changes: IntegrationChanges, orgs?: readonly string[]): Promise<Integration> {
    const current = await this.getIntegration(id, orgs);
    const next = { ...current, ...changes };
    requireValid([
      ...(changes.scope === undefined ? [] : validateScope(current.provider, changes.scope)),
      ...validateSchedule(next.schedule_interval_seconds),
      ...checkCredentialRef(changes.credential_ref),
      ...(changes.enabled === undefined || typeof changes.enabled === 'boolean'
        ? []
        : [{ field: 'enabled', message: 'must be true or false' }]),
    ]);
    try {
      const [updated] = await this.query<Integration>(
        `UPDATE integrations SET name = $2, scope = $3, schedule_interval_seconds = $4, enabled = $5,
           credential_ref = $6, updated_at = $7 WHERE id = $1 RETURNING *`,
        [
          current.id,
          next.name,
          JSON.stringify(next.scope),
          next.schedule_interval_seconds,
          next.enabled,
          next.credential_ref,
          this.now(),
        ],
      );
      return updated as Integration;
    } catch (error: unknown) {
      if (pgCode(error) === UNIQUE_VIOLATION) throw new ConflictError(`integration ${String(next.name)} exists`);
      throw error;
    }
  }

  /**
   * Queues a sync of an enabled integration, unless one is queued or running already: then that one is
   * returned with created = false. The partial unique index decides, so concurrent requests agree.
   */
  async requestSync(
    integrationId: string,
    mode: SyncMode,
    window: { start: Date; end: Date } | null = null,
    orgs?: readonly string[],
  ): Promise<{ run: SyncRun; created: boolean }> {
    const integration = await this.getIntegration(integrationId, orgs);
    if (!integration.enabled) throw new ConflictError(`integration ${integration.name} is disabled`);
    const [created] = await this.query<SyncRun>(
      `INSERT INTO sync_runs (id, integration_id, org_id, mode, status, window_start, window_end, requested_at, records)
       VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7, '{}')
       ON CONFLICT (integration_id) WHERE status IN (${ACTIVE}) DO NOTHING RETURNING *`,
      [randomUUID(), integration.id, integration.org_id, mode, window?.start ?? null, window?.end ?? null, this.now()],
    );
    if (created) return { run: created, created: true };
    const [active] = await this.query<SyncRun>(
      `SELECT * FROM sync_runs WHERE integration_id = $1 AND status IN (${ACTIVE})`,
      [integration.id],
    );
    if (!active) return this.requestSync(integrationId, mode, window, orgs); // it finished in between
    return { run: active, created: false };
  }

  /** queued → running; false when the run is not queued (another connector took it, or it was cancelled). */
  async startRun(runId: string): Promise<boolean> {
    const at = this.now();
    const started = await this.query<{ id: string }>(
      `UPDATE sync_runs SET status = 'running', started_at = $2, heartbeat_at = $2 WHERE id = $1 AND status = 'queued'
       RETURNING id`,
      [runId, at],
    );
    return started.length === 1;
  }

  /**
   * Progress of a running run: its records so far, and proof the connector is alive. False when the run
   * is no longer running (cancelled, or failed by the sweeper): the connector should stop it.
   */
  async heartbeat(runId: string, records: Record<string, number>): Promise<boolean> {
    const alive = await this.query<{ id: string }>(
      `UPDATE sync_runs SET heartbeat_at = $2, records = $3 WHERE id = $1 AND status = 'running' RETURNING id`,
      [runId, this.now(), JSON.stringify(records)],
    );
    return alive.length === 1;
  }

  /**
   * running → queued: a connector that is shutting down hands its run back, to be resumed (from the
   * watermarks saved so far) by whichever connector takes the re-sent command.
   */
  async requeueRun(runId: string, records: Record<string, number>): Promise<boolean> {
    const requeued = await this.query<{ id: string }>(
      `UPDATE sync_runs SET status = 'queued', dispatched_at = NULL, records = $2 WHERE id = $1 AND status = 'running'
       RETURNING id`,
      [runId, JSON.stringify(records)],
    );
    return requeued.length === 1;
  }

  /** Stops an active run on request: a queued one never starts, a running one is stopped at its next heartbeat. */
  async cancelRun(runId: string, orgs?: readonly string[]): Promise<SyncRun> {
    const run = await this.getRun(runId, orgs);
    await this.finishRun(run.id, { status: 'cancelled', message: 'cancelled on request' });
    return this.getRun(run.id);
  }

  /**
   * Queued runs whose command was never sent, or was sent more than `resendAfterMs` ago and not taken
   * (the admin service died after queuing, or no connector was up): the dispatcher (re)sends these.
   */
  runsToDispatch(resendAfterMs: number, limit = 100): Promise<(SyncRun & { provider: Provider })[]> {
    return this.query<SyncRun & { provider: Provider }>(
      `SELECT r.*, i.provider FROM sync_runs r JOIN integrations i ON i.id = r.integration_id
       WHERE r.status = 'queued' AND (r.dispatched_at IS NULL OR r.dispatched_at < $1)
       ORDER BY r.requested_at LIMIT $2`,
      [new Date(this.now().getTime() - resendAfterMs), limit],
    );
  }

  async markDispatched(runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    await this.query(`UPDATE sync_runs SET dispatched_at = $2 WHERE id = ANY($1::uuid[]) AND status = 'queued'`, [
      runIds,
      this.now(),
    ]);
  }

  /** Ends an active run; a run that ended already is left as it is (false). */
  async finishRun(runId: string, outcome: RunOutcome, records?: Record<string, number>): Promise<boolean> {
    const failed = outcome.status === 'failed' ? outcome : null;
    const finished = await this.query<{ id: string }>(
      `UPDATE sync_runs SET status = $2, finished_at = $3, records = coalesce($4::jsonb, records),
         error_stage = $5, error_message = $6
       WHERE id = $1 AND status IN (${ACTIVE}) RETURNING id`,
      [
        runId,
        outcome.status,
        this.now(),
        records === undefined ? null : JSON.stringify(records),
        failed?.stage ?? null,
        outcome.status === 'succeeded' ? null : outcome.message,
      ],
    );
    return finished.length === 1;
  }

  /**
   * Running syncs whose connector stopped reporting (killed, evicted, crashed) are failed, so no run
   * stays "running" forever and the integration can sync again; so are runs queued for longer than
   * `queuedForMs` that no connector took (none runs for that provider).
   */
  async failSilentRuns(silentForMs: number, queuedForMs = 3_600_000): Promise<SyncRun[]> {
    const now = this.now().getTime();
    const silent = await this.query<SyncRun>(
      `UPDATE sync_runs SET status = 'failed', finished_at = $2, error_stage = 'connector',
         error_message = 'no progress for ' || $3::text || ' s: the connector stopped (killed or restarted)'
       WHERE status = 'running' AND heartbeat_at < $1 RETURNING *`,
      [new Date(now - silentForMs), this.now(), String(Math.round(silentForMs / 1000))],
    );
    const untaken = await this.query<SyncRun>(
      `UPDATE sync_runs SET status = 'failed', finished_at = $2, error_stage = 'dispatch',
         error_message = 'no connector took the run within ' || $3::text || ' s: is a connector for its provider running?'
       WHERE status = 'queued' AND requested_at < $1 RETURNING *`,
      [new Date(now - queuedForMs), this.now(), String(Math.round(queuedForMs / 1000))],
    );
    return [...silent, ...untaken];
  }

  /**
   * The scheduler's tick: queues an incremental sync of every enabled, scheduled integration whose last
   * incremental request is older than its interval and that has no active run. Idempotent: ticking
   * twice, or from two instances, queues nothing twice (the one-active-run index decides).
   */
  enqueueDueSyncs(): Promise<SyncRun[]> {
    return this.query<SyncRun>(
      `INSERT INTO sync_runs (id, integration_id, org_id, mode, status, requested_at, records)
       SELECT gen_random_uuid(), i.id, i.org_id, 'incremental', 'queued', $1, '{}'
       FROM integrations i
       WHERE i.enabled AND i.schedule_interval_seconds IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM sync_runs r WHERE r.integration_id = i.id AND r.mode = 'incremental'
                           AND r.requested_at > $1::timestamptz - make_interval(secs => i.schedule_interval_seconds))
       ORDER BY i.id
       ON CONFLICT (integration_id) WHERE status IN (${ACTIVE}) DO NOTHING
       RETURNING *`,
      [this.now()],
    );
  }

  async getRun(runId: string, orgs?: readonly string[]): Promise<SyncRun> {
    const [found] = await this.query<SyncRun>(
      `SELECT * FROM sync_runs WHERE id::text = $1 AND ($2::text[] IS NULL OR org_id = ANY($2))`,
      [runId, orgs ?? null],
    );
    if (!found) throw new NotFoundError(`sync run ${runId} not found`);
    return found;
  }

  listRuns(org: string, options: { integrationId?: string; limit?: number } = {}): Promise<SyncRun[]> {
    return this.query<SyncRun>(
      `SELECT * FROM sync_runs WHERE org_id = $1 AND ($2::text IS NULL OR integration_id::text = $2)
       ORDER BY requested_at DESC, id LIMIT $3`,
      [org, options.integrationId ?? null, Math.min(options.limit ?? 50, 500)],
    );
  }

  /** Per integration of an org: last success (and what it ingested), last failure (stage, message), active run. */
  async integrationHealth(org: string): Promise<IntegrationHealth[]> {
    return this.query<IntegrationHealth>(
      `SELECT i.id AS integration_id,
              s.finished_at AS last_success_at, coalesce(s.records, '{}'::jsonb) AS last_success_records,
              f.finished_at AS last_failure_at, f.error_stage AS last_failure_stage, f.error_message AS last_failure_message,
              a.id AS active_run_id,
              r.limit AS rate_limit, r.remaining AS rate_limit_remaining, r.reset_at AS rate_limit_reset_at
       FROM integrations i
       LEFT JOIN integration_rate_limits r ON r.integration_id = i.id
       LEFT JOIN LATERAL (SELECT finished_at, records FROM sync_runs WHERE integration_id = i.id AND status = 'succeeded'
                          ORDER BY finished_at DESC LIMIT 1) s ON true
       LEFT JOIN LATERAL (SELECT finished_at, error_stage, error_message FROM sync_runs
                          WHERE integration_id = i.id AND status = 'failed' ORDER BY finished_at DESC LIMIT 1) f ON true
       LEFT JOIN LATERAL (SELECT id FROM sync_runs WHERE integration_id = i.id AND status IN (${ACTIVE})) a ON true
       WHERE i.org_id = $1 ORDER BY i.name`,
      [org],
    );
  }

  /** Every integration of `org` with its sync outcomes and ingestion totals, in one statement. */
  async sourceStatuses(org: string): Promise<SourceStatus[]> {
    const rows = await this.query<SourceStatus & { rows_ingested: string }>(
      `SELECT i.id AS integration_id, i.provider, i.name, i.scope, i.enabled,
              s.finished_at AS last_success_at,
              f.finished_at AS last_failure_at, f.error_stage AS last_failure_stage, f.error_message AS last_failure_message,
              l.status AS latest_status,
              coalesce(t.rows_ingested, 0) AS rows_ingested, t.last_ingested_at
       FROM integrations i
       LEFT JOIN LATERAL (SELECT finished_at FROM sync_runs WHERE integration_id = i.id AND status = 'succeeded'
                          ORDER BY finished_at DESC LIMIT 1) s ON true
       LEFT JOIN LATERAL (SELECT finished_at, error_stage, error_message FROM sync_runs
                          WHERE integration_id = i.id AND status = 'failed' ORDER BY finished_at DESC LIMIT 1) f ON true
       LEFT JOIN LATERAL (SELECT status FROM sync_runs WHERE integration_id = i.id AND finished_at IS NOT NULL
                          ORDER BY finished_at DESC LIMIT 1) l ON true
       LEFT JOIN LATERAL (SELECT sum(counts.total) AS rows_ingested,
                                 max(counts.finished_at) FILTER (WHERE counts.total > 0) AS last_ingested_at
                          FROM (SELECT r.finished_at, (SELECT coalesce(sum(value::bigint), 0) FROM jsonb_each_text(r.records)) AS total
                                FROM sync_runs r WHERE r.integration_id = i.id) counts) t ON true
       WHERE i.org_id = $1 ORDER BY i.name, i.id`,
      [org],
    );
    return rows.map((row) => ({ ...row, rows_ingested: Number(row.rows_ingested) }));
  }

  async saveRateLimit(
    integrationId: string,
    rateLimit: { limit: number | null; remaining: number | null; resetAt: number | null },
  ): Promise<void> {
    await this.query(
      `INSERT INTO integration_rate_limits (integration_id, "limit", remaining, reset_at, observed_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (integration_id) DO UPDATE SET "limit" = EXCLUDED."limit", remaining = EXCLUDED.remaining,
         reset_at = EXCLUDED.reset_at, observed_at = EXCLUDED.observed_at`,
      [
        integrationId,
        rateLimit.limit,
        rateLimit.remaining,
        rateLimit.resetAt === null ? null : new Date(rateLimit.resetAt),
      ],
    );
  }

  async saveWatermarks(
    integrationId: string,
    watermarks: readonly { target: string; cursor: string }[],
  ): Promise<void> {
    if (watermarks.length === 0) return;
    await this.query(
      `INSERT INTO sync_watermarks (integration_id, target, cursor, updated_at)
       SELECT $1, w.target, w.cursor, $3 FROM jsonb_to_recordset($2::jsonb) AS w(target text, cursor text)
       ON CONFLICT (integration_id, target) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
      [integrationId, JSON.stringify(watermarks), this.now()],
    );
  }

  async loadWatermarks(integrationId: string): Promise<Map<string, string>> {
    const rows = await this.query<{ target: string; cursor: string }>(
      `SELECT target, cursor FROM sync_watermarks WHERE integration_id = $1`,
      [integrationId],
    );
    return new Map(rows.map((row) => [row.target, row.cursor]));
  }

  /** The organization, created (community tier) if missing: for connectors run as one-off jobs from their env. */
  async ensureOrganization(slug: string): Promise<Organization> {
    requireValid(validateOrganization({ slug, name: slug }));
    await this.query(
      `INSERT INTO organizations (slug, name, tier, created_at, updated_at) VALUES ($1, $1, 'community', $2, $2)
       ON CONFLICT (slug) DO NOTHING`,
      [slug, this.now()],
    );
    return this.getOrganization(slug);
  }

  /** The integration of that org and name, created or given this scope: a job's env-configured integration. */
  async ensureIntegration(input: NewIntegration): Promise<Integration> {
    const [existing] = await this.query<Integration>(`SELECT * FROM integrations WHERE org_id = $1 AND name = $2`, [
      input.org_id,
      input.name,
    ]);
    if (!existing) {
      try {
        return await this.createIntegration(input);
      } catch (error: unknown) {
        if (!(error instanceof ConflictError)) throw error; // created concurrently: update that one
        return this.ensureIntegration(input);
      }
    }
    if (existing.provider !== input.provider)
      throw new ConflictError(`integration ${input.name} of ${input.org_id} is a ${existing.provider} integration`);
    return this.updateIntegration(existing.id, { scope: input.scope, enabled: true });
  }

  /** The integration's cached provider responses: request key → ETag and the body it validated. */
  async loadHttpCache(integrationId: string): Promise<Map<string, { etag: string; body: unknown }>> {
    const rows = await this.query<{ key: string; etag: string; body: unknown }>(
      `SELECT key, etag, body FROM http_cache WHERE integration_id = $1`,
      [integrationId],
    );
    return new Map(rows.map((row) => [row.key, { etag: row.etag, body: row.body }]));
  }

  async saveHttpCache(
    integrationId: string,
    entries: readonly { key: string; etag: string; body: unknown }[],
  ): Promise<void> {
    if (entries.length === 0) return;
    await this.query(
      `INSERT INTO http_cache (integration_id, key, etag, body, updated_at)
       SELECT $1, e.key, e.etag, e.body, $3 FROM jsonb_to_recordset($2::jsonb) AS e(key text, etag text, body jsonb)
       ON CONFLICT (integration_id, key) DO UPDATE SET etag = excluded.etag, body = excluded.body,
         updated_at = excluded.updated_at`,
      [integrationId, JSON.stringify(entries), this.now()],
    );
  }

  /** A new API key; its token is returned this once and never stored. */
  async createApiKey(input: {
    name: string;
    role: Role;
    orgs: string[] | null;
  }): Promise<{ principal: Principal; token: string }> {
    requireValid([
      ...(typeof input.name === 'string' && input.name.trim() !== ''
        ? []
        : [{ field: 'name', message: 'must be a non-empty string' }]),
      ...(ROLES.includes(input.role) ? [] : [{ field: 'role', message: `must be one of ${ROLES.join(', ')}` }]),
    ]);
    if (input.orgs !== null) for (const org of input.orgs) await this.getOrganization(org);
    const key = generateApiKey();
    await this.query(
      `INSERT INTO api_keys (id, name, secret_hash, role, orgs, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [key.id, input.name, key.secretHash, input.role, input.orgs, this.now()],
    );
    return { principal: { keyId: key.id, name: input.name, role: input.role, orgs: input.orgs }, token: key.token };
  }

  /** The caller a bearer token names, or null (unknown, malformed, wrong secret or revoked: all alike). */
  async authenticate(token: string): Promise<Principal | null> {
    const parsed = parseApiKey(token);
    if (!parsed) return null;
    const [row] = await this.query<{
      id: string;
      name: string;
      secret_hash: string;
      role: Role;
      orgs: string[] | null;
    }>(`SELECT id, name, secret_hash, role, orgs FROM api_keys WHERE id = $1 AND revoked_at IS NULL`, [parsed.id]);
    if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
    // At most one write a minute per key: a busy dashboard's every request would otherwise update the row.
    await this.query(
      `UPDATE api_keys SET last_used_at = $2
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $2::timestamptz - interval '1 minute')`,
      [row.id, this.now()],
    );
    return { keyId: row.id, name: row.name, role: row.role, orgs: row.orgs };
  }

  listApiKeys(): Promise<ApiKeyView[]> {
    return this.query<ApiKeyView>(
      `SELECT id, name, role, orgs, created_at, last_used_at, revoked_at FROM api_keys ORDER BY created_at, id`,
    );
  }

  async getApiKey(id: string): Promise<ApiKeyView> {
    const [found] = await this.query<ApiKeyView>(
      `SELECT id, name, role, orgs, created_at, last_used_at, revoked_at FROM api_keys WHERE id = $1`,
      [id],
    );
    if (!found) throw new NotFoundError(`API key ${id} not found`);
    return found;
  }

  async revokeApiKey(id: string): Promise<void> {
    await this.query(`UPDATE api_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`, [id, this.now()]);
  }
}

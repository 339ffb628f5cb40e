import { CORRELATION_HEADERS, KafkaClient } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { Topology } from '@dev-health/schemas';
import {
  type RunningService,
  createGitRepository,
  createTestDatabase,
  queryRows,
  runToCompletion,
  stackEndpoints,
  startService,
  uniqueName,
  waitFor,
} from '@dev-health/testing';

const FILES = 30_000;
const kafka = new KafkaClient(
  { brokers: stackEndpoints().kafkaBrokers, clientId: 'oversized-test' },
  new JsonLogger('test', 'error'),
);

/**
 * A vendoring commit touching 30,000 files is several MiB as one raw payload, over the broker's message
 * limit: the connector publishes it in parts, the processor makes one commit and 30,000 file changes,
 * and the repository's watermark moves on (a rerun publishes nothing).
 */
describe('a commit too large for one record (real stack)', () => {
  const endpoints = stackEndpoints();
  const running: RunningService[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < FILES; index++)
      files[`vendor/github.com/org-${index % 97}/library-${index}/pkg/file_${index}.go`] = `package p${index}\n`;
    const repository = createGitRepository([
      {
        authorName: 'Ada',
        authorEmail: 'ada@example.com',
        date: '2026-03-02T09:00:00+00:00',
        message: 'Add the app',
        files: { 'main.go': 'package main\n' },
      },
      {
        authorName: 'Bob',
        authorEmail: 'bob@example.com',
        date: '2026-03-03T10:00:00+00:00',
        message: 'Vendor everything',
        files,
      },
    ]);
    database = await createTestDatabase(endpoints.databaseUri, 'oversized');
    env = {
      KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      SCHEMA_REGISTRY_URL: endpoints.schemaRegistryUrl,
      DATABASE_URI: database.uri,
      TOPIC_PREFIX: uniqueName('oversized'),
      GIT_REPOSITORIES: repository,
    };
    for (const name of ['processor', 'sink-postgres'] as const) {
      const service = startService(name, env);
      running.push(service);
      await service.waitForLog(/consuming/);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(running.map((service) => service.stop()));
    await database?.drop();
  });

  it('publishes it in parts and stores one commit with its totals and every file change once', async () => {
    const run = await runToCompletion('connector-git', env);
    expect(run.code).toBe(0);
    expect(run.output).toContain('"commitsPublished":2');
    await waitFor(
      async () => {
        const [row] = await queryRows<{ files: number }>(
          database.uri,
          `SELECT count(*)::int AS files FROM commit_file_changes`,
        ).catch(() => [{ files: 0 }]);
        return row?.files === FILES + 1;
      },
      { description: `${FILES + 1} file changes in Postgres`, timeoutMs: 120_000, intervalMs: 1_000 },
    );
    const commits = await queryRows<{ message_subject: string; files_changed: number; additions: number }>(
      database.uri,
      `SELECT message_subject, files_changed, additions FROM commits ORDER BY authored_at`,
    );
    expect(commits).toEqual([
      { message_subject: 'Add the app', files_changed: 1, additions: 1 },
      { message_subject: 'Vendor everything', files_changed: FILES, additions: FILES },
    ]);
    const [distinct] = await queryRows<{ changes: number }>(
      database.uri,
      `SELECT count(DISTINCT (commit_id, path))::int AS changes FROM commit_file_changes`,
    );
    expect(distinct?.changes).toBe(FILES + 1);

    // Every canonical record says which sync run fetched it and which raw record it came from.
    const runs = await queryRows<{ id: string }>(database.uri, `SELECT id::text FROM sync_runs`);
    expect(runs).toHaveLength(1);
    const headers: Record<string, string>[] = [];
    await kafka.readToEnd(new Topology(env.TOPIC_PREFIX ?? '').canonical('commit'), (record) =>
      headers.push(record.headers),
    );
    expect(headers).toHaveLength(2);
    for (const header of headers) {
      expect(header[CORRELATION_HEADERS.syncRun]).toBe(runs[0]?.id);
      expect(header[CORRELATION_HEADERS.rawRecord]).toMatch(/\.raw\.git\/\d+\/\d+$/);
    }

    // The watermark moved past it: a rerun has nothing to publish.
    const rerun = await runToCompletion('connector-git', env);
    expect(rerun.code).toBe(0);
    expect(rerun.output).toContain('"commitsPublished":0');
  }, 240_000);
});

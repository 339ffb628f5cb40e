/**
 * Local git end to end: a generated repository goes through connector → processor → sink-postgres →
 * metrics, timed against `git log --numstat` on the same repository (the ratio is the figure), with
 * peak RSS per service. With BENCH_SINKS=postgres,clickhouse,mongo the other sinks run too, each as
 * its own consumer group, and the time until each store holds every file change is reported.
 * Run: npm run bench:git -- [commits] [filesPerCommit]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { ClickHouseStore } from '@dev-health/clickhouse';
import { MongoStore } from '@dev-health/mongo';
import { createLargeRepository, createTestDatabase, queryRows, stackEndpoints, waitFor } from '@dev-health/testing';
import { Fleet, pipelineEnvironment, runMain, secondsSince as seconds, writeResult } from './harness';

export async function measureLocalGit(commits = 50_000, filesPerCommit = 3, extraSinks: string[] = []) {
  const endpoints = stackEndpoints();
  let started = process.hrtime.bigint();
  const repository = await createLargeRepository({
    commits,
    filesPerCommit,
    linesPerFile: 5,
    authors: 25,
    start: 1_735_689_600,
    secondsBetween: 900,
  });
  const generateSeconds = seconds(started);

  started = process.hrtime.bigint();
  const gitLog = spawnSync('git', ['-C', repository, 'log', '--numstat', '--date=raw', '--all'], {
    maxBuffer: 1 << 30,
  });
  const gitLogSeconds = seconds(started);
  if (gitLog.status !== 0) throw new Error('git log failed');

  const database = await createTestDatabase(endpoints.databaseUri, 'bench_git');
  const { env, clickhouseDatabase, mongoUri } = pipelineEnvironment('bench_git', database.uri);
  // VmHWM is the kernel's own peak; the fleet samples it while processes live (the connector exits early).
  const fleet = new Fleet({ ...env, GIT_REPOSITORIES: repository, BATCH_SIZE: '2000' });
  try {
    const sinkServices = extraSinks.map((sink) =>
      sink === 'clickhouse' ? ('sink-clickhouse' as const) : ('sink-mongo' as const),
    );
    await fleet.startConsuming(['processor', 'sink-postgres', ...sinkServices, 'metrics']);
    started = process.hrtime.bigint();
    const connector = fleet.start('connector-git', { LOG_LEVEL: 'warn' });
    const connectorCode = await connector.exited;
    const connectorSeconds = seconds(started);
    if (connectorCode !== 0) throw new Error(`connector failed:\n${connector.logs()}`);

    const expectedFiles = commits * filesPerCommit;
    await waitFor(
      async () => {
        const [row] = await queryRows<{ commits: number; files: number }>(
          database.uri,
          'SELECT (SELECT count(*)::int FROM commits) AS commits, (SELECT count(*)::int FROM commit_file_changes) AS files',
        );
        return row?.commits === commits && row.files === expectedFiles;
      },
      { description: 'all commits and file changes in Postgres', timeoutMs: 1_800_000, intervalMs: 500 },
    );
    const storedSeconds = seconds(started);
    const days = Number(
      execFileSync('git', ['-C', repository, 'log', '--format=%ad', '--date=format-local:%Y-%m-%d'], {
        encoding: 'utf8',
        env: { ...process.env, TZ: 'UTC' },
      })
        .split('\n')
        .filter(Boolean)
        .reduce((set, day) => set.add(day), new Set<string>()).size,
    );
    await waitFor(
      async () => {
        const [row] = await queryRows<{ days: number; commits: number }>(
          database.uri,
          `SELECT count(*)::int AS days, coalesce(sum(commits), 0)::int AS commits FROM (
             SELECT DISTINCT ON (repository_id, day) commits FROM repo_metrics_daily ORDER BY repository_id, day, computed_at DESC) latest`,
        );
        return row?.days === days && row.commits === commits;
      },
      { description: 'metrics for every day', timeoutMs: 1_800_000, intervalMs: 500 },
    );
    const metricsSeconds = seconds(started);
    const storeSeconds: Record<string, number> = { postgres: +storedSeconds.toFixed(2) };
    for (const sink of extraSinks) {
      if (sink === 'clickhouse') {
        const clickhouse = await ClickHouseStore.connect(endpoints.clickhouseUrl, clickhouseDatabase);
        await waitFor(async () => (await clickhouse.countEntities('commit_file_change')) === expectedFiles, {
          description: 'all file changes in ClickHouse',
          timeoutMs: 1_800_000,
          intervalMs: 500,
        });
        storeSeconds.clickhouse = +seconds(started).toFixed(2);
        await clickhouse.client.command({ query: `DROP DATABASE IF EXISTS ${clickhouseDatabase}` });
        await clickhouse.close();
      } else {
        const mongo = await MongoStore.connect(mongoUri);
        await waitFor(async () => (await mongo.countEntities('commit_file_change')) === expectedFiles, {
          description: 'all file changes in MongoDB',
          timeoutMs: 1_800_000,
          intervalMs: 500,
        });
        storeSeconds.mongo = +seconds(started).toFixed(2);
        await mongo.db.dropDatabase();
        await mongo.close();
      }
    }

    const canonicalRecords = commits * (1 + filesPerCommit) + commits; // commit + file changes + identity per commit
    const result = {
      commits,
      filesPerCommit,
      generateSeconds: +generateSeconds.toFixed(2),
      gitLogNumstatSeconds: +gitLogSeconds.toFixed(2),
      connectorSeconds: +connectorSeconds.toFixed(2),
      inPostgresSeconds: +storedSeconds.toFixed(2),
      metricsCompleteSeconds: +metricsSeconds.toFixed(2),
      ratioToGitLog: +(metricsSeconds / gitLogSeconds).toFixed(1),
      commitsPerSecond: Math.round(commits / storedSeconds),
      canonicalRecordsPerSecond: Math.round(canonicalRecords / storedSeconds),
      secondsUntilStoreComplete: storeSeconds,
      rowsPerSecondByStore: Object.fromEntries(
        Object.entries(storeSeconds).map(([store, time]) => [store, Math.round(canonicalRecords / time)]),
      ),
      peakRssMb: Object.fromEntries(fleet.peaks),
    };
    return result;
  } finally {
    await fleet.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () => {
    const extraSinks = (process.env.BENCH_SINKS ?? 'postgres')
      .split(',')
      .filter((sink) => sink === 'clickhouse' || sink === 'mongo');
    const result = await measureLocalGit(Number(process.argv[2] ?? 50_000), Number(process.argv[3] ?? 3), extraSinks);
    writeResult('local-git', result);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  });

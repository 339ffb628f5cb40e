/**
 * Fault injection: a synthetic run through the whole pipeline (connector → processor → three sinks →
 * metrics) while services, the broker, the registry and the databases fail, checked against a clean run.
 *   full (default): ≥ 200,000 canonical records in 11 phases: each service SIGKILLed 10× (the connector
 *                   too: a killed run-once publisher is run again and republishes its org), the broker
 *                   SIGKILLed and restarted, the registry and each database down for 60 s;
 *   ci:             ~20,000 records in 4 phases: each service killed 2×, a broker restart, the registry
 *                   and Postgres down for 15 s (a few minutes; scripts/test runs it).
 * Each phase publishes its own org at a pace that outlasts its faults and sends 1 % malformed raw records
 * alongside. After each phase settles, every store is counted by natural key for that org against the
 * clean run (lost, duplicates), the latest metric rows of Postgres, ClickHouse and MongoDB are compared
 * with the clean run's (without computed_at), and every malformed record must be on the processor's
 * dead-letter topic with a reason. Exit code 1 when anything differs or a service does not recover.
 * Run: npm run chaos [-- ci]        (CHAOS_SEED=<n> repeats a run's random moments)
 * Needs the local stack (scripts/stack): component faults go through `scripts/stack kill|stop|start`.
 */
import { ClickHouseStore } from '@dev-health/clickhouse';
import { KafkaClient } from '@dev-health/kafka';
import { MongoStore } from '@dev-health/mongo';
import { JsonLogger } from '@dev-health/observability';
import { PostgresStore } from '@dev-health/postgres';
import { AvroSerde } from '@dev-health/registry';
import { STORED_ENTITY_NAMES, Topology } from '@dev-health/schemas';
import { Random, SyntheticGenerator, identityAliases } from '@dev-health/synthetic';
import { createTestDatabase, stackEndpoints, startService, waitFor } from '@dev-health/testing';
import { syntheticEnvironment } from '../apps/connector-synthetic/src/config';
import { markdownTable, percentile, pipelineEnvironment, runMain, writeResult } from './harness';
import { type OrgCensus, STORES, type StoreHandles, censusSignature, takeCensuses } from './chaos/census';
import { ChaosFleet, PIPELINE_SERVICES } from './chaos/fleet';
import { type PhaseResult, runPhase } from './chaos/phase';
import { type Profile, profileNamed } from './chaos/profiles';
import { StackControl } from './chaos/stack-control';

const log = (message: string) => process.stderr.write(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function bestEffort(description: string, action: () => Promise<unknown>): Promise<void> {
  await action().catch((error: unknown) =>
    log(`warning: ${description} failed: ${error instanceof Error ? error.message : String(error)}`),
  );
}

/** Endpoints, fresh store names and the identity table of the phases' orgs (one shape: one table). */
function environmentFor(label: string, databaseUri: string, profile: Profile) {
  const pipeline = pipelineEnvironment(label, databaseUri);
  const [first] = profile.phases;
  if (!first) throw new Error(`profile ${profile.name} has no phases`);
  pipeline.env.IDENTITY_ALIASES = JSON.stringify(identityAliases(new SyntheticGenerator(first.generator).organisation));
  return pipeline;
}

interface Pipeline {
  env: Record<string, string>;
  topology: Topology;
  fleet: ChaosFleet;
  stores: StoreHandles;
  close: () => Promise<void>;
}

/** A fresh Postgres database, ClickHouse and Mongo databases and topic prefix, and the services on them. */
async function startPipeline(label: string, profile: Profile, kafka: KafkaClient): Promise<Pipeline> {
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, label);
  const pipeline = environmentFor(label, database.uri, profile);
  const topology = new Topology(pipeline.prefix);
  const fleet = new ChaosFleet(label, pipeline.env, kafka, topology);
  await fleet.startAll();
  const stores: StoreHandles = {
    postgres: await PostgresStore.connect(database.uri, `chaos-${label}`),
    clickhouse: await ClickHouseStore.connect(endpoints.clickhouseUrl, pipeline.clickhouseDatabase),
    mongo: await MongoStore.connect(pipeline.mongoUri),
  };
  // What the run leaves behind is removed as well as it can be: a failed drop is reported, not a failed run.
  const close = async () => {
    await fleet.stopAll();
    await bestEffort(`dropping ClickHouse ${pipeline.clickhouseDatabase}`, () =>
      stores.clickhouse.client.command({ query: `DROP DATABASE IF EXISTS ${pipeline.clickhouseDatabase}` }),
    );
    await bestEffort('closing ClickHouse', () => stores.clickhouse.close());
    await bestEffort(`dropping Mongo ${pipeline.mongoUri}`, () => stores.mongo.db.dropDatabase());
    await bestEffort('closing Mongo', () => stores.mongo.close());
    await bestEffort('closing Postgres', () => stores.postgres.close());
    await bestEffort(`dropping Postgres ${database.name}`, () => database.drop());
  };
  return { env: pipeline.env, topology, fleet, stores, close };
}

/**
 * The reference: every phase's org through the same services on their own topics and stores, with no
 * fault and no pacing. Per org, what each store must hold and the metric rows every store must show.
 */
async function cleanRun(profile: Profile, kafka: KafkaClient): Promise<Map<string, OrgCensus>> {
  const pipeline = await startPipeline('chaos_clean', profile, kafka);
  try {
    for (const phase of profile.phases) {
      const connector = startService(
        'connector-synthetic',
        { ...pipeline.env, ORG_ID: phase.org, ...syntheticEnvironment(phase.generator) },
        `chaos-clean-connector-${phase.org}`,
      );
      if ((await connector.exited) !== 0)
        throw new Error(`clean connector for ${phase.org} failed:\n${connector.logs()}`);
    }
    let previous = '';
    const censuses = await waitFor(
      async () => {
        const lags = await Promise.all(PIPELINE_SERVICES.map((name) => kafka.groupLag(pipeline.fleet.group(name))));
        if (lags.some((lag) => lag > 0)) return undefined;
        const read = await takeCensuses(
          pipeline.stores,
          profile.phases.map((phase) => phase.org),
        );
        const signature = [...read.values()].map(censusSignature).join('\n');
        const stable = signature === previous;
        previous = signature;
        return stable ? read : undefined;
      },
      { description: 'the clean run to settle', timeoutMs: 1_800_000, intervalMs: 3_000 },
    );
    if (pipeline.fleet.crashes.length > 0)
      throw new Error(`a service crashed in the clean run: ${JSON.stringify(pipeline.fleet.crashes)}`);
    return censuses;
  } finally {
    await pipeline.close();
  }
}

/** The clean run must itself be whole: the three stores agree on every entity and metric row, one row per key. */
function referenceProblems(org: string, census: OrgCensus): string[] {
  const problems: string[] = [];
  for (const store of STORES)
    for (const entity of STORED_ENTITY_NAMES) {
      const { rows, keys } = census.entities[store][entity];
      const want = census.entities.postgres[entity].keys;
      if (rows !== keys.length || keys.join('\n') !== want.join('\n'))
        problems.push(`${org} ${store} ${entity}: ${rows} rows, ${keys.length} keys, Postgres ${want.length}`);
    }
  for (const store of ['clickhouse', 'mongo'] as const)
    if (JSON.stringify(census.metrics[store]) !== JSON.stringify(census.metrics.postgres))
      problems.push(`${org}: ${store} metric rows differ from Postgres in the clean run`);
  return problems;
}

type Row = [string, string, string, string, string, string, string, string];

function table(results: readonly PhaseResult[]): string {
  const recovery = (values: number[]) =>
    values.length === 0
      ? 'n/a'
      : `${((percentile(values, 0.5) ?? 0) / 1_000).toFixed(1)} / ${(Math.max(...values) / 1_000).toFixed(1)} s`;
  const rows: Row[] = results.map((result) => [
    result.name,
    result.skipped ? `skipped: ${result.skipped}` : String(result.injected),
    String(result.lost),
    String(result.duplicates),
    String(result.metricRowsDiffering),
    `${result.malformed.deadLettered}/${result.malformed.injected}`,
    recovery(result.recoveryMs),
    result.skipped ? 'SKIPPED' : result.failures.length === 0 ? 'pass' : 'FAIL',
  ]);
  const header: Row = [
    'fault',
    'times injected',
    'records lost',
    'duplicates',
    'metric rows differing',
    'malformed dead-lettered',
    'recovery p50 / max',
    'result',
  ];
  return markdownTable(header, rows);
}

runMain(async () => {
  const profile = profileNamed(process.argv[2] ?? 'full');
  const seed = process.env.CHAOS_SEED ?? String(Date.now() % 1_000_000);
  const endpoints = stackEndpoints();
  const { control: stack, reason } = StackControl.forEnvironment(process.env);
  log(`profile ${profile.name}, seed ${seed} (CHAOS_SEED=${seed} repeats it), ${profile.phases.length} phases`);
  if (!stack) log(`component faults will be SKIPPED: ${reason}`);
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'chaos' },
    new JsonLogger('chaos', 'error'),
  );
  const serde = new AvroSerde(endpoints.schemaRegistryUrl);
  const started = Date.now();

  log('clean run (the reference)');
  const expected = await cleanRun(profile, kafka);
  const referenceFailures = [...expected].flatMap(([org, census]) => referenceProblems(org, census));
  const canonicalRecords = [...expected.values()].reduce(
    (sum, census) =>
      sum + STORED_ENTITY_NAMES.reduce((total, entity) => total + census.entities.postgres[entity].keys.length, 0),
    0,
  );
  log(`clean run: ${canonicalRecords.toLocaleString('en')} canonical records in ${expected.size} orgs`);

  const pipeline = await startPipeline('chaos', profile, kafka);
  const results: PhaseResult[] = [];
  try {
    for (const [index, spec] of profile.phases.entries()) {
      const reference = expected.get(spec.org);
      if (!reference) throw new Error(`no clean census for ${spec.org}`);
      const result = await runPhase(
        {
          profile,
          fleet: pipeline.fleet,
          kafka,
          serde,
          topology: pipeline.topology,
          env: pipeline.env,
          stack,
          stores: pipeline.stores,
          expected: reference,
          random: new Random(seed, spec.org, index),
          log,
        },
        spec,
      );
      results.push(result);
      if (result.crashes > 0 || result.registryRestarts > 0)
        log(
          `${spec.name}: ${result.crashes} exits the suite did not cause, ${result.registryRestarts} registry restarts`,
        );
      log(
        `${spec.name}: ${result.failures.length === 0 ? 'pass' : `FAIL: ${result.failures.join('; ')}`} (${result.seconds} s)`,
      );
      if (result.failures.length > 0) {
        for (const name of PIPELINE_SERVICES) log(`log tail of ${pipeline.fleet.logTail(name, 15)}`);
        log('restarting every service, so the next phase does not inherit this failure');
        await pipeline.fleet.restartAll();
      }
    }
  } finally {
    const crashes = pipeline.fleet.crashes;
    if (crashes.length > 0) log(`services that exited on their own and were restarted: ${JSON.stringify(crashes)}`);
    await pipeline.close();
  }

  const failed = results.filter((result) => result.failures.length > 0);
  const file = writeResult('chaos', {
    profile: profile.name,
    seed,
    canonicalRecords,
    seconds: Math.round((Date.now() - started) / 1_000),
    referenceFailures,
    phases: results,
  });
  process.stdout.write(`${table(results)}\n`);
  process.stdout.write(
    `${profile.name}: ${canonicalRecords.toLocaleString('en')} canonical records (clean run), seed ${seed}, ${Math.round((Date.now() - started) / 1_000)} s; results in ${file}\n`,
  );
  for (const problem of referenceFailures) process.stdout.write(`clean run: ${problem}\n`);
  for (const result of failed)
    process.stdout.write(`FAILED ${result.name} (${result.org}): ${result.failures.join('; ')}\n`);
  if (failed.length > 0 || referenceFailures.length > 0) process.exitCode = 1;
});

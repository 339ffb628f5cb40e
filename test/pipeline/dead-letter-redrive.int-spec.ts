import { type Server, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { type IncomingRecord, KafkaClient, REDRIVEN_FROM_HEADER } from '@dev-health/kafka';
import { JsonLogger } from '@dev-health/observability';
import { AvroSerde } from '@dev-health/registry';
import { type RawRecord, SchemaCatalog, Topology } from '@dev-health/schemas';
import {
  AdminApi,
  type RunningService,
  createTestDatabase,
  issueApiKey,
  listeningUrl,
  pipelineEnvironment,
  queryRows,
  runToCompletion,
  stackEndpoints,
  startService,
  waitFor,
} from '@dev-health/testing';

/**
 * A schema registry of another environment, as a processor deployed with the wrong SCHEMA_REGISTRY_URL
 * sees one: it knows the schemas registered through it (the processor's own canonical ones) and no
 * other, so the connector's raw-record schema id is "not found" there and every raw record is poison.
 */
async function otherEnvironmentRegistry(registryUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(registryUrl);
  const registeredHere = new Set<number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const lookup = /\/schemas\/ids\/(\d+)/.exec(path);
      if (request.method === 'GET' && lookup && !registeredHere.has(Number(lookup[1]))) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error_code: 40403, message: 'Schema not found' }));
        return;
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      void fetch(new URL(path, upstream.origin), {
        method: request.method ?? 'GET',
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
        ...(body === undefined ? {} : { body }),
      })
        .then(async (answer) => {
          const text = await answer.text();
          if (request.method === 'POST' && answer.ok && /\/versions$/.test(path)) {
            const { id } = JSON.parse(text) as { id?: unknown };
            if (typeof id === 'number') registeredHere.add(id);
          }
          response.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/json',
          });
          response.end(text);
        })
        .catch((error: unknown) => {
          response.writeHead(502);
          response.end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface DeadLetterJson {
  offset: string;
  reason: string;
  source: { topic: string; partition: number; offset: string };
  org_id: string | null;
  redrive: { status: string } | null;
}

/**
 * Poison fixed by a deploy, then redriven: a processor deployed against the wrong schema registry
 * dead-letters raw commits it cannot decode; the processor is redeployed with the right registry; the
 * operator finds the dead letters with `dho dlq list|show` and redrives them with `dho dlq redrive`.
 * Each lands once in Postgres, however often (and however concurrently) it is redriven.
 */
describe('dead-letter redrive (real stack, dho CLI)', () => {
  const endpoints = stackEndpoints();
  const kafka = new KafkaClient(
    { brokers: endpoints.kafkaBrokers, clientId: 'redrive-test' },
    new JsonLogger('test', 'error'),
  );
  const serde = new AvroSerde(endpoints.schemaRegistryUrl);
  const services: RunningService[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let registry: Awaited<ReturnType<typeof otherEnvironmentRegistry>>;
  let env: Record<string, string>;
  let topology: Topology;
  let cliEnv: Record<string, string>;
  let api: AdminApi;

  const dho = async (...args: string[]) => {
    const { code, output } = await runToCompletion('cli', cliEnv, 60_000, args);
    const json = output
      .split('\n')
      .filter((line) => line.startsWith('{') || line.startsWith('['))
      .map((line) => JSON.parse(line) as unknown);
    return { code, output, json: json[0] };
  };
  const start = (
    name: 'processor' | 'sink-postgres' | 'admin',
    overrides: Record<string, string> = {},
    label?: string,
  ) => {
    const service = startService(name, { ...env, ...overrides }, label ?? name);
    services.push(service);
    return service;
  };

  beforeAll(async () => {
    database = await createTestDatabase(endpoints.databaseUri, 'redrive');
    const pipeline = pipelineEnvironment('redrive', database.uri);
    env = pipeline.env;
    topology = new Topology(pipeline.prefix);
    registry = await otherEnvironmentRegistry(endpoints.schemaRegistryUrl);
    const token = await issueApiKey(env);
    const admin = start('admin');
    const adminUrl = await listeningUrl(admin);
    cliEnv = { DHO_API_URL: adminUrl, DHO_API_KEY: token };
    api = new AdminApi(adminUrl, token);
    await start('sink-postgres').waitForLog(/sink-postgres consuming/);
  });

  afterAll(async () => {
    await Promise.all(services.map((service) => service.stop()));
    await registry?.close();
    await database?.drop();
  });

  const shas = ['a1'.repeat(20), 'b2'.repeat(20)];
  const commitIds = shas.map((sha) => `git:commit:org/repo/${sha}`);

  function rawCommit(sha: string): RawRecord {
    return {
      org_id: 'default',
      provider: 'git',
      entity_kind: 'commit',
      source_id: sha,
      scope: 'org/repo',
      fetched_at: Date.UTC(2026, 0, 1),
      request: null,
      cursor: null,
      sync_mode: 'incremental',
      backfill_job_id: null,
      payload: JSON.stringify({
        sha,
        parents: [],
        author: { name: 'A', email: 'a@x.io', timestamp: 1_767_225_600, timezone: '+0000' },
        committer: { name: 'A', email: 'a@x.io', timestamp: 1_767_225_600, timezone: '+0000' },
        subject: 'redrive me',
        files: [{ path: 'f', additions: 1, deletions: 0 }],
      }),
    };
  }

  const readAll = async (topic: string) => {
    const records: IncomingRecord[] = [];
    await kafka.readToEnd(topic, (record) => records.push(record));
    return records;
  };

  it('lists, shows and redrives dead letters once each, after a deploy fixed their cause', async () => {
    const rawTopic = topology.raw('git');
    const deadLetterTopic = topology.deadLetter('processor');

    // Deployed with another environment's registry: the raw commits cannot be decoded, so they are dead-lettered.
    const misconfigured = start('processor', { SCHEMA_REGISTRY_URL: registry.url }, 'processor-wrong-registry');
    await misconfigured.waitForLog(/processor consuming/);
    await serde.register(Topology.subject(rawTopic), SchemaCatalog.load().get('raw', 'raw-record').schema);
    const producer = kafka.createProducer();
    await producer.send(
      await Promise.all(
        shas.map(async (sha) => ({
          topic: rawTopic,
          key: `org/repo/commit/${sha}`,
          value: await serde.encode(Topology.subject(rawTopic), rawCommit(sha)),
        })),
      ),
    );
    await producer.disconnect();
    await waitFor(
      async () => {
        const listed = await dho('--json', 'dlq', 'list');
        const groups = listed.json as { group: string; records: number }[] | undefined;
        return groups?.find((group) => group.group === 'processor')?.records === 2;
      },
      { description: 'two dead letters of the processor', timeoutMs: 60_000, intervalMs: 1_000 },
    );

    // The fix: the processor redeployed with the right registry. It does not see the dead letters by itself.
    await misconfigured.stop();
    await start('processor', {}, 'processor-fixed').waitForLog(/processor consuming/);

    const listed = await dho('dlq', 'list');
    expect(listed.code).toBe(0);
    expect(listed.output).toContain(`processor\t2 records\t0 redriven\t${deadLetterTopic}`);

    const shown = await dho('--json', 'dlq', 'show', 'processor');
    expect(shown.code).toBe(0);
    const { records } = shown.json as { records: DeadLetterJson[] };
    expect(records).toHaveLength(2);
    for (const record of records) {
      expect(record.reason).toMatch(/Avro decode failed \(schema id \d+\): .*not found/i);
      expect(record.source.topic).toBe(rawTopic);
      expect(`${record.source.partition}/${record.source.offset}`).toMatch(/^\d+\/\d+$/);
      expect(record.org_id).toBe('default');
      expect(record.redrive).toBeNull();
    }
    const [first, second] = records.map((record) => record.offset);
    const human = await dho('dlq', 'show', 'processor');
    const { source, failed_at: failedAt } = records[0] as DeadLetterJson & { failed_at: string };
    expect(human.output).toContain(
      `${first}\t${failedAt}\t${rawTopic}/${source.partition}/${source.offset}\tdefault\tnot redriven\tAvro decode failed`,
    );

    // Redrive the first; redrive it again: the second time publishes nothing.
    const redriven = await dho('--json', 'dlq', 'redrive', 'processor', String(first));
    expect(redriven.code).toBe(0);
    expect(redriven.json).toMatchObject({ published: 1, results: [{ offset: first, outcome: 'published' }] });
    const again = await dho('dlq', 'redrive', 'processor', String(first));
    expect(again.code).toBe(0);
    expect(again.output).toContain(`${first}\talready-redriven\t${rawTopic}/`);
    expect(again.output).toContain('0 published to their source topics');

    // Two operators redriving the second at the same moment: one publishes, the other does not.
    const racing = await Promise.all([1, 2].map(() => api.ok('POST', '/dlq/processor/redrive', { offsets: [second] })));
    expect(racing.map((answer) => answer.published).sort()).toEqual([0, 1]);
    const everything = await dho('--json', 'dlq', 'redrive', 'processor', '--all');
    expect(everything.json).toMatchObject({
      published: 0,
      results: [
        { offset: first, outcome: 'already-redriven' },
        { offset: second, outcome: 'already-redriven' },
      ],
    });

    // Each commit stored once, from its redriven copy.
    const stored = await waitFor(
      async () => {
        const rows = await queryRows<{ id: string; raw_offset: string }>(
          database.uri,
          `SELECT id, provenance->>'raw_offset' AS raw_offset FROM commits WHERE id = ANY($1) ORDER BY id`,
          [commitIds],
        );
        return rows.length === 2 && rows;
      },
      { description: 'both commits in Postgres', timeoutMs: 60_000, intervalMs: 500 },
    );
    const copies = (await readAll(rawTopic)).filter((record) => record.headers[REDRIVEN_FROM_HEADER] !== undefined);
    expect(copies.map((copy) => copy.headers[REDRIVEN_FROM_HEADER]).sort()).toEqual(
      [`${deadLetterTopic}/0/${first}`, `${deadLetterTopic}/0/${second}`].sort(),
    );
    expect(stored.map((row) => row.raw_offset).sort()).toEqual(copies.map((copy) => copy.offset).sort());

    // Once the processor has read the raw topic to its end, each commit was derived exactly once.
    await waitFor(
      async () => {
        const ends = await kafka.endOffsets(rawTopic);
        const committed = await kafka.committedOffsets(topology.group('processor'), rawTopic);
        return [...ends].every(([partition, end]) => end === '0' || committed.get(partition) === end);
      },
      { description: 'the processor at the end of the raw topic', timeoutMs: 60_000, intervalMs: 500 },
    );
    const derived = (await readAll(topology.canonical('commit'))).map((record) => record.key);
    expect(derived.sort()).toEqual([...commitIds].sort());
    expect((await dho('dlq', 'list')).output).toContain(`processor\t2 records\t2 redriven`);
  });

  it('shows dead letters only to keys for every org, and lets only operator keys redrive', async () => {
    const orgAdmin = await issueApiKey(env, { name: 'org-admin', role: 'admin', orgs: 'default' });
    const refused = await runToCompletion('cli', { ...cliEnv, DHO_API_KEY: orgAdmin }, 60_000, ['dlq', 'list']);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/only a key for every organization can read dead letters.*\(HTTP 403\)/);
    const viewer = await issueApiKey(env, { name: 'all-viewer', role: 'viewer' });
    const viewerEnv = { ...cliEnv, DHO_API_KEY: viewer };
    expect((await runToCompletion('cli', viewerEnv, 60_000, ['dlq', 'show', 'processor'])).code).toBe(0);
    const redrive = await runToCompletion('cli', viewerEnv, 60_000, ['dlq', 'redrive', 'processor', '--all']);
    expect(redrive.code).toBe(1);
    expect(redrive.output).toMatch(/only an operator key .* can redrive dead letters \(HTTP 403\)/);
    const unknown = await dho('dlq', 'show', 'no-such-group');
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/HTTP 404/);
    expect((await dho('dlq', 'redrive', 'processor')).code).toBe(2);
  });
});

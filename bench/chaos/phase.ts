import type { KafkaClient } from '@dev-health/kafka';
import type { AvroSerde } from '@dev-health/registry';
import { STORED_ENTITY_NAMES, METRIC_ENTITY_NAMES, type Topology } from '@dev-health/schemas';
import { type Random, SyntheticGenerator } from '@dev-health/synthetic';
import { waitFor } from '@dev-health/testing';
import { syntheticEnvironment } from '../../apps/connector-synthetic/src/config';
import {
  type OrgCensus,
  type StoreHandles,
  STORES,
  type StoreName,
  censusSignature,
  differingLines,
  keysMissingFrom,
  takeCensus,
} from './census';
import { ConnectorRun } from './connector-run';
import { type ChaosFleet, PIPELINE_SERVICES, type PipelineService } from './fleet';
import { type DeadLetterCheck, checkDeadLetters, malformedRecords, sendSpread } from './malformed';
import type { Fault, PhaseSpec, Profile, ServiceTarget } from './profiles';
import type { StackComponent, StackControl } from './stack-control';

/** The services whose recovery a component's fault is measured on: those that use it. */
const USERS_OF: Record<StackComponent, readonly PipelineService[]> = {
  kafka: PIPELINE_SERVICES,
  registry: PIPELINE_SERVICES,
  // The registry keeps its schemas in Postgres, so every service that decodes depends on it too.
  postgres: PIPELINE_SERVICES,
  clickhouse: ['sink-clickhouse'],
  mongo: ['sink-mongo'],
};

/** How long a phase may take to settle after its last fault: every group caught up, the stores holding still. */
const SETTLE_TIMEOUT_MS = 300_000;

export interface PhaseContext {
  profile: Profile;
  fleet: ChaosFleet;
  kafka: KafkaClient;
  serde: AvroSerde;
  topology: Topology;
  env: Record<string, string>;
  stack: StackControl | null;
  stores: StoreHandles;
  expected: OrgCensus;
  random: Random;
  log: (message: string) => void;
}

export interface StoreOutcome {
  lost: number;
  duplicates: number;
  /** Keys the clean run does not have (a malformed record that reached a store would be one). */
  unexpected: number;
  metricRowsDiffering: number;
}

export interface PhaseResult {
  name: string;
  org: string;
  /** Set when the phase could not inject its fault here (no control over the stack's servers). */
  skipped: string | null;
  injected: number;
  rawRecords: number;
  canonicalRecords: number;
  byStore: Record<StoreName, StoreOutcome>;
  lost: number;
  duplicates: number;
  unexpected: number;
  metricRowsDiffering: number;
  malformed: DeadLetterCheck;
  recoveryMs: number[];
  connectorRuns: number;
  /** Exits the suite did not cause, after which the service was started again. */
  crashes: number;
  registryRestarts: number;
  seconds: number;
  failures: string[];
}

/** Raw records the connector publishes for these options (the generator is deterministic and cheap). */
function rawRecordCount(generator: SyntheticGenerator): number {
  let count = 0;
  for (const batch of generator.batches()) count += batch.length;
  return count;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Waits for `work` at most `ms` (its timer cleared after, so it holds no process open). */
async function untilDone(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * One phase: its org published at a pace that outlasts the faults, 1 % malformed raw records sent
 * alongside, the faults injected at seeded random moments; then, once everything settled, the stores
 * compared with the clean run and the dead-letter topic checked.
 */
export async function runPhase(context: PhaseContext, spec: PhaseSpec): Promise<PhaseResult> {
  const started = Date.now();
  const { fleet, profile, log } = context;
  const failures: string[] = [];
  const skipped = needsStack(spec.fault) && !context.stack ? 'no control over the stack’s servers' : null;

  const rawRecords = rawRecordCount(new SyntheticGenerator(spec.generator));
  const ratePerSecond = Math.ceil(rawRecords / spec.windowSeconds);
  const malformed = await malformedRecords(
    context.serde,
    context.topology,
    spec.org,
    Math.ceil(rawRecords * profile.malformedShare),
  );
  const rawTopic = context.topology.raw('synthetic');
  let malformedSent = 0;
  const injecting = sendSpread(context.kafka, rawTopic, malformed, spec.windowSeconds * 900, () => malformedSent++);
  const connector = new ConnectorRun(spec.org, {
    ...context.env,
    ...syntheticEnvironment(spec.generator),
    ORG_ID: spec.org,
    SYNTHETIC_RATE_LIMIT: String(ratePerSecond),
    BATCH_SIZE: String(Math.max(1, Math.round(ratePerSecond / 2))),
  });
  let connectorDone = false;
  const completion = connector.completion().then(() => (connectorDone = true));
  log(`${spec.name}: org ${spec.org}, ${rawRecords} raw records at ${ratePerSecond}/s, ${malformed.length} malformed`);

  const crashesBefore = fleet.crashes.length;
  const recoveryMs: number[] = [];
  let injected = 0;
  let registryRestarts = 0;
  const rawPublished = async () => {
    let total = 0;
    for (const high of (await context.kafka.endOffsets(rawTopic)).values()) total += Number(high);
    return total - malformedSent;
  };
  const injection = {
    fleet,
    connector,
    random: context.random,
    bound: profile.recoveryBoundMs,
    rawPublished,
    onRecovered: (ms: number) => recoveryMs.push(ms),
    onInjected: () => injected++,
    log,
  };
  try {
    if (!skipped) {
      const fault = spec.fault;
      switch (fault.kind) {
        case 'kill-services':
          await killServices(injection, fault.services, fault.times, started, spec.windowSeconds * 1_000);
          break;
        case 'kill-broker':
        case 'outage':
          registryRestarts += await componentFault(
            injection,
            context.stack as StackControl,
            fault,
            started,
            spec.windowSeconds * 1_000,
          );
          break;
      }
    }
  } catch (error: unknown) {
    failures.push(`fault injection: ${error instanceof Error ? error.message : String(error)}`);
  }

  await untilDone(completion, spec.windowSeconds * 3_000 + profile.recoveryBoundMs);
  if (!connectorDone) failures.push(`the connector did not finish:\n${connector.logTail()}`);
  await injecting.catch((error: unknown) => failures.push(`sending malformed records: ${String(error)}`));

  const census = await settle(context, spec.org).catch((error: unknown) => {
    failures.push(`did not settle: ${error instanceof Error ? error.message : String(error)}`);
    return takeCensus(context.stores, spec.org);
  });
  const deadLetters = await checkDeadLetters(context.kafka, context.topology, malformed);
  const byStore = compare(context.expected, census);
  const total = (field: keyof StoreOutcome) => STORES.reduce((sum, store) => sum + byStore[store][field], 0);
  const result: PhaseResult = {
    name: spec.name,
    org: spec.org,
    skipped,
    injected,
    rawRecords,
    canonicalRecords: STORED_ENTITY_NAMES.reduce(
      (sum, entity) => sum + context.expected.entities.postgres[entity].keys.length,
      0,
    ),
    byStore,
    lost: total('lost'),
    duplicates: total('duplicates'),
    unexpected: total('unexpected'),
    metricRowsDiffering: total('metricRowsDiffering'),
    malformed: deadLetters,
    recoveryMs,
    connectorRuns: connector.runs,
    crashes: fleet.crashes.length - crashesBefore + connector.crashes,
    registryRestarts,
    seconds: Math.round((Date.now() - started) / 1_000),
    failures,
  };
  failures.push(...verdict(result, spec));
  return result;
}

function needsStack(fault: Fault): boolean {
  return fault.kind !== 'kill-services';
}

interface Injection {
  fleet: ChaosFleet;
  connector: ConnectorRun;
  random: Random;
  bound: number;
  rawPublished: () => Promise<number>;
  onRecovered: (ms: number) => void;
  onInjected: () => void;
  log: (message: string) => void;
}

/**
 * `times` SIGKILLs of each service, each service on its own timeline (several services in one phase fail
 * independently, as pods do): one kill in each equal slot of the window, at a seeded random moment of
 * it. The victim is restarted at once, and its next kill waits for its recovery.
 */
async function killServices(
  injection: Injection,
  services: readonly ServiceTarget[],
  times: number,
  started: number,
  windowMs: number,
): Promise<void> {
  const slotMs = windowMs / times;
  // Drawn before any wait, so a seed gives the same moments however long each recovery takes.
  const timelines = services.map((service) => ({
    service,
    moments: Array.from(
      { length: times },
      (_, slot) => started + (slot + 0.1 + 0.8 * injection.random.next()) * slotMs,
    ),
  }));
  await Promise.all(
    timelines.map(async ({ service, moments }) => {
      for (const moment of moments) {
        await sleep(moment - Date.now());
        await killOnce(injection, service);
      }
    }),
  );
}

async function killOnce(injection: Injection, victim: ServiceTarget): Promise<void> {
  if (victim === 'connector-synthetic') return killConnector(injection);
  await injection.fleet.killAndRestart(victim);
  injection.onInjected();
  injection.onRecovered(await injection.fleet.waitRecovered([victim], Date.now(), injection.bound));
}

/** Recovered = the new run publishes again (the raw topic grows, the malformed records aside). */
async function killConnector(injection: Injection): Promise<void> {
  const { connector } = injection;
  if (!connector.running) {
    connector.startAgain();
    await sleep(1_000 + 3_000 * injection.random.next());
  }
  await connector.killAndRestart();
  injection.onInjected();
  const since = Date.now();
  const before = await injection.rawPublished();
  await waitFor(async () => (await injection.rawPublished()) > before, {
    description: 'the restarted connector to publish again',
    timeoutMs: injection.bound,
    intervalMs: 200,
  });
  injection.onRecovered(Date.now() - since);
}

/**
 * The broker killed and started again, or a component stopped for its outage and started again, at a
 * random moment that keeps the fault inside the window. Recovery is measured from the moment the
 * component answers its health check again. Returns how many times the registry had to be revived.
 */
async function componentFault(
  injection: Injection,
  stack: StackControl,
  fault: Extract<Fault, { kind: 'kill-broker' | 'outage' }>,
  started: number,
  windowMs: number,
): Promise<number> {
  const downMs = fault.kind === 'outage' ? fault.seconds * 1_000 : 0;
  const component: StackComponent = fault.kind === 'outage' ? fault.component : 'kafka';
  const earliest = 0.15 * windowMs;
  await sleep(started + earliest + injection.random.next() * Math.max(0, 0.7 * windowMs - downMs) - Date.now());
  injection.log(`  ${fault.kind === 'outage' ? 'stopping' : 'SIGKILL'} ${component}`);
  if (fault.kind === 'outage') {
    await stack.stop(component);
    await sleep(downMs);
  } else {
    await stack.kill(component);
  }
  await stack.start(component);
  injection.onInjected();
  const since = Date.now();
  const revived = (await stack.reviveRegistryIfDead()) ? 1 : 0;
  if (revived) injection.log('  the registry failed its liveness check and was restarted');
  injection.onRecovered(await injection.fleet.waitRecovered(USERS_OF[component], since, injection.bound));
  return revived;
}

/**
 * Waits until every group of the pipeline has committed all there is and two censuses 3 s apart agree:
 * nothing in flight can change what is then compared.
 */
async function settle(context: PhaseContext, org: string): Promise<OrgCensus> {
  let previous = '';
  let lagging = '';
  return waitFor(
    async () => {
      const lags = await Promise.all(
        PIPELINE_SERVICES.map(async (name) => [name, await context.kafka.groupLag(context.fleet.group(name))] as const),
      );
      lagging = lags
        .filter(([, lag]) => lag > 0)
        .map(([name, lag]) => `${name} ${lag}`)
        .join(', ');
      if (lagging) return undefined;
      const census = await takeCensus(context.stores, org);
      const signature = censusSignature(census);
      const stable = signature === previous;
      previous = signature;
      return stable ? census : undefined;
    },
    { description: `the ${org} phase to settle`, timeoutMs: SETTLE_TIMEOUT_MS, intervalMs: 3_000 },
  ).catch((error: unknown) => {
    // Which group never caught up says where to look (its committed offsets, not its logs, show it).
    const detail = lagging ? `; groups still lagging: ${lagging}` : '; every group caught up, the stores kept changing';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${detail}`);
  });
}

/** Each store against the clean run: keys missing (lost), rows beyond one per key (duplicates), extra keys, metric rows. */
function compare(expected: OrgCensus, actual: OrgCensus): Record<StoreName, StoreOutcome> {
  const outcome = {} as Record<StoreName, StoreOutcome>;
  for (const store of STORES) {
    let lost = 0;
    let duplicates = 0;
    let unexpected = 0;
    for (const entity of STORED_ENTITY_NAMES) {
      const want = expected.entities.postgres[entity].keys;
      const got = actual.entities[store][entity];
      lost += keysMissingFrom(want, got.keys);
      unexpected += keysMissingFrom(got.keys, want);
      duplicates += got.rows - got.keys.length;
    }
    let metricRowsDiffering = 0;
    for (const metric of METRIC_ENTITY_NAMES)
      metricRowsDiffering += differingLines(expected.metrics.postgres[metric], actual.metrics[store][metric]);
    outcome[store] = { lost, duplicates, unexpected, metricRowsDiffering };
  }
  return outcome;
}

function verdict(result: PhaseResult, spec: PhaseSpec): string[] {
  const problems: string[] = [];
  if (result.lost > 0) problems.push(`${result.lost} records lost`);
  if (result.duplicates > 0) problems.push(`${result.duplicates} duplicate rows`);
  if (result.unexpected > 0) problems.push(`${result.unexpected} records the clean run does not have`);
  if (result.metricRowsDiffering > 0)
    problems.push(`${result.metricRowsDiffering} metric rows differ from the clean run`);
  if (result.malformed.missing.length > 0)
    problems.push(
      `${result.malformed.missing.length} malformed records not dead-lettered with a reason (first: ${result.malformed.missing.slice(0, 3).join(', ')})`,
    );
  const planned = spec.fault.kind === 'kill-services' ? spec.fault.services.length * spec.fault.times : 1;
  if (!result.skipped && result.injected < planned) problems.push(`injected ${result.injected} of ${planned} faults`);
  return problems;
}

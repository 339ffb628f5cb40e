/**
 * Three simulated hours of public-events polling against the fake GitHub on a fake clock, without a
 * token (60 requests/hour, 304s counted). A scheduled run every minute; for 3 hours a push every
 * minute and a star every 10 by 8 people across 3 repositories — more compares than the hour's spare
 * requests — then 5 quiet hours for enrichment to catch up. Prints what the test asserts: requests
 * per clock hour, refusals, waits for a reset, how late events were ingested, events and pushes
 * published, enrichment requests per login and what is still pending.
 *
 * Runs in its own Node process (node -r @swc-node/register): the GitHub adapter loads octokit, an
 * ES module, which Node requires natively and Jest's module system cannot.
 * Run: node -r @swc-node/register test/fakes/github/simulate-public-events.ts
 */
import type { CachedResponse, SyncContext } from '@dev-health/connector';
import { RequestBudget } from '@dev-health/connector';
import type { Integration, SyncRun } from '@dev-health/control-plane';
import { GitHubClient } from '@dev-health/github';
import { PUBLIC_EVENTS_DEFAULTS, syncPublicEvents } from '@dev-health/github/public-events';
import { JsonLogger } from '@dev-health/observability';
import type { RawRecord } from '@dev-health/schemas';
import { fakeOrganization } from './fake-github';

export interface PublicEventsSimulation {
  requestsPerHour: number[];
  refusals: number;
  /** Times a request had to wait for the window to reset (polling or enrichment overspent). */
  pauses: number;
  /** The longest time from an event's creation to its publication, in seconds. */
  maxIngestDelaySeconds: number;
  /** Events still waiting for enrichment after the first 3 hours. */
  pendingAfterBusyHours: number;
  pushesMade: number;
  eventsMade: number;
  /** Distinct event ids published (raw "event" records), and raw event records in all. */
  eventsPublished: number;
  eventRecords: number;
  /** Pushes that follow another (a base to compare with), and those published again with their compare. */
  pushesComparable: number;
  pushesCompared: number;
  userRequestsByLogin: Record<string, number>;
  repositoryRequests: number;
  compareRequests: number;
  pendingAtEnd: number;
}

const HOUR = 3_600_000;

export async function simulatePublicEvents(): Promise<PublicEventsSimulation> {
  const fake = fakeOrganization('acme-inc', 3, 0);
  let now = Date.UTC(2026, 11, 1, 9);
  const start = now;
  fake.clock = () => now;
  fake.token = null;
  fake.limit = 60;
  fake.remaining = 60;
  fake.resetAt = now / 1000 + 3_600;
  const people = ['ada', 'bob', 'cy', 'dee', 'eve', 'fin', 'gus', 'hal'];
  for (const login of people) fake.userNames.set(login, `${login.toUpperCase()} Example`);
  const url = await fake.start();
  const advance = (ms: number) => {
    now += ms;
    return Promise.resolve();
  };
  const logger = new JsonLogger('simulation', 'error');
  const budget = new RequestBudget({ reserve: 1, now: () => now, sleep: advance });
  const client = new GitHubClient({ baseUrl: url, token: null, budget, logger, sleep: advance });
  const watermarks = new Map<string, string>();
  const cache = new Map<string, CachedResponse>();
  const published: RawRecord[] = [];
  const integration = {
    id: '00000000-0000-4000-8000-000000000001',
    org_id: 'acme',
    provider: 'github',
    name: 'events',
    scope: { owner: 'acme-inc', mode: 'public_events' },
    schedule_interval_seconds: 60,
    enabled: true,
    credential_ref: null,
  } as unknown as Integration;
  const context: SyncContext = {
    run: { id: 'simulated', mode: 'incremental' } as unknown as SyncRun,
    integration,
    logger,
    watermarks: {
      load: () => Promise.resolve(new Map(watermarks)),
      save: (entries) => {
        for (const { target, cursor } of entries) watermarks.set(target, cursor);
        return Promise.resolve();
      },
    },
    httpCache: {
      load: () => Promise.resolve(new Map(cache)),
      save: (entries) => {
        for (const { key, ...entry } of entries) cache.set(key, entry);
        return Promise.resolve();
      },
    },
    credential: () => null,
    reportRateLimit: () => Promise.resolve(),
    publish: (records) => {
      published.push(...records);
      return Promise.resolve();
    },
    expect: () => undefined,
    throwIfStopped: () => undefined,
    signal: new AbortController().signal,
  };
  try {
    let pending = 0;
    let pendingAfterBusyHours = 0;
    for (let minute = 0; minute < 8 * 60; minute++) {
      const scheduled = start + minute * 60_000;
      if (now < scheduled) now = scheduled;
      if (minute < 180) fake.push(people[minute % people.length] ?? 'ada', `service-0${minute % 3}`, 1 + (minute % 4));
      if (minute < 180 && minute % 10 === 5)
        fake.star(people[((minute / 10) % people.length) | 0] ?? 'bob', 'service-01');
      ({ pending } = await syncPublicEvents(context, client, { ...PUBLIC_EVENTS_DEFAULTS, now: () => now }));
      if (minute === 179) pendingAfterBusyHours = pending;
    }
    const hours = Math.ceil((now - start) / HOUR);
    const requestsPerHour = Array.from(
      { length: hours },
      (_, hour) =>
        fake.counted().filter((request) => request.at >= start + hour * HOUR && request.at < start + (hour + 1) * HOUR)
          .length,
    );
    const events = published.filter((record) => record.entity_kind === 'event');
    const latest = new Map<string, { compare: unknown; type: string }>();
    for (const record of events) {
      const payload = JSON.parse(record.payload) as { compare: unknown; event: { type: string } };
      latest.set(record.source_id, { compare: payload.compare, type: payload.event.type });
    }
    const userRequestsByLogin: Record<string, number> = {};
    for (const request of fake.requests) {
      const login = /^\/users\/([^/?]+)$/.exec(request.path)?.[1];
      if (login) userRequestsByLogin[login] = (userRequestsByLogin[login] ?? 0) + 1;
    }
    // A repository's first push (before = 000…) has no base to compare with.
    const comparable = fake.events.filter((event) => event.push && !/^0+$/.test(event.push.before));
    const created = new Map(fake.events.map((event) => [event.id, Date.parse(event.createdAt)]));
    const firstPublished = new Map<string, number>();
    for (const record of events)
      if (!firstPublished.has(record.source_id)) firstPublished.set(record.source_id, record.fetched_at);
    const delays = [...firstPublished].map(([id, at]) => (at - (created.get(id) ?? at)) / 1000);
    return {
      requestsPerHour,
      refusals: fake.requests.filter((request) => request.status === 403).length,
      pauses: budget.state.pauses,
      maxIngestDelaySeconds: Math.max(0, ...delays),
      pendingAfterBusyHours,
      pushesMade: fake.events.filter((event) => event.type === 'PushEvent').length,
      eventsMade: fake.events.length,
      eventsPublished: latest.size,
      eventRecords: events.length,
      pushesComparable: comparable.length,
      pushesCompared: comparable.filter((event) => latest.get(event.id)?.compare).length,
      userRequestsByLogin,
      repositoryRequests: fake.requests.filter((request) => /^\/repos\/[^/]+\/[^/]+$/.test(request.path)).length,
      compareRequests: fake.requests.filter((request) => request.path.includes('/compare/')).length,
      pendingAtEnd: pending,
    };
  } finally {
    await fake.stop();
  }
}

if (require.main === module)
  simulatePublicEvents().then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );

import type { IntegrationScopes } from '@dev-health/control-plane';
import { type CachedResponse, type SyncContext, SyncStageError } from '@dev-health/connector';
import type { RawRecord } from '@dev-health/schemas';
import { type ConditionalResult, GitHubClient } from './github-client';
import { trimRepository } from './collectors/repositories';
import { githubRawRecord } from './collectors/repository-run';
import type {
  GitHubEvent,
  GitHubEventRecordPayload,
  GitHubPushPayload,
  GitHubRepositoryPayload,
  GitHubUserPayload,
} from './payloads';

/**
 * Public-events mode (no token needed): polls the events feed of an org, a user or each named
 * repository, publishes every event raw (pushes become canonical pushes), and enriches actors,
 * repositories and trimmed pushes asynchronously, within the 60 requests/hour GitHub gives an
 * unauthenticated client — where, unlike with a token, a 304 costs a request too.
 *
 * - Polling: page 1 of each feed with its ETag, never sooner than X-Poll-Interval nor than the
 *   budget allows (`pollShare` of the hourly limit spread over the feeds); newer pages until the
 *   last event seen (at most 300 events, the API's window). Scheduled runs between polls cost nothing.
 * - Enrichment runs after polling, from a persisted queue, and only with requests the next polls
 *   until the reset do not need: it never delays ingestion, and what it could not do waits for a
 *   later run (a failure is retried, with its attempts and last error kept per event).
 * - Actors and repositories are cached 24 h (in the integration's HTTP cache, with their ETags).
 * - Event ids are unique through every store: re-running any part never duplicates an event.
 */
export interface PublicEventsOptions {
  /** Share of the hourly limit polling may use; the rest is for enrichment (default 0.5). */
  pollShare: number;
  /** How long an enriched actor or repository is not asked for again. */
  enrichmentTtlMs: number;
  now: () => number;
}

export const PUBLIC_EVENTS_DEFAULTS: Omit<PublicEventsOptions, 'now'> = {
  pollShare: 0.5,
  enrichmentTtlMs: 24 * 3_600_000,
};

const EVENTS_PER_PAGE = 100;
/** The events API serves at most 300 events of a feed: 3 pages of 100. */
const MAX_PAGES = 3;
/** GitHub's limit for unauthenticated clients, assumed until a response says otherwise. */
const UNAUTHENTICATED_LIMIT = 60;
const QUEUE_TARGET = 'events:enrichment';
/** Beyond this many waiting events the oldest are dropped (logged): enrichment is best effort. */
const MAX_QUEUE = 2_000;
const MAX_ATTEMPTS = 5;

interface FeedCursor {
  /** The newest event id published ('' before the first poll). */
  last_id: string;
  /** Epoch ms before which this feed is not polled again. */
  next_poll_at: number;
}

/** An event waiting for enrichment, and what it still needs. */
export interface EnrichmentItem {
  event_id: string;
  actor: string;
  repository: { id: number; name: string };
  /** The event to publish again with its compare, while its commit list is incomplete. */
  push: GitHubEvent | null;
  attempts: number;
  last_error: string | null;
}

export type PublicEventsScope = IntegrationScopes['github'];

export function feedsOf(scope: PublicEventsScope): string[] {
  if (scope.repositories && scope.repositories.length > 0)
    return scope.repositories.map((name) => `/repos/${scope.owner}/${name}/events`);
  return scope.feed === 'user' ? [`/users/${scope.owner}/events/public`] : [`/orgs/${scope.owner}/events`];
}

const newer = (a: string, b: string): boolean => b === '' || BigInt(a) > BigInt(b);

export async function syncPublicEvents(
  context: SyncContext,
  client: GitHubClient,
  options: PublicEventsOptions,
): Promise<{ published: number; pending: number }> {
  const scope = context.integration.scope as PublicEventsScope;
  const feeds = feedsOf(scope);
  const cache = await context.httpCache.load();
  const watermarks = await context.watermarks.load();
  const queue = readQueue(watermarks.get(QUEUE_TARGET));
  const run = { context, client, options, cache, feeds };
  let published = 0;
  for (const feed of feeds) {
    context.throwIfStopped();
    const fresh = await pollFeed(run, feed, watermarks.get(`events:${feed}`));
    published += fresh.length;
    for (const event of fresh) {
      const push = event.type === 'PushEvent' && !commitsComplete(event.payload as unknown as GitHubPushPayload);
      queue.push({
        event_id: event.id,
        actor: event.actor.login,
        repository: { id: event.repo.id, name: event.repo.name },
        push: push ? event : null,
        attempts: 0,
        last_error: null,
      });
    }
  }
  if (queue.length > MAX_QUEUE) {
    context.logger.warn('enrichment queue full: dropping the oldest events from enrichment', {
      dropped: queue.length - MAX_QUEUE,
    });
    queue.splice(0, queue.length - MAX_QUEUE);
  }
  const remaining = await enrich(run, queue);
  await context.watermarks.save([{ target: QUEUE_TARGET, cursor: JSON.stringify(remaining) }]);
  return { published, pending: remaining.length };
}

interface EventsRun {
  context: SyncContext;
  client: GitHubClient;
  options: PublicEventsOptions;
  cache: ReadonlyMap<string, CachedResponse>;
  feeds: readonly string[];
}

/** Seconds between polls of one feed so that polling stays within its share of the hourly limit. */
function budgetedInterval(run: EventsRun): number {
  const limit = run.client.budget.state.limit ?? UNAUTHENTICATED_LIMIT;
  const pollsPerHour = Math.max(1, Math.floor((limit * run.options.pollShare) / run.feeds.length));
  return Math.ceil(3_600 / pollsPerHour);
}

async function pollFeed(run: EventsRun, feed: string, stored: string | undefined): Promise<GitHubEvent[]> {
  const { context, client, options } = run;
  const cursor = readCursor(stored);
  const now = options.now();
  if (now < cursor.next_poll_at) return [];
  const key = `events:${feed}`;
  const first: ConditionalResult<GitHubEvent[]> = await client.get<GitHubEvent[]>(
    `${feed}?per_page=${EVENTS_PER_PAGE}`,
    run.cache.get(key),
  );
  const interval = Math.max(first.pollInterval ?? 60, budgetedInterval(run));
  const next: FeedCursor = { last_id: cursor.last_id, next_poll_at: options.now() + interval * 1_000 };
  const fresh: GitHubEvent[] = [];
  if (first.status === 200) {
    let page: ConditionalResult<GitHubEvent[]> = first;
    for (let pages = 1; ; pages++) {
      const events = validEvents(page.body, feed);
      const unseen = events.filter((event) => newer(event.id, cursor.last_id));
      fresh.push(...unseen);
      if (unseen.length < events.length || page.next === null) break;
      if (pages >= MAX_PAGES) {
        if (cursor.last_id !== '')
          context.logger.warn('events feed moved past its 300-event window since the last poll: events lost', {
            feed,
            since: cursor.last_id,
          });
        break;
      }
      page = await client.get<GitHubEvent[]>(page.next);
    }
    // Oldest first, so a consumer sees a feed's events in the order they happened.
    fresh.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    if (fresh.length > 0) await context.publish(fresh.map((event) => eventRecord(context, event, null, now)));
    next.last_id = fresh.reduce((newest, event) => (newer(event.id, newest) ? event.id : newest), cursor.last_id);
  }
  await context.watermarks.save([{ target: key, cursor: JSON.stringify(next) }]);
  const entry = GitHubClient.cacheEntry(key, first);
  if (entry) await context.httpCache.save([entry]);
  return fresh;
}

/**
 * Works the queue with the requests polling will not need before the window resets; returns what is
 * still waiting. Actors and repositories already enriched within the TTL cost nothing.
 */
async function enrich(run: EventsRun, queue: EnrichmentItem[]): Promise<EnrichmentItem[]> {
  const { context, client, options } = run;
  const fresh = (key: string): boolean => {
    const body = run.cache.get(key)?.body as { fetched_at?: number } | undefined;
    return typeof body?.fetched_at === 'number' && options.now() - body.fetched_at < options.enrichmentTtlMs;
  };
  const done = new Set<string>();
  const spare = (): boolean => {
    const { remaining, resetAt } = client.budget.state;
    if (remaining === null) return true;
    const untilReset = Math.max(0, (resetAt ?? options.now()) - options.now());
    const pollsNeeded = Math.ceil(untilReset / 1_000 / budgetedInterval(run)) * run.feeds.length;
    return remaining - pollsNeeded > 1;
  };
  const waiting: EnrichmentItem[] = [];
  for (const item of queue) {
    context.throwIfStopped();
    try {
      const actorKey = `enrich:user:${item.actor}`;
      if (!done.has(actorKey) && !fresh(actorKey)) {
        if (!spare()) throw new Deferred();
        await fetchEnrichment(run, actorKey, `/users/${item.actor}`, (user: GitHubUserPayload) =>
          userRecord(context, user, options.now()),
        );
      }
      done.add(actorKey);
      const repositoryKey = `enrich:repository:${item.repository.id}`;
      if (!done.has(repositoryKey) && !fresh(repositoryKey)) {
        if (!spare()) throw new Deferred();
        await fetchEnrichment(
          run,
          repositoryKey,
          `/repos/${item.repository.name}`,
          (repository: GitHubRepositoryPayload) => repositoryRecord(context, repository, options.now()),
        );
      }
      done.add(repositoryKey);
      if (item.push) {
        if (!spare()) throw new Deferred();
        const push = item.push.payload as unknown as GitHubPushPayload;
        if (push.before && !/^0+$/.test(push.before)) {
          const compare = await client.get<{ total_commits: number; commits: { sha: string }[] }>(
            `/repos/${item.repository.name}/compare/${push.before}...${push.head}`,
          );
          await context.publish([
            eventRecord(
              context,
              item.push,
              {
                total_commits: compare.body.total_commits,
                shas: compare.body.commits.map((commit) => commit.sha),
              },
              options.now(),
            ),
          ]);
        }
        // A new branch (before = 0000…) has no base to compare with: its head is all we know.
      }
    } catch (error: unknown) {
      if (error instanceof Deferred) {
        waiting.push(item);
        continue;
      }
      if (error instanceof SyncStageError && error.stage === 'auth') throw error;
      const attempts = item.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      if (attempts >= MAX_ATTEMPTS)
        context.logger.warn('enrichment of an event failed for good', { event: item.event_id, error: message });
      else waiting.push({ ...item, attempts, last_error: message });
    }
  }
  return waiting;
}

/** Out of spare requests this run: the item waits for a later one. */
class Deferred extends Error {}

async function fetchEnrichment<T>(
  run: EventsRun,
  key: string,
  url: string,
  toRecord: (body: T) => RawRecord,
): Promise<void> {
  const cached = run.cache.get(key);
  const result = await run.client.get<{ fetched_at: number; value: T }>(
    url,
    // A stale entry is re-validated by its ETag: a 304 renews it.
    cached ? { etag: cached.etag, body: { body: cached.body, next: null } } : undefined,
  );
  const value = result.status === 304 ? result.body.value : (result.body as unknown as T);
  if (result.status === 200) await run.context.publish([toRecord(value)]);
  const etag = result.status === 200 ? result.etag : (cached?.etag ?? null);
  if (etag !== null) await run.context.httpCache.save([{ key, etag, body: { fetched_at: run.options.now(), value } }]);
}

function commitsComplete(push: GitHubPushPayload): boolean {
  return Array.isArray(push.commits) && typeof push.size === 'number' && push.commits.length >= push.size;
}

function validEvents(body: unknown, feed: string): GitHubEvent[] {
  if (!Array.isArray(body)) throw new SyncStageError('fetch', `${feed}: the events feed is not a list`);
  return body.filter(
    (event): event is GitHubEvent =>
      typeof event === 'object' &&
      event !== null &&
      typeof (event as GitHubEvent).id === 'string' &&
      /^\d+$/.test((event as GitHubEvent).id),
  );
}

function readCursor(value: string | undefined): FeedCursor {
  try {
    const parsed = JSON.parse(value ?? '{}') as Partial<FeedCursor>;
    return {
      last_id: typeof parsed.last_id === 'string' && /^\d*$/.test(parsed.last_id) ? parsed.last_id : '',
      next_poll_at: typeof parsed.next_poll_at === 'number' ? parsed.next_poll_at : 0,
    };
  } catch {
    return { last_id: '', next_poll_at: 0 };
  }
}

function readQueue(value: string | undefined): EnrichmentItem[] {
  try {
    const parsed = JSON.parse(value ?? '[]') as unknown;
    return Array.isArray(parsed)
      ? parsed.filter(
          (item): item is EnrichmentItem =>
            typeof item === 'object' && item !== null && typeof (item as EnrichmentItem).event_id === 'string',
        )
      : [];
  } catch {
    return [];
  }
}

function eventRecord(
  context: SyncContext,
  event: GitHubEvent,
  compare: GitHubEventRecordPayload['compare'],
  fetchedAt: number,
): RawRecord {
  const payload: GitHubEventRecordPayload = { event, compare };
  const request = compare ? 'GET compare' : 'GET events';
  return githubRawRecord(context, event.repo.name, 'event', event.id, payload, fetchedAt, request, null);
}

function userRecord(context: SyncContext, user: GitHubUserPayload, fetchedAt: number): RawRecord {
  const payload: GitHubUserPayload = { id: user.id, login: user.login, name: user.name ?? null, type: user.type };
  return githubRawRecord(context, user.login, 'user', String(user.id), payload, fetchedAt, 'GET user', null);
}

function repositoryRecord(context: SyncContext, repository: GitHubRepositoryPayload, fetchedAt: number): RawRecord {
  return githubRawRecord(
    context,
    repository.full_name,
    'repository',
    String(repository.id),
    trimRepository(repository),
    fetchedAt,
    'GET repository',
    null,
  );
}

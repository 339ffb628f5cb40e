import { Inject } from '@nestjs/common';
import {
  Args,
  Context,
  Field,
  Float,
  GraphQLISODateTime,
  Int,
  ObjectType,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { type GatewayContext, orgFor } from '../auth/request-context';
import { type LiveEvent, LiveEventHub } from './live-event-hub';

@ObjectType({ description: 'Daily metrics of the organization were recomputed.' })
export class MetricsUpdate {
  @Field(() => String) orgId!: string;
  @Field(() => String, { description: 'The UTC day recomputed, YYYY-MM-DD.' }) day!: string;
  @Field(() => GraphQLISODateTime, { description: 'When it was computed.' }) updatedAt!: Date;
  @Field(() => String, { description: 'What changed, e.g. "repo metrics of <scope>: 2 rows".' }) message!: string;
}

@ObjectType({ description: 'A sync run (a task) as it moves.' })
export class TaskStatus {
  @Field(() => String) taskId!: string;
  @Field(() => String, { description: 'running, completed or failed' }) status!: string;
  @Field(() => Float, { description: '0 until the run ends, then 1 (a sync does not know its total ahead).' })
  progress!: number;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => String, { nullable: true, description: 'Records published per kind, as JSON, once it ended.' })
  result!: string | null;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@ObjectType({ description: "A sync of one of the organization's integrations as it moves." })
export class SyncProgress {
  @Field(() => String) orgId!: string;
  @Field(() => String) provider!: string;
  @Field(() => String, { description: 'starting, syncing, completed or failed' }) status!: string;
  @Field(() => Int, { description: 'Records published so far, every kind.' }) itemsProcessed!: number;
  @Field(() => Int, {
    description: 'The run’s total once it ended; while it runs, the records so far (no total is known ahead).',
  })
  itemsTotal!: number;
  @Field(() => String, { nullable: true }) message!: string | null;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

const DAY_MS = 86_400_000;
const recordsOf = (event: Extract<LiveEvent, { kind: 'sync' }>['event']) =>
  event.records.reduce((sum, entry) => sum + Number(entry.records), 0);
const ended = (event: Extract<LiveEvent, { kind: 'sync' }>['event']) => event.event === 'sync.finished';
const runStatus = (event: Extract<LiveEvent, { kind: 'sync' }>['event']) =>
  ended(event)
    ? event.status === 'succeeded'
      ? 'completed'
      : 'failed'
    : event.event === 'sync.started'
      ? 'starting'
      : 'syncing';

/** Live views of what this replica consumes (see LiveEventConsumer); every subscription is org-checked. */
@Resolver()
export class LiveResolver {
  constructor(@Inject(LiveEventHub) private readonly hub: LiveEventHub) {}

  @Subscription(() => MetricsUpdate, { description: 'Subscribe to metrics updates for an organization' })
  metricsUpdated(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
  ): AsyncIterator<{ metricsUpdated: MetricsUpdate }> {
    const org = orgFor(context, orgId);
    return this.hub.subscribe((live) =>
      live.kind === 'metrics' && live.event.org_id === org
        ? {
            metricsUpdated: {
              orgId: org,
              day: new Date(Number(live.event.day) * DAY_MS).toISOString().slice(0, 10),
              updatedAt: new Date(Number(live.event.computed_at)),
              message: `${live.event.kind} metrics of ${live.event.scope_id}: ${live.event.rows} rows`,
            },
          }
        : null,
    );
  }

  @Subscription(() => SyncProgress, { description: 'Subscribe to data sync progress' })
  syncProgress(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
  ): AsyncIterator<{ syncProgress: SyncProgress }> {
    const org = orgFor(context, orgId);
    return this.hub.subscribe((live) => {
      if (live.kind !== 'sync' || live.event.org_id !== org) return null;
      const processed = recordsOf(live.event);
      return {
        syncProgress: {
          orgId: org,
          provider: live.event.provider,
          status: runStatus(live.event),
          itemsProcessed: processed,
          itemsTotal: processed,
          message: live.event.error_message ?? null,
          updatedAt: new Date(Number(live.event.at)),
        },
      };
    });
  }

  @Subscription(() => TaskStatus, { description: 'Subscribe to task status updates (a task is a sync run)' })
  taskStatus(
    @Context() context: GatewayContext,
    @Args('taskId') taskId: string,
  ): AsyncIterator<{ taskStatus: TaskStatus }> {
    return this.hub.subscribe((live) => {
      if (live.kind !== 'sync' || live.event.run_id !== taskId) return null;
      // A run of an org the caller lacks is not theirs to watch: nothing is sent.
      if (context.caller.orgs !== null && !context.caller.orgs.includes(live.event.org_id)) return null;
      const done = ended(live.event);
      return {
        taskStatus: {
          taskId,
          status: done ? runStatus(live.event) : 'running',
          progress: done ? 1 : 0,
          message: live.event.error_message ?? null,
          result: done
            ? JSON.stringify(
                Object.fromEntries(live.event.records.map((entry) => [entry.entity_kind, Number(entry.records)])),
              )
            : null,
          updatedAt: new Date(Number(live.event.at)),
        },
      };
    });
  }
}

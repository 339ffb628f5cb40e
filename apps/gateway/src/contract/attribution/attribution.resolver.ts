import { Inject } from '@nestjs/common';
import { Args, Context, Field, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { type GatewayContext, orgFor } from '../../auth/request-context';
import type { GatewayLimits } from '../../config';
import { GatewayLimitsToken } from '../../protection/limits-token';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { ANALYTICS } from '../control-plane-reads';

export enum TeamAttributionSource {
  NATIVE_TEAM = 'NATIVE_TEAM',
  ISSUE_PROJECT = 'ISSUE_PROJECT',
  PROJECT_OWNERSHIP = 'PROJECT_OWNERSHIP',
  REPO_OWNERSHIP = 'REPO_OWNERSHIP',
  ASSIGNEE_MEMBERSHIP = 'ASSIGNEE_MEMBERSHIP',
  LINKED_ISSUE = 'LINKED_ISSUE',
  AUTHOR_MEMBERSHIP = 'AUTHOR_MEMBERSHIP',
  MANUAL_FALLBACK = 'MANUAL_FALLBACK',
  UNASSIGNED = 'UNASSIGNED',
}
registerEnumType(TeamAttributionSource, { name: 'TeamAttributionSource' });

export enum TeamAttributionConfidence {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
  MANUAL = 'MANUAL',
  NONE = 'NONE',
}
registerEnumType(TeamAttributionConfidence, { name: 'TeamAttributionConfidence' });

@ObjectType({ description: 'A team a work item is attributed to, why, and how sure; one row is primary per item.' })
export class WorkItemTeamAttribution {
  @Field(() => String) workItemId!: string;
  @Field(() => String) provider!: string;
  @Field(() => String, { nullable: true }) teamId!: string | null;
  @Field(() => String, { nullable: true }) teamName!: string | null;
  @Field(() => TeamAttributionSource) source!: TeamAttributionSource;
  @Field(() => TeamAttributionConfidence) confidence!: TeamAttributionConfidence;
  @Field(() => Boolean) isPrimary!: boolean;
  @Field(() => String) evidence!: string;
}

interface WorkItemRow extends Record<string, unknown> {
  id: string;
  provider: string;
  team_id: string | null;
  assignee_identity_id: string | null;
  reporter_identity_id: string | null;
}

/**
 * Candidates in order of strength: the provider's own team field (native, high); the assignee's teams
 * (medium when one, low when several); the reporter's teams (low); else unassigned. The first
 * candidate is primary.
 */
export function attribute(
  item: Pick<WorkItemRow, 'id' | 'provider' | 'team_id' | 'assignee_identity_id' | 'reporter_identity_id'>,
  teamsOf: (identity: string) => readonly string[],
  nameOf: (team: string) => string | null,
): WorkItemTeamAttribution[] {
  const row = (
    teamId: string | null,
    source: TeamAttributionSource,
    confidence: TeamAttributionConfidence,
    evidence: string,
  ) => ({
    workItemId: item.id,
    provider: item.provider,
    teamId,
    teamName: teamId ? nameOf(teamId) : null,
    source,
    confidence,
    evidence,
  });
  const candidates: Omit<WorkItemTeamAttribution, 'isPrimary'>[] = [];
  if (item.team_id)
    candidates.push(
      row(item.team_id, TeamAttributionSource.NATIVE_TEAM, TeamAttributionConfidence.HIGH, "the provider's team field"),
    );
  const assigneeTeams = item.assignee_identity_id ? teamsOf(item.assignee_identity_id) : [];
  for (const team of assigneeTeams)
    if (!candidates.some((candidate) => candidate.teamId === team))
      candidates.push(
        row(
          team,
          TeamAttributionSource.ASSIGNEE_MEMBERSHIP,
          assigneeTeams.length === 1 ? TeamAttributionConfidence.MEDIUM : TeamAttributionConfidence.LOW,
          assigneeTeams.length === 1
            ? 'the assignee is a member'
            : `the assignee is a member of ${assigneeTeams.length} teams`,
        ),
      );
  const reporterTeams = item.reporter_identity_id ? teamsOf(item.reporter_identity_id) : [];
  for (const team of reporterTeams)
    if (!candidates.some((candidate) => candidate.teamId === team))
      candidates.push(
        row(team, TeamAttributionSource.AUTHOR_MEMBERSHIP, TeamAttributionConfidence.LOW, 'the reporter is a member'),
      );
  if (candidates.length === 0)
    candidates.push(
      row(
        null,
        TeamAttributionSource.UNASSIGNED,
        TeamAttributionConfidence.NONE,
        'no team field, no member assignee or reporter',
      ),
    );
  return candidates.map((candidate, index) => ({ ...candidate, isPrimary: index === 0 }));
}

@Resolver()
export class AttributionResolver {
  constructor(
    @Inject(ANALYTICS) private readonly analytics: AnalyticsStore,
    @Inject(GatewayLimitsToken) private readonly limits: GatewayLimits,
  ) {}

  @Query(() => [WorkItemTeamAttribution], {
    description: 'Team attributions of work items (the newest GATEWAY_MAX_PAGE_SIZE when none are named).',
  })
  async workItemTeamAttributions(
    @Context() context: GatewayContext,
    @Args('orgId') orgId: string,
    @Args('workItemIds', { type: () => [String], nullable: true, defaultValue: null }) workItemIds: string[] | null,
    @Args('teamId', { type: () => String, nullable: true, defaultValue: null }) teamId: string | null,
  ): Promise<WorkItemTeamAttribution[]> {
    const org = orgFor(context, orgId);
    const items = await this.analytics.select<WorkItemRow>(
      (sql) =>
        `SELECT id, provider, team_id, assignee_identity_id, reporter_identity_id FROM ${sql.table('work_items')}
          WHERE org_id = ${sql.value(org)} ${workItemIds ? `AND id IN ${sql.list(workItemIds)}` : ''}
          ORDER BY updated_at DESC, id LIMIT ${sql.value(this.limits.maxPageSize)}`,
    );
    const people = [
      ...new Set(
        items
          .flatMap((item) => [item.assignee_identity_id, item.reporter_identity_id])
          .filter((id): id is string => !!id),
      ),
    ];
    const [memberships, teams] = await Promise.all([
      people.length === 0
        ? Promise.resolve([])
        : this.analytics.select<{ identity_id: string; team_id: string }>(
            (sql) =>
              `SELECT identity_id, team_id FROM ${sql.table('team_memberships')}
                WHERE org_id = ${sql.value(org)} AND identity_id IN ${sql.list(people)} ORDER BY team_id`,
          ),
      this.analytics.select<{ id: string; name: string }>(
        (sql) => `SELECT id, name FROM ${sql.table('teams')} WHERE org_id = ${sql.value(org)}`,
      ),
    ]);
    const teamsOf = new Map<string, string[]>();
    for (const membership of memberships)
      teamsOf.set(membership.identity_id, [...(teamsOf.get(membership.identity_id) ?? []), membership.team_id]);
    const names = new Map(teams.map((team) => [team.id, team.name]));
    return items
      .flatMap((item) =>
        attribute(
          item,
          (identity) => teamsOf.get(identity) ?? [],
          (team) => names.get(team) ?? null,
        ),
      )
      .filter((row) => teamId === null || row.teamId === teamId);
  }
}

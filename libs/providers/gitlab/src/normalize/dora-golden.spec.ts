import { type DeploymentFacts, type IncidentFacts, doraDay, leadTimePairs } from '@dev-health/metric-definitions';
import { FIXTURE_PROVENANCE, IdentityResolver, createNormalize, rawRecordFixture } from '@dev-health/normalize';
import type { Deployment, Incident, PullRequest } from '@dev-health/schemas';
import { GITLAB_NORMALIZERS } from './normalize-gitlab';

/**
 * DORA from GitLab-shaped data, against values worked out by hand: one day of project 3 with three
 * production deployments (one failed, one named by an incident), a staging one, a merged MR and an
 * incident resolved the same day.
 */
const normalize = createNormalize({ gitlab: GITLAB_NORMALIZERS });
const context = { provenance: FIXTURE_PROVENANCE, identities: new IdentityResolver({}) };
const records = <T>(entityKind: string, entity: string, payload: object): T[] =>
  normalize(rawRecordFixture('gitlab', entityKind, payload), context)
    .filter((output) => output.entity === entity)
    .map((output) => output.record as T);
const at = (time: string) => `2026-03-03T${time}:00.000Z`;
const ms = (time: string) => Date.parse(at(time));
const user = { id: 1, username: 'ops' };

const deployment = (iid: number, status: string, finished: string, tier = 'production') =>
  records<Deployment>('deployment', 'deployment', {
    id: 1000 + iid,
    iid,
    project_id: 3,
    ref: 'main',
    sha: `${iid}`.repeat(40).slice(0, 40),
    status,
    created_at: at('09:00'),
    updated_at: at(finished),
    finished_at: at(finished),
    user,
    environment: { id: 1, name: tier === 'production' ? 'prd' : 'stg', tier },
    production: tier === 'production',
  })[0] as Deployment;

describe('DORA from GitLab data (hand-computed)', () => {
  it('counts production deployments, fails the failed and the incident-linked, pairs the MR, restores the incident', () => {
    const deployments = [
      deployment(1, 'success', '10:00'),
      deployment(2, 'failed', '14:00'),
      deployment(3, 'success', '16:00'),
      deployment(4, 'success', '17:00', 'staging'),
    ];
    const [merged] = records<PullRequest>('merge_request', 'pull_request', {
      id: 84,
      iid: 12,
      project_id: 3,
      title: 'Add search',
      state: 'merged',
      created_at: at('07:00'),
      updated_at: at('08:00'),
      merged_at: at('08:00'),
      closed_at: null,
      target_branch: 'main',
      source_branch: 'search',
      merge_commit_sha: null,
      author: user,
      labels: [],
      notes: [],
      approved_by: [],
      closes_issues: [],
    });
    const [incident] = records<Incident>('issue', 'incident', {
      id: 501,
      iid: 5,
      project_id: 3,
      project_path: 'acme/api',
      title: 'Checkout down',
      description: 'Started right after deployment #3.',
      state: 'closed',
      issue_type: 'incident',
      labels: [],
      author: user,
      created_at: at('16:30'),
      updated_at: at('18:30'),
      closed_at: at('18:30'),
      state_events: [{ id: 1, state: 'closed', created_at: at('18:30'), user }],
      label_events: [],
      incident: true,
    });
    expect(incident?.deployment_id).toBe(deployments[2]?.id);

    const facts: DeploymentFacts[] = deployments.map(({ id, environment, status, created_at, finished_at }) => ({
      id,
      environment,
      status,
      created_at,
      finished_at,
    }));
    const incidents: IncidentFacts[] = [incident as Incident];
    const day = { start: Date.parse('2026-03-03T00:00:00Z'), end: Date.parse('2026-03-04T00:00:00Z') };
    const pairs = leadTimePairs([merged?.merged_at as number], facts);
    const dora = doraDay(day, facts, new Set([incident?.deployment_id as string]), pairs, incidents);
    expect(dora).toEqual({
      // prd #1, #2, #3 (staging #4 does not count)
      deployments: 3,
      successful_deployments: 2,
      // #2 failed, #3 is named by the incident
      failed_deployments: 2,
      change_failure_rate: 0.6667,
      // merged 08:00, first successful production deployment after it 10:00
      lead_time_p50_hours: 2,
      lead_time_p90_hours: 2,
      changes_deployed: 1,
      // 16:30 → 18:30
      incidents_resolved: 1,
      time_to_restore_p50_hours: 2,
      incidents_open_unresolved: 0,
      negative_durations_dropped: 0,
    });
    expect(ms('10:00') - (merged?.merged_at as number)).toBe(2 * 3_600_000);
  });
});

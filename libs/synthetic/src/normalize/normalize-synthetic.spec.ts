import { CANONICAL_ENTITY_NAMES, type CanonicalRecord, type RawRecord, type WorkItem } from '@dev-health/schemas';
import { DEFAULT_SYNTHETIC_OPTIONS, SyntheticGenerator, identityAliases } from '..';
import { IdentityResolver, NormalizationError, createNormalize } from '@dev-health/normalize';
import { SYNTHETIC_NORMALIZERS } from './normalize-synthetic';

const normalize = createNormalize({ synthetic: SYNTHETIC_NORMALIZERS });

const provenance = {
  raw_topic: 'dho.raw.synthetic',
  raw_partition: 0,
  raw_offset: 7,
  reprocessing_generation: 0,
  raw_source_id: 'x',
  fetched_at: 0,
};

function raw(entityKind: string, payload: unknown, scope = 'acme/api'): RawRecord {
  return {
    org_id: 'default',
    provider: 'synthetic',
    entity_kind: entityKind,
    source_id: 'x',
    scope,
    fetched_at: 0,
    request: null,
    cursor: null,
    sync_mode: 'incremental',
    backfill_job_id: null,
    payload: JSON.stringify(payload),
  };
}

const context = {
  provenance,
  identities: new IdentityResolver({ 'ada@acme.example': ['ada@home.example', 'synthetic:ada'] }),
};

describe('synthetic normalizers (golden)', () => {
  it('turns a commit written at +05:30 into UTC, keeping the offset, and resolves the second address', () => {
    const [commit] = normalize(
      raw('commit', {
        sha: 'c'.repeat(40),
        parents: ['d'.repeat(40)],
        author: { name: 'Ada', email: 'ADA@home.example', date: '2026-01-05T02:10:00.000+05:30' },
        committer: { name: 'Ada', email: 'ada@home.example', date: '2026-01-05T02:10:00.000+05:30' },
        subject: 'Fix',
        files: [{ path: 'a.ts', additions: 40, deletions: 10 }],
      }),
      context,
    );
    expect(commit?.record).toMatchObject({
      id: `synthetic:commit:acme/api/${'c'.repeat(40)}`,
      repository_id: 'synthetic:repository:acme/api',
      author_identity_id: 'identity:ada@acme.example',
      authored_at: Date.UTC(2026, 0, 4, 20, 40),
      author_utc_offset_minutes: 330,
      size_bucket: 'small',
    });
  });

  it('resolves PR authors by login and marks reverts', () => {
    const [pr] = normalize(
      raw('pull_request', {
        number: 7,
        title: 'Revert "Add cache"',
        state: 'merged',
        author_login: 'ada',
        created_at: '2026-01-05T23:30:00.000-08:00',
        updated_at: '2026-01-06T10:00:00.000-08:00',
        merged_at: '2026-01-06T10:00:00.000-08:00',
        closed_at: '2026-01-06T10:00:00.000-08:00',
        base_branch: 'main',
        head_branch: 'ada/7',
        merge_commit_sha: 'e'.repeat(40),
        additions: 5,
        deletions: 1,
        changed_files: 1,
        reverts_number: null,
      }),
      context,
    );
    expect(pr?.record).toMatchObject({
      id: 'synthetic:pull_request:acme/api/7',
      author_identity_id: 'identity:ada@acme.example',
      created_at: Date.UTC(2026, 0, 6, 7, 30),
      merged_at: Date.UTC(2026, 0, 6, 18, 0),
      is_revert: true,
    });
  });

  const transition = (from: string | null, to: string, at: string) => ({
    from_status: from,
    to_status: to,
    at,
    actor_login: 'ada',
  });
  const workItem = (status: string, transitions: ReturnType<typeof transition>[]) =>
    raw(
      'work_item',
      {
        key: 'API-1',
        project: 'API',
        title: 'Thing',
        type: 'bug',
        status,
        assignee_login: 'ada',
        reporter_login: 'ada',
        team_slug: 'platform',
        created_at: '2026-01-05T09:00:00Z',
        updated_at: '2026-01-09T09:00:00Z',
        transitions,
      },
      'API',
    );

  it('a reopened work item started at its first "in progress" and completed at its last "done"', () => {
    const outputs = normalize(
      workItem('Done', [
        transition(null, 'Backlog', '2026-01-05T09:00:00Z'),
        transition('Backlog', 'In Progress', '2026-01-06T09:00:00Z'),
        transition('In Progress', 'Done', '2026-01-07T09:00:00Z'),
        transition('Done', 'In Progress', '2026-01-08T09:00:00Z'),
        transition('In Progress', 'Done', '2026-01-09T09:00:00Z'),
      ]),
      context,
    );
    const item = outputs[0]?.record as WorkItem;
    expect(item).toMatchObject({
      status_category: 'done',
      team_id: 'synthetic:team:platform',
      work_scope_id: 'synthetic:project:API',
      started_at: Date.UTC(2026, 0, 6, 9),
      completed_at: Date.UTC(2026, 0, 9, 9),
    });
    expect(outputs.filter((output) => output.entity === 'work_item_transition')).toHaveLength(5);
  });

  it('a canceled work item has no completion', () => {
    const [item] = normalize(
      workItem('Canceled', [
        transition(null, 'Backlog', '2026-01-05T09:00:00Z'),
        transition('Backlog', 'Canceled', '2026-01-06T09:00:00Z'),
      ]),
      context,
    );
    expect(item?.record).toMatchObject({ status_category: 'canceled', started_at: null, completed_at: null });
  });

  it('rejects timestamps without an offset and unknown statuses, naming the field', () => {
    expect(() => normalize(workItem('Done', [transition(null, 'Backlog', '2026-01-05 09:00')]), context)).toThrow(
      /transitions\[0\]\.at.*not an ISO 8601 timestamp/,
    );
    expect(() => normalize(workItem('Limbo', []), context)).toThrow(NormalizationError);
  });

  it('sends a deployment status outside the vocabulary to the DLQ instead of counting it as neither', () => {
    const deployment = {
      id: 9,
      environment: 'production',
      status: 'failure',
      sha: null,
      service: 'api',
      created_at: '2026-01-05T09:00:00Z',
      finished_at: '2026-01-05T09:10:00Z',
      updated_at: '2026-01-05T09:10:00Z',
    };
    expect(() => normalize(raw('deployment', deployment), context)).toThrow(/unmapped status "failure"/);
    const [output] = normalize(raw('deployment', { ...deployment, status: 'failed' }), context);
    expect(output?.record).toMatchObject({ status: 'failed' });
  });
});

describe('synthetic organisation through the normalizers', () => {
  const generator = new SyntheticGenerator({ ...DEFAULT_SYNTHETIC_OPTIONS, days: 14 });
  const resolver = new IdentityResolver(identityAliases(generator.organisation));
  const byEntity = new Map<string, CanonicalRecord[]>();
  for (const batch of generator.batches())
    for (const record of batch)
      for (const output of normalize(record, { provenance, identities: resolver }))
        byEntity.set(output.entity, [...(byEntity.get(output.entity) ?? []), output.record]);

  it('produces every canonical entity except blame (only git has it) and pushes (only public events)', () => {
    const missing = CANONICAL_ENTITY_NAMES.filter((entity) => entity !== 'blame_line' && entity !== 'push').filter(
      (entity) => (byEntity.get(entity)?.length ?? 0) === 0,
    );
    expect(missing).toEqual([]);
  });

  it('resolves every address and login to one identity per person', () => {
    const people = new Set(generator.organisation.people.map((person) => `identity:${person.primaryEmail}`));
    const referenced = new Set<string>();
    for (const record of byEntity.get('commit') ?? [])
      referenced.add((record as { author_identity_id: string }).author_identity_id);
    for (const record of byEntity.get('pull_request') ?? [])
      referenced.add((record as { author_identity_id: string }).author_identity_id);
    for (const record of byEntity.get('review') ?? [])
      referenced.add((record as { reviewer_identity_id: string }).reviewer_identity_id);
    expect([...referenced].filter((id) => !people.has(id))).toEqual([]);
    expect(new Set((byEntity.get('identity') ?? []).map((record) => record.id)).size).toBe(people.size);
  });
});

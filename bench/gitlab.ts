/**
 * The GitLab connector against the fake GitLab (test/fakes/gitlab), default page size (100): a full
 * sync of a nested group, then an unchanged re-sync. Reports requests (all, per 100 MRs, by endpoint),
 * sync time and the connector's peak RSS. Services: admin, connector-gitlab, processor, sink-postgres.
 * Run: npm run bench -- gitlab [projects] [mergeRequestsPerProject]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AdminApi, createTestDatabase, issueApiKey, listeningUrl, stackEndpoints } from '@dev-health/testing';
import { FakeGitLab } from '../test/fakes/gitlab/fake-gitlab';
import { fakeGitLabDataset, materializeRepositories } from '../test/fakes/gitlab/gitlab-dataset';
import { Fleet, pipelineEnvironment, runMain, writeResult } from './harness';

export interface GitLabBenchResult {
  projects: number;
  mergeRequests: number;
  fullSync: {
    seconds: number;
    requests: number;
    requestsPer100MergeRequests: number;
    /** Only what merge requests cost: their list pages, notes and diffs. */
    mergeRequestRequestsPer100MergeRequests: number;
    byEndpoint: Record<string, number>;
  };
  /** The first re-sync asks from the new watermarks (new queries: 200s, nothing published); the next finds them unchanged. */
  unchangedResync: { seconds: number; requests: number; notModified: number };
  secondUnchangedResync: { seconds: number; requests: number; notModified: number };
  connectorPeakRssMb: number;
}

export async function measureGitLab(projects = 6, mergeRequestsPerProject = 40): Promise<GitLabBenchResult> {
  const fake = new FakeGitLab(fakeGitLabDataset(11, { projects, mergeRequestsPerProject }));
  const root = mkdtempSync(path.join(tmpdir(), 'bench-gitlab-'));
  await materializeRepositories(fake.dataset, path.join(root, 'repositories'));
  const url = await fake.start();
  const endpoints = stackEndpoints();
  const database = await createTestDatabase(endpoints.databaseUri, 'bench_gitlab');
  const env = { ...pipelineEnvironment('bench_gitlab', database.uri).env, ADMIN_TICK_SECONDS: '1' };
  const fleet = new Fleet(env);
  try {
    const api = new AdminApi(await listeningUrl(fleet.start('admin')), await issueApiKey(env, { name: 'bench' }));
    await fleet
      .start('connector-gitlab', {
        GITLAB_URL: url,
        GITLAB_TOKEN: fake.token ?? '',
        GITLAB_INITIAL_HISTORY_DAYS: '3650',
        GITLAB_CLONE_DIR: path.join(root, 'clones'),
      })
      .waitForLog(/connector consuming commands/);
    await fleet.startConsuming(['processor', 'sink-postgres']);
    await api.ok('POST', '/orgs', { slug: 'bench', name: 'Bench', tier: 'enterprise' });
    const top = fake.dataset.groups.find((group) => group.parentId === null);
    const integration = await api.ok('POST', '/orgs/bench/integrations', {
      provider: 'gitlab',
      name: 'gitlab',
      scope: { group: top?.fullPath ?? '' },
      credential_ref: 'env:GITLAB_TOKEN',
    });
    const syncOnce = async () => {
      const from = fake.requests.length;
      const started = performance.now();
      const run = await api.waitForEnd(
        'bench',
        (await api.requestSync('bench', String(integration.id))).run.id,
        600_000,
      );
      if (run.status !== 'succeeded') throw new Error(`sync ${run.status}: ${run.error_message ?? ''}`);
      return { seconds: (performance.now() - started) / 1000, requests: fake.requests.slice(from) };
    };
    const full = await syncOnce();
    const again = await syncOnce();
    const third = await syncOnce();
    const mergeRequests = fake.dataset.projects.reduce((sum, project) => sum + project.mergeRequests.length, 0);
    const byEndpoint: Record<string, number> = {};
    for (const request of full.requests) byEndpoint[request.endpoint] = (byEndpoint[request.endpoint] ?? 0) + 1;
    const sorted = Object.fromEntries(Object.entries(byEndpoint).sort((a, b) => b[1] - a[1]));
    const mergeRequestRequests = full.requests.filter((request) => request.endpoint.includes('/merge_requests')).length;
    const resync = (sync: { seconds: number; requests: { status: number }[] }) => ({
      seconds: Math.round(sync.seconds * 10) / 10,
      requests: sync.requests.length,
      notModified: sync.requests.filter((request) => request.status === 304).length,
    });
    const per100 = (requests: number) => Math.round((requests / mergeRequests) * 1000) / 10;
    const result: GitLabBenchResult = {
      projects: fake.dataset.projects.length,
      mergeRequests,
      fullSync: {
        seconds: Math.round(full.seconds * 10) / 10,
        requests: full.requests.length,
        requestsPer100MergeRequests: per100(full.requests.length),
        mergeRequestRequestsPer100MergeRequests: per100(mergeRequestRequests),
        byEndpoint: sorted,
      },
      unchangedResync: resync(again),
      secondUnchangedResync: resync(third),
      connectorPeakRssMb: Math.round(fleet.peaks.get('connector-gitlab') ?? 0),
    };
    writeResult('gitlab', result);
    return result;
  } finally {
    await fleet.stop();
    await fake.stop();
    await database.drop();
  }
}

if (require.main === module)
  runMain(async () =>
    process.stdout.write(
      `${JSON.stringify(await measureGitLab(Number(process.argv[2] ?? 6), Number(process.argv[3] ?? 40)))}\n`,
    ),
  );

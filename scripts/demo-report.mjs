// Polls the gateway until the demo's commit metrics are complete, then prints them. Complete = the
// commits counted through GraphQL equal the commits in the repositories' history plus the synthetic
// organisation's (SYNTHETIC_COMMITS).
import { execFileSync } from 'node:child_process';

const [graphqlUrl, startedMs] = process.argv.slice(2);
const org = JSON.stringify(process.env.DEMO_ORG ?? 'default');
const repositories = (process.env.GIT_REPOSITORIES ?? '').split(',').filter(Boolean);
const expectedCommits = repositories.reduce(
  (sum, directory) =>
    sum + Number(execFileSync('git', ['-C', directory, 'rev-list', '--all', '--count'], { encoding: 'utf8' }).trim()),
  Number(process.env.SYNTHETIC_COMMITS ?? 0),
);

async function graphql(query) {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    // The admin API key the demo issued (DHO_API_KEY): the gateway authenticates every request.
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.DHO_API_KEY ?? ''}` },
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const fields = 'day commits additions deletions filesChanged largeCommits avgCommitSize prsMerged prCycleTimeP50Hours';
async function snapshot() {
  const { repositories: repos } = await graphql(`{ repositories(orgId: ${org}) { id fullName } }`);
  const result = [];
  for (const repo of repos) {
    const { repoMetrics, userMetrics } = await graphql(
      `{ repoMetrics(orgId: ${org}, repositoryId: "${repo.id}", from: "2000-01-01", to: "2099-12-31") { ${fields} }
         userMetrics(orgId: ${org}, repositoryId: "${repo.id}", from: "2000-01-01", to: "2099-12-31") { authorEmail commits additions deletions } }`,
    );
    result.push({ repo, repoMetrics, userMetrics });
  }
  return result;
}

const deadline = Date.now() + 120_000;
let data = [];
for (;;) {
  data = await snapshot().catch(() => []);
  const counted = data.reduce((sum, entry) => sum + entry.repoMetrics.reduce((s, row) => s + row.commits, 0), 0);
  if (counted >= expectedCommits && expectedCommits > 0) break;
  if (Date.now() > deadline) {
    console.error(`metrics incomplete after 120 s: ${counted} of ${expectedCommits} commits counted`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const seconds = ((Date.now() - Number(startedMs)) / 1000).toFixed(2);

for (const { repo, repoMetrics, userMetrics } of data) {
  const total = (key) => repoMetrics.reduce((sum, row) => sum + row[key], 0);
  console.log(`\nrepository ${repo.fullName} (${repo.id})`);
  console.log(
    `  commits ${total('commits')}  +${total('additions')} -${total('deletions')} lines  files changed ${total('filesChanged')}  large commits ${total('largeCommits')}  active days ${repoMetrics.length}`,
  );
  console.log('  last days:');
  for (const row of repoMetrics.slice(-5)) {
    console.log(
      `    ${row.day}  commits ${String(row.commits).padStart(4)}  +${row.additions} -${row.deletions}  avg size ${row.avgCommitSize ?? '-'}`,
    );
  }
  const authors = new Map();
  for (const row of userMetrics) authors.set(row.authorEmail, (authors.get(row.authorEmail) ?? 0) + row.commits);
  console.log(`  authors (commits): ${[...authors].map(([email, commits]) => `${email} (${commits})`).join(', ')}`);
  const merged = total('prsMerged');
  if (merged > 0) {
    const cycles = repoMetrics
      .map((row) => row.prCycleTimeP50Hours)
      .filter((value) => value !== null)
      .sort((a, b) => a - b);
    console.log(
      `  pull requests merged ${merged}, median of daily median cycle time ${cycles[Math.floor(cycles.length / 2)]} h`,
    );
    const first = repoMetrics[0].day;
    const last = repoMetrics.at(-1).day;
    const { doraSummary: dora } = await graphql(
      `{ doraSummary(orgId: ${org}, repositoryId: "${repo.id}", from: "${first}", to: "${last}") {
          days successfulDeployments changeFailureRate leadTimeP50Hours timeToRestoreP50Hours
          bands { deploymentFrequency leadTime changeFailureRate timeToRestore } } }`,
    );
    console.log(
      `  DORA ${first}..${last}: ${dora.successfulDeployments} deployments (${dora.bands.deploymentFrequency}), lead time p50 ${dora.leadTimeP50Hours ?? '-'} h (${dora.bands.leadTime}), change failure rate ${dora.changeFailureRate ?? '-'} (${dora.bands.changeFailureRate}), time to restore p50 ${dora.timeToRestoreP50Hours ?? '-'} h (${dora.bands.timeToRestore})`,
    );
  }
}
console.log(
  `\nend to end (org ${org}): sync requested → git history and synthetic org → GraphQL in ${seconds} s (${expectedCommits} commits)`,
);

/**
 * Runs the fake GitHub as a process, for the demo and for trying the connector by hand:
 *   node -r @swc-node/register test/fakes/github/serve.ts [port] [repositories] [pullRequestsPerRepository]
 * Each repository gets a small git history (served over smart HTTP, for the commits collector) and
 * the org a Projects (v2) board of its open issues. Prints {"url": …, "token": …} once listening.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fakeOrganization } from './fake-github';
import { FixtureRepository } from './fake-git-server';

const COMMITS_PER_REPOSITORY = 24;
const PEOPLE = [
  { name: 'Ada Lovelace', email: 'ada@acme.example', offset: '+01:00' },
  { name: 'Bob Kahn', email: 'bob@acme.example', offset: '-05:00' },
  { name: 'Cy Young', email: '583231+cy@users.noreply.github.com', offset: '+05:30' },
];

async function main(): Promise<void> {
  const [port = '0', repositories = '5', pullRequests = '60'] = process.argv.slice(2);
  const fake = fakeOrganization('acme-inc', Number(repositories), Number(pullRequests));
  const root = await mkdtemp(path.join(tmpdir(), 'fake-github-'));
  for (const [index, repository] of fake.repositories.entries()) {
    const fixture = await FixtureRepository.create(path.join(root, repository.name));
    for (let n = 0; n < COMMITS_PER_REPOSITORY; n++) {
      const person = PEOPLE[(index + n) % PEOPLE.length] ?? PEOPLE[0];
      if (!person) continue;
      const day = String(1 + (n % 28)).padStart(2, '0');
      await fixture.commit({
        author: { name: person.name, email: person.email },
        date: `2026-03-${day}T${String(9 + (n % 8)).padStart(2, '0')}:00:00${person.offset}`,
        message: `Change ${n} of ${repository.name}`,
        files: { [`src/module-${n % 6}.ts`]: `export const value = ${n};\n`.repeat(1 + (n % 5)) },
      });
    }
    repository.gitDirectory = fixture.gitDirectory;
  }
  // A board of every repository's open issues: the demo's integration reads it (scope.projects).
  const statuses = ['Todo', 'In Progress', 'In Review', 'Done'];
  fake.projects.push({
    number: 1,
    statusOptions: statuses,
    items: fake.repositories.flatMap((repository, r) =>
      repository.issues.map((issue, i) => ({
        id: 10_000 + r * 100 + i,
        repository: repository.name,
        issueNumber: issue.number,
        status: statuses[(r + i) % statuses.length] ?? null,
        updatedAt: issue.updatedAt,
      })),
    ),
  });
  const url = await fake.start(Number(port));
  process.stdout.write(`${JSON.stringify({ url, owner: fake.owner, token: fake.token })}\n`);
  const stop = () =>
    void Promise.all([fake.stop(), rm(root, { recursive: true, force: true })]).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();

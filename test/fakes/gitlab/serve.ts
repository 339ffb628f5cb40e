/**
 * Runs the fake GitLab as a process, for the demo and for trying the connector by hand:
 *   FAKE_GITLAB_PORT=8929 FAKE_GITLAB_SEED=1 node -r @swc-node/register test/fakes/gitlab/serve.ts
 * (or the port and seed as arguments). Each project gets its generated git history, cloneable at its
 * http_url_to_repo with the token as the password. Prints {"url", "group", "token"} once listening.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeGitLab } from './fake-gitlab';
import { fakeGitLabDataset, materializeRepositories } from './gitlab-dataset';

async function main(): Promise<void> {
  const [portArgument, seedArgument] = process.argv.slice(2);
  const port = Number(process.env.FAKE_GITLAB_PORT ?? portArgument ?? 0);
  const seed = Number(process.env.FAKE_GITLAB_SEED ?? seedArgument ?? 1);
  const dataset = fakeGitLabDataset(seed);
  const root = await mkdtemp(path.join(tmpdir(), 'fake-gitlab-'));
  await materializeRepositories(dataset, root);
  const fake = new FakeGitLab(dataset);
  const url = await fake.start(port);
  process.stdout.write(`${JSON.stringify({ url, group: dataset.groups[0]?.fullPath, token: fake.token })}\n`);
  const stop = () =>
    void Promise.all([fake.stop(), rm(root, { recursive: true, force: true })]).then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();

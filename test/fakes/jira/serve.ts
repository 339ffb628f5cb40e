/**
 * Runs the fake Jira as a process, for the demo and for trying the connector by hand:
 *   FAKE_JIRA_PORT=8930 FAKE_JIRA_SEED=1 FAKE_JIRA_DEPLOYMENT=cloud node -r @swc-node/register test/fakes/jira/serve.ts
 * (or port, seed and deployment as arguments). Prints {"url", "email", "apiToken", "bearerToken",
 * "projects"} once listening; Cloud takes Basic email:apiToken or Bearer, Data Center Bearer only.
 */
import { FakeJira } from './fake-jira';
import { fakeJiraDataset } from './jira-dataset';

async function main(): Promise<void> {
  const [portArgument, seedArgument, deploymentArgument] = process.argv.slice(2);
  const port = Number(process.env.FAKE_JIRA_PORT ?? portArgument ?? 0);
  const seed = Number(process.env.FAKE_JIRA_SEED ?? seedArgument ?? 1);
  const deployment =
    (process.env.FAKE_JIRA_DEPLOYMENT ?? deploymentArgument ?? 'cloud') === 'datacenter' ? 'datacenter' : 'cloud';
  const dataset = fakeJiraDataset(seed);
  const fake = new FakeJira(dataset, { deployment });
  const url = await fake.start(port);
  process.stdout.write(
    `${JSON.stringify({
      url,
      email: fake.email,
      apiToken: fake.apiToken,
      bearerToken: fake.bearerToken,
      projects: dataset.projects.map((project) => project.key),
    })}\n`,
  );
  const stop = () => void fake.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();

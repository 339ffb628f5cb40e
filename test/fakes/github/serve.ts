/**
 * Runs the fake GitHub as a process, for the demo and for trying the connector by hand:
 *   node -r @swc-node/register test/fakes/github/serve.ts [port] [repositories] [pullRequestsPerRepository]
 * Prints {"url": …, "token": …} once listening.
 */
import { fakeOrganization } from './fake-github';

const [port = '0', repositories = '5', pullRequests = '60'] = process.argv.slice(2);
const fake = fakeOrganization('acme-inc', Number(repositories), Number(pullRequests));
void fake.start(Number(port)).then((url) => {
  process.stdout.write(`${JSON.stringify({ url, owner: fake.owner, token: fake.token })}\n`);
});
process.once('SIGTERM', () => void fake.stop().then(() => process.exit(0)));
process.once('SIGINT', () => void fake.stop().then(() => process.exit(0)));

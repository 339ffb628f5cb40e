import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { missingEndpointVariables } from './endpoints';

/**
 * Integration tests need real servers. Endpoints given in the environment win (the local stack, or
 * anything else); otherwise, when a Docker engine answers, docker-compose.yml is started through
 * testcontainers; otherwise the run stops here with a message that says what to do.
 */
export default async function globalSetup(): Promise<void> {
  buildServices();
  const missing = missingEndpointVariables();
  if (missing.length === 0) return;

  const dockerReason = await dockerUnavailableReason();
  if (dockerReason !== undefined) {
    throw new Error(
      [
        `No servers for the integration tests: ${missing.join(', ')} not set, and no Docker engine (${dockerReason}).`,
        'Either run the tests through scripts/test (starts the local stack), or',
        '  scripts/stack start && eval "$(scripts/stack env)" && npm run test:integration',
        'or start a Docker engine and the tests will bring up docker-compose.yml themselves.',
      ].join('\n'),
    );
  }
  const { DockerComposeEnvironment, Wait } = await import('testcontainers');
  const root = path.resolve(__dirname, '..', '..');
  const environment = await new DockerComposeEnvironment(root, 'docker-compose.yml')
    .withWaitStrategy('postgres-1', Wait.forHealthCheck())
    .withWaitStrategy('kafka-1', Wait.forHealthCheck())
    .withWaitStrategy('schema-registry-1', Wait.forHealthCheck())
    .withWaitStrategy('clickhouse-1', Wait.forHealthCheck())
    .withWaitStrategy('mongodb-1', Wait.forHealthCheck())
    .up();
  (globalThis as { __devHealthCompose?: unknown }).__devHealthCompose = environment;
  // Same ports and names as the local stack (see docker-compose.yml).
  process.env.KAFKA_BROKERS ??= '127.0.0.1:9092';
  process.env.SCHEMA_REGISTRY_URL ??= 'http://127.0.0.1:8081/apis/ccompat/v7';
  process.env.DATABASE_URI ??= 'postgresql://postgres:devhealth@127.0.0.1:5432/devhealth';
  process.env.CLICKHOUSE_URL ??= 'http://127.0.0.1:8123';
  process.env.MONGODB_URI ??= 'mongodb://127.0.0.1:27017/devhealth';
}

async function dockerUnavailableReason(): Promise<string | undefined> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return undefined;
  } catch (error: unknown) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}

/** Integration tests run the services as processes from dist/, so build it first (swc: about a second). */
function buildServices(): void {
  const root = path.resolve(__dirname, '..', '..');
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
}

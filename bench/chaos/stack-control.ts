import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..');
const STACK_SCRIPT = path.join(ROOT, 'scripts', 'stack');
const run = promisify(execFile);

export const STACK_COMPONENTS = ['postgres', 'clickhouse', 'kafka', 'mongo', 'registry'] as const;
export type StackComponent = (typeof STACK_COMPONENTS)[number];

/**
 * The servers of the local stack, controlled through `scripts/stack kill|stop|start <component>`. Only
 * when the endpoints in the environment are the ones that stack wrote: servers someone else runs
 * (Docker, a shared cluster) are never touched.
 */
export class StackControl {
  private constructor(private readonly registryUrl: string) {}

  /** The controller of the local stack that serves these endpoints, or null (with the reason) when none does. */
  static forEnvironment(env: NodeJS.ProcessEnv): { control: StackControl | null; reason: string } {
    const stackHome = env.STACK_HOME ?? path.join(ROOT, '.stack');
    let written: Record<string, string>;
    try {
      written = Object.fromEntries(
        readFileSync(path.join(stackHome, 'env'), 'utf8')
          .split('\n')
          .filter((line) => line.includes('='))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
    } catch {
      return {
        control: null,
        reason: `no local stack under ${stackHome} (endpoints come from elsewhere, e.g. Docker)`,
      };
    }
    const same = ['KAFKA_BROKERS', 'DATABASE_URI', 'SCHEMA_REGISTRY_URL'].every((name) => written[name] === env[name]);
    if (!same)
      return { control: null, reason: `the endpoints in the environment are not the local stack's (${stackHome})` };
    return { control: new StackControl(env.SCHEMA_REGISTRY_URL ?? ''), reason: 'local stack' };
  }

  kill(component: StackComponent): Promise<void> {
    return this.stack('kill', component);
  }

  stop(component: StackComponent): Promise<void> {
    return this.stack('stop', component);
  }

  /** Resolves once the component answers its health check again. */
  start(component: StackComponent): Promise<void> {
    return this.stack('start', component);
  }

  /**
   * Restarts the registry when its own liveness check fails, as a Kubernetes liveness probe would:
   * Apicurio keeps its broken Postgres connections after a Postgres restart and answers 500 until
   * restarted. Returns whether it had to.
   */
  async reviveRegistryIfDead(): Promise<boolean> {
    const live = await fetch(new URL('/health/live', this.registryUrl), { signal: AbortSignal.timeout(5_000) })
      .then((response) => response.ok)
      .catch(() => false);
    if (live) return false;
    // A probe's restart ends the process; Apicurio takes long to stop and there is nothing to flush.
    await this.kill('registry');
    await this.start('registry');
    return true;
  }

  private async stack(command: 'kill' | 'stop' | 'start', component: StackComponent): Promise<void> {
    try {
      await run('bash', [STACK_SCRIPT, command, component], { timeout: 300_000 });
    } catch (error: unknown) {
      const output = error as { stdout?: string; stderr?: string; message?: string };
      throw new Error(`scripts/stack ${command} ${component} failed: ${output.stderr || output.message || ''}`);
    }
  }
}

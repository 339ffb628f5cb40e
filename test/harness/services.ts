import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait-for';

const ROOT = path.resolve(__dirname, '..', '..');
const LOG_DIR = path.join(ROOT, '.stack', 'test-logs');

export type ServiceName =
  | 'connector-git'
  | 'connector-synthetic'
  | 'connector-github'
  | 'connector-gitlab'
  | 'connector-jira'
  | 'processor'
  | 'sink-postgres'
  | 'sink-clickhouse'
  | 'sink-mongo'
  | 'metrics'
  | 'gateway'
  | 'admin'
  | 'cli';

/** A pipeline service running as its own process, from the built output, as it runs in production. */
export class RunningService {
  readonly exited: Promise<number>;

  constructor(
    readonly name: ServiceName,
    readonly child: ChildProcess,
    readonly logFile: string,
    /** Resolves once everything written to the log so far is in the file. */
    flushLog: () => Promise<void> = () => Promise.resolve(),
  ) {
    // After 'exit' the child's last output may still be in the pipe: wait for 'close' (all of it read;
    // at most 2 s, as a grandchild may hold the pipe) and the flush to the log file, so logs() after
    // exited holds the last lines (a CLI's final status line was missed otherwise).
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        const status = code ?? (signal ? 128 : 1);
        void Promise.race([closed, new Promise((settle) => setTimeout(settle, 2_000))])
          .then(flushLog)
          .then(() => resolve(status));
      }),
    );
  }

  logs(): string {
    return readFileSync(this.logFile, 'utf8');
  }

  /** Resolves when a log line matching `pattern` appears. */
  async waitForLog(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
    return waitFor(
      () =>
        this.logs()
          .split('\n')
          .find((line) => pattern.test(line)),
      {
        description: `${this.name} to log ${pattern}`,
        timeoutMs,
        intervalMs: 100,
      },
    );
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Starts a service with the test's endpoints and settings; HTTP on a free port. */
export function startService(
  name: ServiceName,
  env: Record<string, string>,
  label: string = name,
  args: readonly string[] = [],
): RunningService {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${label}-${Date.now()}-${process.pid}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', path.join(ROOT, 'dist', 'apps', name, 'src', 'main.js'), ...args],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HTTP_PORT: '0',
        LOG_LEVEL: 'info',
        // The whole suite runs against either Kafka client: KAFKA_CLIENT=kafkajs npm test.
        ...(process.env.KAFKA_CLIENT ? { KAFKA_CLIENT: process.env.KAFKA_CLIENT } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  // Writes complete in order: an empty write's callback runs after every earlier one reached the file.
  const flushLog = () => new Promise<void>((resolve) => log.write('', () => resolve()));
  return new RunningService(name, child, logFile, flushLog);
}

/** Runs a service to completion (connectors in run-once mode) and returns its exit code and output. */
export async function runToCompletion(
  name: ServiceName,
  env: Record<string, string>,
  timeoutMs = 120_000,
  args: readonly string[] = [],
): Promise<{ code: number; output: string }> {
  const service = startService(name, env, name, args);
  const timer = setTimeout(() => service.child.kill('SIGKILL'), timeoutMs);
  const code = await service.exited;
  clearTimeout(timer);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { code, output: service.logs() };
}

/** The port a service logged it listens on. */
export async function listeningUrl(service: RunningService): Promise<string> {
  const line = await service.waitForLog(/"message":"(listening|gateway listening)"/);
  const match = /"url":"(http:\/\/[^"]+?)(\/graphql)?"/.exec(line);
  if (!match?.[1]) throw new Error(`no url in ${line}`);
  return match[1];
}

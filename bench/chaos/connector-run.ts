import { type RunningService, startService } from '@dev-health/testing';
import { CRASH_RESTART_DELAY_MS } from './fleet';

/**
 * The run-once synthetic connector of one phase, run to success as a Kubernetes Job would: started again
 * after the suite kills it (it republishes its whole org, which the stores must absorb) and after it
 * fails on its own (counted as a crash).
 */
export class ConnectorRun {
  private current: RunningService;
  private readonly killed = new WeakSet<RunningService>();
  runs = 0;
  crashes = 0;
  readonly logFiles: string[] = [];

  constructor(
    private readonly label: string,
    private readonly env: Record<string, string>,
  ) {
    this.current = this.spawn();
  }

  /** Resolves when a run ended with exit code 0. */
  async completion(): Promise<void> {
    for (;;) {
      const instance = this.current;
      const code = await instance.exited;
      if (this.killed.has(instance) || instance !== this.current) continue;
      if (code === 0) return;
      this.crashes++;
      await new Promise((resolve) => setTimeout(resolve, CRASH_RESTART_DELAY_MS));
      if (instance === this.current) this.current = this.spawn();
    }
  }

  get running(): boolean {
    return this.current.child.exitCode === null && this.current.child.signalCode === null;
  }

  /** A new run, for a kill that finds the last run finished (re-running the Job republishes the org). */
  startAgain(): void {
    this.current = this.spawn();
  }

  /** SIGKILL the running instance and start the next at once; returns when it is spawned. */
  async killAndRestart(): Promise<void> {
    const instance = this.current;
    this.killed.add(instance);
    await instance.stop('SIGKILL');
    this.current = this.spawn();
  }

  logTail(lines = 30): string {
    return `${this.current.logFile}:\n${this.current.logs().split('\n').slice(-lines).join('\n')}`;
  }

  private spawn(): RunningService {
    this.runs++;
    const service = startService('connector-synthetic', this.env, `chaos-${this.label}-connector-${this.runs}`);
    this.logFiles.push(service.logFile);
    return service;
  }
}

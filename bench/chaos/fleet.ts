import type { KafkaClient } from '@dev-health/kafka';
import type { Topology } from '@dev-health/schemas';
import { type RunningService, startService, waitFor } from '@dev-health/testing';
import { scrapeCounter } from '../harness';

export const PIPELINE_SERVICES = ['processor', 'sink-postgres', 'sink-clickhouse', 'sink-mongo', 'metrics'] as const;
export type PipelineService = (typeof PIPELINE_SERVICES)[number];

/** How long a crashed service waits before it is started again (a pod's restart backoff, shortened). */
export const CRASH_RESTART_DELAY_MS = 2_000;

interface Instance {
  service: RunningService;
  /** Its HTTP address, once it logged it. */
  url?: string;
  /** Set when the suite stops or kills it: its exit is not a crash. */
  planned: boolean;
}

/**
 * The long-running services of one pipeline, kept running as Kubernetes would: each is started again
 * after the suite kills it, and after it exits on its own (counted as a crash). Every instance logs to
 * its own file.
 */
export class ChaosFleet {
  private readonly instances = new Map<PipelineService, Instance>();
  readonly crashes: { service: PipelineService; code: number; logFile: string }[] = [];
  readonly logFiles: string[] = [];
  private stopping = false;

  constructor(
    private readonly label: string,
    private readonly env: Record<string, string>,
    private readonly kafka: KafkaClient,
    private readonly topology: Topology,
  ) {}

  async startAll(): Promise<void> {
    for (const name of PIPELINE_SERVICES) this.start(name);
    await Promise.all(PIPELINE_SERVICES.map((name) => this.instance(name).service.waitForLog(/consuming/, 120_000)));
  }

  /** SIGKILL, then a new instance at once (fault end = the moment it is spawned). */
  async killAndRestart(name: PipelineService): Promise<void> {
    const instance = this.instance(name);
    instance.planned = true;
    await instance.service.stop('SIGKILL');
    this.start(name);
  }

  group(name: PipelineService): string {
    return this.topology.group(name);
  }

  /** Ready (/readyz 200: broker, registry and its stores answer) and consuming: its consumed counter grew past `consumedBefore`, or its group has no lag. */
  async recovered(name: PipelineService, consumedBefore: number): Promise<boolean> {
    const url = this.url(name);
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    if (!ready.ok) return false;
    if ((await this.consumed(name)) > consumedBefore) return true;
    return (await this.kafka.groupLag(this.group(name))) === 0;
  }

  /** Milliseconds from `since` until every named service recovered (see recovered). */
  async waitRecovered(names: readonly PipelineService[], since: number, timeoutMs: number): Promise<number> {
    const before = new Map<PipelineService, number>();
    for (const name of names) before.set(name, await this.consumed(name).catch(() => 0));
    await Promise.all(
      names.map((name) =>
        waitFor(() => this.recovered(name, before.get(name) ?? 0), {
          description: `${name} (${this.label}) to be ready and consuming again`,
          timeoutMs,
          intervalMs: 200,
        }),
      ),
    );
    return Date.now() - since;
  }

  /** Records consumed by the current instance so far. */
  async consumed(name: PipelineService): Promise<number> {
    return scrapeCounter(`${this.url(name)}/metrics`, 'dho_records_consumed_total');
  }

  /**
   * Every service stopped (SIGKILL after 30 s, as a pod's grace period ends) and started afresh: after a
   * failed phase, so the next one starts from a pipeline in a known state rather than inheriting its fault.
   */
  async restartAll(): Promise<void> {
    await Promise.all(
      PIPELINE_SERVICES.map(async (name) => {
        const instance = this.instance(name);
        instance.planned = true;
        const killer = setTimeout(() => instance.service.child.kill('SIGKILL'), 30_000);
        await instance.service.stop();
        clearTimeout(killer);
      }),
    );
    await this.startAll();
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.instances.values()].map(async (instance) => {
        instance.planned = true;
        await instance.service.stop();
      }),
    );
  }

  /** The last lines of every log of `name` (all its instances), for a failure report. */
  logTail(name: string, lines = 30): string {
    const service = [...this.instances.entries()].find(([candidate]) => candidate === name)?.[1].service;
    if (!service) return '';
    return `${service.logFile}:\n${service.logs().split('\n').slice(-lines).join('\n')}`;
  }

  /** The current instance's address; throws until it has logged one (a service booting, or waiting for a store). */
  private url(name: PipelineService): string {
    const instance = this.instance(name);
    if (instance.url) return instance.url;
    const match = /"message":"listening".*?"url":"(http:\/\/[^"]+)"/.exec(instance.service.logs());
    if (!match?.[1]) throw new Error(`${name} is not listening yet`);
    instance.url = match[1];
    return instance.url;
  }

  private instance(name: PipelineService): Instance {
    const instance = this.instances.get(name);
    if (!instance) throw new Error(`${name} was never started`);
    return instance;
  }

  private start(name: PipelineService): void {
    const service = startService(name, this.env, `chaos-${this.label}-${name}`);
    const instance: Instance = { service, planned: false };
    this.instances.set(name, instance);
    this.logFiles.push(service.logFile);
    void service.exited.then((code) => this.onExit(name, instance, code));
  }

  private onExit(name: PipelineService, instance: Instance, code: number): void {
    if (instance.planned || this.stopping) return;
    this.crashes.push({ service: name, code, logFile: instance.service.logFile });
    setTimeout(() => {
      if (!this.stopping && this.instances.get(name) === instance) this.start(name);
    }, CRASH_RESTART_DELAY_MS);
  }
}

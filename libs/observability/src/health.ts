/** A readiness probe: resolves when the dependency answers, throws (or times out) when it does not. */
export type ReadinessProbe = () => Promise<void>;
/** A liveness check: a problem description when the process is stuck and a restart would help. */
export type LivenessCheck = () => Promise<string | undefined>;

export interface CheckResult {
  ready: boolean;
  detail?: string;
}

const PROBE_TIMEOUT_MS = 3_000;
/** Probe results are reused this long: kubelets and load balancers poll often, the stores need not feel it. */
const PROBE_CACHE_MS = 2_000;

/**
 * Readiness is the conjunction of named checks (consumer joined, store writes succeeding…) and probes
 * that ask each dependency (broker, stores, registry) for real. Liveness fails only on what a restart
 * fixes: a consumer with lag that has made no progress for too long.
 */
export class HealthState {
  private readonly checks = new Map<string, CheckResult>();
  private readonly probes = new Map<string, ReadinessProbe>();
  private readonly livenessChecks = new Map<string, LivenessCheck>();
  private probed: { at: number; results: Promise<Record<string, CheckResult>> } | undefined;

  set(name: string, ready: boolean, detail?: string): void {
    this.checks.set(name, detail === undefined ? { ready } : { ready, detail });
  }

  /** Asks `probe` on every readiness check (cached briefly); a probe that takes over 3 s counts as failed. */
  addProbe(name: string, probe: ReadinessProbe): void {
    this.probes.set(name, probe);
    this.probed = undefined;
  }

  addLivenessCheck(name: string, check: LivenessCheck): void {
    this.livenessChecks.set(name, check);
  }

  snapshot(): Record<string, CheckResult> {
    return Object.fromEntries(this.checks);
  }

  /** Every named check and every probe's answer now: what /readyz reports. */
  async readiness(now = Date.now()): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
    if (!this.probed || now - this.probed.at > PROBE_CACHE_MS) this.probed = { at: now, results: this.runProbes() };
    const checks = { ...this.snapshot(), ...(await this.probed.results) };
    return { ready: Object.values(checks).every((check) => check.ready), checks };
  }

  /** Problems that make the process not alive (empty: alive): what /healthz reports. */
  async liveness(): Promise<Record<string, string>> {
    const problems: Record<string, string> = {};
    for (const [name, check] of this.livenessChecks) {
      const problem = await check().catch(() => undefined); // a check that cannot tell never kills the pod
      if (problem !== undefined) problems[name] = problem;
    }
    return problems;
  }

  private async runProbes(): Promise<Record<string, CheckResult>> {
    const entries = await Promise.all(
      [...this.probes].map(async ([name, probe]): Promise<[string, CheckResult]> => {
        let timer: NodeJS.Timeout | undefined;
        try {
          await Promise.race([
            probe(),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer in ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
            }),
          ]);
          return [name, { ready: true }];
        } catch (error: unknown) {
          return [name, { ready: false, detail: error instanceof Error ? error.message : String(error) }];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return Object.fromEntries(entries);
  }
}

/** Readiness is the conjunction of named checks (consumer joined, database reachable…). */
export class HealthState {
  private readonly checks = new Map<string, { ready: boolean; detail?: string }>();

  set(name: string, ready: boolean, detail?: string): void {
    this.checks.set(name, detail === undefined ? { ready } : { ready, detail });
  }

  get ready(): boolean {
    return [...this.checks.values()].every((check) => check.ready);
  }

  snapshot(): Record<string, { ready: boolean; detail?: string }> {
    return Object.fromEntries(this.checks);
  }
}

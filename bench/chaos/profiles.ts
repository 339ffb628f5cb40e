import type { SyntheticOptions } from '@dev-health/synthetic';
import { dailyActivity } from '../harness';
import type { PipelineService } from './fleet';
import type { StackComponent } from './stack-control';

export type ServiceTarget = PipelineService | 'connector-synthetic';

export type Fault =
  /** Each service SIGKILLed `times` times at random moments of the window, restarted at once. */
  | { kind: 'kill-services'; services: readonly ServiceTarget[]; times: number }
  /** The broker SIGKILLed at a random moment, then started again. */
  | { kind: 'kill-broker' }
  /** A stack component stopped at a random moment for `seconds`, then started again. */
  | { kind: 'outage'; component: StackComponent; seconds: number };

export interface PhaseSpec {
  /** The fault as the table names it. */
  name: string;
  /** The phase's own org: its records are counted apart from every other phase's. */
  org: string;
  fault: Fault;
  /** How long the connector's paced publishing lasts; every fault of the phase happens inside it. */
  windowSeconds: number;
  generator: SyntheticOptions;
}

export interface Profile {
  name: 'full' | 'ci';
  phases: PhaseSpec[];
  /** A service or component not ready and consuming this long after its fault ended fails the run. */
  recoveryBoundMs: number;
  /** Share of each phase's raw records injected malformed. */
  malformedShare: number;
}

/** Every phase's org has the same shape (so one identity table serves them all); the sizes differ. */
function orgOptions(org: string, commitsPerDay: number, days: number): SyntheticOptions {
  return {
    seed: 'chaos',
    startDate: '2026-01-05',
    days,
    repos: 8,
    teams: 4,
    people: 40,
    ...dailyActivity(commitsPerDay),
    org,
  };
}

const KILLED_SERVICES: readonly ServiceTarget[] = [
  'processor',
  'sink-postgres',
  'sink-clickhouse',
  'sink-mongo',
  'metrics',
  'connector-synthetic',
];

/** ~20k canonical records per phase, 11 phases: ≥ 200,000 in all; about 30 minutes. */
function fullProfile(): Profile {
  const phase = (slug: string, name: string, fault: Fault, windowSeconds: number): PhaseSpec => ({
    name,
    org: `chaos-${slug}`,
    fault,
    windowSeconds,
    generator: orgOptions(`chaos-${slug}`, 100, 50),
  });
  return {
    name: 'full',
    recoveryBoundMs: 180_000,
    malformedShare: 0.01,
    phases: [
      ...KILLED_SERVICES.map((service) =>
        phase(`kill-${service}`, `SIGKILL ${service}`, { kind: 'kill-services', services: [service], times: 10 }, 100),
      ),
      phase('kill-broker', 'SIGKILL broker + restart', { kind: 'kill-broker' }, 60),
      ...(['registry', 'postgres', 'clickhouse', 'mongo'] as const).map((component) =>
        phase(`${component}-down`, `${component} down 60 s`, { kind: 'outage', component, seconds: 60 }, 90),
      ),
    ],
  };
}

/** ~5k canonical records per phase, 4 phases, a broker restart among them: a few minutes. */
function ciProfile(): Profile {
  const phase = (slug: string, name: string, fault: Fault, windowSeconds: number): PhaseSpec => ({
    name,
    org: `chaos-ci-${slug}`,
    fault,
    windowSeconds,
    generator: orgOptions(`chaos-ci-${slug}`, 60, 20),
  });
  return {
    name: 'ci',
    recoveryBoundMs: 180_000,
    malformedShare: 0.01,
    phases: [
      phase(
        'kill-services',
        'SIGKILL each service 2×',
        { kind: 'kill-services', services: KILLED_SERVICES, times: 2 },
        40,
      ),
      phase('kill-broker', 'SIGKILL broker + restart', { kind: 'kill-broker' }, 25),
      phase('registry-down', 'registry down 15 s', { kind: 'outage', component: 'registry', seconds: 15 }, 30),
      phase('postgres-down', 'postgres down 15 s', { kind: 'outage', component: 'postgres', seconds: 15 }, 30),
    ],
  };
}

export function profileNamed(name: string): Profile {
  switch (name) {
    case 'full':
      return fullProfile();
    case 'ci':
      return ciProfile();
    default:
      throw new Error(`unknown chaos profile "${name}" (full or ci)`);
  }
}

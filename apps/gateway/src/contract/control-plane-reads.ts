import type { SourceStatus } from '@dev-health/postgres';

/** The control plane's reads the contract needs (Postgres, whatever the analytics store). */
export abstract class ControlPlaneReads {
  abstract sourceStatuses(org: string): Promise<SourceStatus[]>;
}

/** The analytics store of this gateway (ClickHouse or Postgres): a Nest token. */
export const ANALYTICS = Symbol('ANALYTICS');

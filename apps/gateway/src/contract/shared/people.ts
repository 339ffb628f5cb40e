import { Inject, Injectable } from '@nestjs/common';
import type { AnalyticsStore } from '../analytics/analytics-store';
import { ANALYTICS } from '../control-plane-reads';

export interface Person {
  /** The display name; never an e-mail address (an address-like name is dropped). */
  name: string | null;
  email: string | null;
  /** A provider login (github:ada → ada), when the identity has one. */
  login: string | null;
}

/** Names of identities, read in one statement per call however many are asked for. */
@Injectable()
export class PeopleReader {
  constructor(@Inject(ANALYTICS) private readonly analytics: AnalyticsStore) {}

  async namesOf(org: string, ids: readonly string[]): Promise<Map<string, Person>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.analytics.select<{
      id: string;
      display_name: string;
      primary_email: string;
      logins: unknown;
    }>(
      (sql) =>
        `SELECT id, display_name, primary_email, logins FROM ${sql.table('identities')}
          WHERE org_id = ${sql.value(org)} AND id IN ${sql.list(unique)}`,
    );
    return new Map(
      rows.map((row) => {
        const logins = Array.isArray(row.logins)
          ? row.logins.filter((login): login is string => typeof login === 'string')
          : [];
        const name = row.display_name && !row.display_name.includes('@') ? row.display_name : null;
        return [
          row.id,
          {
            name,
            email: row.primary_email.includes('@') ? row.primary_email : null,
            login: logins[0]?.split(':').pop() ?? null,
          },
        ];
      }),
    );
  }
}

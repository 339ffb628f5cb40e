import { randomBytes } from 'node:crypto';

/**
 * A name no other test (or earlier run) uses: topics, consumer groups, databases, collections.
 * Lower-case letters, digits and underscores only, so it is valid everywhere (Kafka, Postgres, ClickHouse, Mongo).
 */
export function uniqueName(prefix: string): string {
  const cleanPrefix = prefix
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `${cleanPrefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

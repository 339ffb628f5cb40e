/**
 * Ordered, idempotent DDL, applied at start-up and recorded in schema_migrations. Written for
 * ClickHouse 18.16 (Debian) and current ClickHouse alike: no LowCardinality, DateTime64, Map, Bool,
 * CODEC or TTL; DateTime('UTC') at second precision, with *_ms columns where order within a second
 * matters.
 */
export interface ClickHouseMigration {
  version: string;
  statements: string[];
}

const PROVENANCE_COLUMNS = `provider String, raw_topic String, raw_partition Int32, raw_offset Int64, raw_source_id String, fetched_at DateTime('UTC')`;

export const CLICKHOUSE_MIGRATIONS: ClickHouseMigration[] = [
  {
    version: '0001_git_entities',
    statements: [
      `CREATE TABLE IF NOT EXISTS repositories (id String, ${PROVENANCE_COLUMNS},
        name String, full_name String, url Nullable(String), default_branch Nullable(String), created_at Nullable(DateTime('UTC')),
        _version UInt64) ENGINE = ReplacingMergeTree(_version) ORDER BY id`,
      `CREATE TABLE IF NOT EXISTS commits (id String, ${PROVENANCE_COLUMNS},
        repository_id String, sha String, parent_shas Array(String), author_identity_id String, author_name String, author_email String,
        authored_at DateTime('UTC'), author_utc_offset_minutes Int16, committer_identity_id String, committer_email String,
        committed_at DateTime('UTC'), committer_utc_offset_minutes Int16, message_subject String, files_changed UInt32,
        additions UInt32, deletions UInt32, is_merge UInt8, size_bucket String, _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(authored_at) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS commit_file_changes (id String, ${PROVENANCE_COLUMNS},
        commit_id String, repository_id String, path String, additions UInt32, deletions UInt32, is_binary UInt8,
        committed_at DateTime('UTC'), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) PARTITION BY toYYYYMM(committed_at) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS blame_lines (id String, ${PROVENANCE_COLUMNS},
        repository_id String, revision String, path String, line_start UInt32, line_count UInt32, commit_sha String,
        author_identity_id String, authored_at DateTime('UTC'), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) ORDER BY (repository_id, id)`,
      `CREATE TABLE IF NOT EXISTS identities (id String, ${PROVENANCE_COLUMNS},
        display_name String, primary_email String, emails Array(String), logins Array(String), _version UInt64)
        ENGINE = ReplacingMergeTree(_version) ORDER BY id`,
    ],
  },
  {
    version: '0002_daily_metrics',
    statements: [
      `CREATE TABLE IF NOT EXISTS repo_metrics_daily (repository_id String, day Date, computed_at DateTime('UTC'), computed_at_ms UInt64,
        commits UInt32, additions UInt32, deletions UInt32, files_changed UInt32, large_commits UInt32, avg_commit_size Nullable(Float64))
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (repository_id, day, computed_at_ms)`,
      `CREATE TABLE IF NOT EXISTS user_metrics_daily (repository_id String, author_identity_id String, author_email String, day Date,
        computed_at DateTime('UTC'), computed_at_ms UInt64,
        commits UInt32, additions UInt32, deletions UInt32, files_changed UInt32, large_commits UInt32, avg_commit_size Nullable(Float64))
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(day) ORDER BY (repository_id, author_identity_id, day, computed_at_ms)`,
    ],
  },
];

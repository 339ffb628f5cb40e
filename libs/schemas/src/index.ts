export * from './generated/types';
export { SchemaCatalog } from './schema-catalog';
export type { AvroRecordSchema, AvroSchema, AvroField, CatalogEntry, SchemaGroup } from './schema-catalog';
export { generateTypeScript } from './generate-types';
export {
  Topology,
  CANONICAL_ENTITY_NAMES,
  PROVIDERS,
  canonicalSchemaFile,
  ENTITY_TABLE_NAMES,
  STORED_ENTITY_NAMES,
  METRIC_KEYS,
  METRIC_ENTITY_NAMES,
  METRIC_SCOPES,
  METRIC_COMPUTATIONS_TABLE,
  metricSchemaFile,
} from './topology';
export type {
  CanonicalEntities,
  CanonicalEntityName,
  CanonicalRecord,
  MetricEntities,
  MetricEntityName,
  MetricRow,
  Provider,
  StoredEntityName,
} from './topology';
export { DEFAULT_ORG, ORG_SLUG_PATTERN, isOrgSlug, orgOfId, orgScopedId } from './tenancy';
export { canonicalId, daysSinceEpoch, dayToIsoDate, isoDateToDay } from './ids';
export {
  recordVersion,
  newestVersions,
  paddedRecordVersion,
  compareRecordVersions,
  stableJson,
} from './record-version';
export { METRIC_VALUE_DECIMALS, roundMetricValue } from './metric-values';
export { chunkBySize } from './chunks';

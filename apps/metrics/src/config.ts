import {
  EnvReader,
  type KafkaConfig,
  readDatabaseUri,
  readKafkaConfig,
  readServiceBase,
  type ServiceBaseConfig,
} from '@dev-health/config';
import { type BusinessHours, DEFAULT_BUSINESS_HOURS } from '@dev-health/metric-definitions';

export interface MetricsConfig {
  base: ServiceBaseConfig;
  kafka: KafkaConfig;
  databaseUri: string;
  /** Business hours in each author's own clock, for team after-hours and weekend ratios. */
  businessHours: BusinessHours;
  /** Changes arriving within this window are coalesced into one recompute per key. */
  debounceMs: number;
  /** Keys recomputed at once (each is a handful of indexed queries). */
  concurrency: number;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export function readMetricsConfig(env: Readonly<Record<string, string | undefined>>): MetricsConfig {
  const reader = new EnvReader(env);
  const businessHours = readBusinessHours(reader);
  const config: MetricsConfig = {
    base: readServiceBase(reader, 'metrics', 9104),
    kafka: readKafkaConfig(reader, 'metrics'),
    databaseUri: readDatabaseUri(reader),
    businessHours,
    debounceMs: reader.int('METRICS_DEBOUNCE_MS', { default: 100, min: 0, max: 60_000 }),
    concurrency: reader.int('METRICS_RECOMPUTE_CONCURRENCY', { default: 4, min: 1, max: 64 }),
  };
  reader.done();
  return config;
}

/** METRICS_BUSINESS_HOURS="09-17" (start inclusive, end exclusive, local hours); METRICS_WEEKEND_DAYS="sat,sun". */
function readBusinessHours(reader: EnvReader): BusinessHours {
  const defaults = DEFAULT_BUSINESS_HOURS;
  const hours = reader.string('METRICS_BUSINESS_HOURS', {
    default: `${String(defaults.startHour).padStart(2, '0')}-${defaults.endHour}`,
  });
  const match = /^(\d{1,2})-(\d{1,2})$/.exec(hours.trim());
  const startHour = match ? Number(match[1]) : NaN;
  const endHour = match ? Number(match[2]) : NaN;
  if (!(startHour >= 0 && endHour <= 24 && startHour < endHour))
    reader.problem(`METRICS_BUSINESS_HOURS must look like 09-17 (start < end, 0–24), got "${hours}"`);
  const weekend = reader.list('METRICS_WEEKEND_DAYS', {
    default: defaults.weekendDays.map((day) => WEEKDAYS[day] as string),
  });
  const weekendDays = weekend.map((name) => WEEKDAYS.indexOf(name.toLowerCase().slice(0, 3)));
  if (weekendDays.includes(-1))
    reader.problem(`METRICS_WEEKEND_DAYS must be weekday names (sat,sun), got "${weekend.join(',')}"`);
  return { startHour, endHour, weekendDays };
}

export { SinkService, sinkTopology } from './sink-service';
export type { SinkServiceOptions } from './sink-service';
export type { EntityWriteResult, SinkWriter } from './sink-writer';
export { runSink } from './run-sink';
export { storeChanges, feedsMetrics, versionsToAnnounce } from './store-changes';
export type { ChangedRecord } from './store-changes';

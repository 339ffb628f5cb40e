export { SinkService, sinkTopology } from './sink-service';
export type { SinkServiceOptions } from './sink-service';
export type { SinkWriter } from './sink-writer';
export { runSink } from './run-sink';
export { storeChanges, feedsMetrics } from './store-changes';

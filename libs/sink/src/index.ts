export { SinkService, sinkTopology } from './sink-service';
export type { SinkServiceOptions } from './sink-service';
export type { SinkWriter, MetricRows } from './sink-writer';
export { runSink } from './run-sink';
export { commitStoreChanges } from './store-changes';

// chdb publishes its @clickhouse/client connection under the "chdb/connection" export, which the
// project's "node" module resolution does not read; point the types at the file behind it.
declare module 'chdb/connection' {
  export * from 'chdb/dist/connection';
}

export { MongoStore, MONGO_COLLECTIONS, MONGO_ENTITY_NAMES } from './mongo-store';
export type { MongoEntityName } from './mongo-store';
export { mongoRetriability } from './errors';

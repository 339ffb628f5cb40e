export * from './model';
export * from './credentials';
export * from './errors';
export * from './api-keys';

export * from './model';
export * from './credentials';
export * from './errors';

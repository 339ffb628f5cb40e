export * from './daily-rows';
export * from './dora';
export * from './pull-requests';
export * from './stats';
export * from './team';
export * from './work-items';
export * from './working-time';
export * from './keys';

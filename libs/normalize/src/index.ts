// Machinery every provider's normalizers share: shape checks tied to payload types, UTC conversion,
// vocabularies mapped onto canonical enums, identity resolution, and the common commit outputs.
export * from './canonical-output';
export * from './commit-size';
export * from './identity-resolver';
export * from './normalize';
export * from './normalize-commit';
export * from './raw-record-fixture';
export * from './status-transitions';
export * from './work-item-keys';

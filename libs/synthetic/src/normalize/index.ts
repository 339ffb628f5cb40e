export { SYNTHETIC_NORMALIZERS, syntheticTeamId, syntheticWorkScopeId } from './normalize-synthetic';

import type { Provenance } from '@dev-health/schemas';

export type ProvenanceColumn = Provenance;

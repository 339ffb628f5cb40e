import type { DeploymentStatus, RawRecord } from '@dev-health/schemas';
import { NormalizationError, vocabulary } from './canonical-output';

const raw = { provider: 'acme-ci', entity_kind: 'deployment', source_id: 'd-1' } as RawRecord;

describe('vocabulary', () => {
  const status = vocabulary<DeploymentStatus>('acme-ci', 'status', { SUCCESS: 'success', FAILURE: 'failed' });

  it('maps every listed provider value onto its canonical symbol', () => {
    expect(status(raw, 'SUCCESS')).toBe('success');
    expect(status(raw, 'FAILURE')).toBe('failed');
  });

  it('rejects an unlisted value, naming it, so it reaches the DLQ instead of vanishing from a metric', () => {
    expect(() => status(raw, 'failure')).toThrow(
      new NormalizationError('acme-ci/deployment d-1: unmapped status "failure"'),
    );
    // Not fooled by names every object has.
    expect(() => status(raw, 'toString')).toThrow(NormalizationError);
  });
});

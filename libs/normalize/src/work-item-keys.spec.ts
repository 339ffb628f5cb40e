import { workItemKeys } from './work-item-keys';

describe('workItemKeys', () => {
  it('finds keys in titles, branch names and messages, each once, in order', () => {
    expect(
      workItemKeys('PAY-12: fix rounding (see OPS-7)', 'feature/PAY-12-rounding', 'Merge OPS_2-301 and PAY-12'),
    ).toEqual(['PAY-12', 'OPS-7', 'OPS_2-301']);
  });

  it('ignores lower case, zero-numbered and embedded look-alikes', () => {
    expect(workItemKeys('pay-12 PAY-0 XPAY-12x fooPAY-3 PAY-4b', null, undefined)).toEqual([]);
  });
});

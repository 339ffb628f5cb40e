import { isNetworkError, markRetriability, retriabilityOf } from './errors';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('retriabilityOf', () => {
  it.each([
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET'), 'transient'],
    ['a DNS lookup that failed for now', withCode('getaddrinfo EAI_AGAIN kafka', 'EAI_AGAIN'), 'transient'],
    [
      'undici’s fetch failed, caused by a refused connection',
      new TypeError('fetch failed', { cause: withCode('x', 'ECONNREFUSED') }),
      'transient',
    ],
    [
      'an AggregateError of refused connections',
      new AggregateError([withCode('x', 'ECONNREFUSED')], 'all failed'),
      'transient',
    ],
    [
      'a TypeError from a normalizer',
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      'deterministic',
    ],
    ['an invalid date', new RangeError('Invalid time value'), 'deterministic'],
    ['an unknown error', new Error('something else'), 'transient'],
    ['a thrown string', 'boom', 'transient'],
  ])('%s is %s', (_name, error, expected) => {
    expect(retriabilityOf(error)).toBe(expected);
  });

  it('lets the adapter’s mark win, also on a wrapped cause', () => {
    expect(retriabilityOf(markRetriability(new Error('invalid byte sequence'), 'deterministic'))).toBe('deterministic');
    const wrapped = new Error('write failed', { cause: markRetriability(new Error('22021'), 'deterministic') });
    expect(retriabilityOf(wrapped)).toBe('deterministic');
    expect(retriabilityOf(markRetriability(new TypeError('fetch failed'), 'transient'))).toBe('transient');
  });

  it('finds a network code anywhere in the chain and survives a cyclic cause', () => {
    const cyclic: Error & { cause?: unknown } = new Error('outer');
    cyclic.cause = cyclic;
    expect(isNetworkError(cyclic)).toBe(false);
    expect(isNetworkError(new Error('a', { cause: new Error('b', { cause: withCode('c', 'ETIMEDOUT') }) }))).toBe(true);
  });
});

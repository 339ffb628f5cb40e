import { ChangeDebouncer } from './change-debouncer';

describe('ChangeDebouncer', () => {
  it('flushes everything added within one window together, and each caller waits for it', async () => {
    const flushes: number[][] = [];
    const debouncer = new ChangeDebouncer<number>(async (items) => {
      flushes.push(items);
      await Promise.resolve();
    }, 50);
    const first = debouncer.add([1, 2]);
    const second = debouncer.add([3]);
    await Promise.all([first, second]);
    expect(flushes).toEqual([[1, 2, 3]]);
    await debouncer.add([4]);
    expect(flushes).toEqual([[1, 2, 3], [4]]);
  });

  it('closes a window early when enough items wait', async () => {
    const flushes: number[][] = [];
    const debouncer = new ChangeDebouncer<number>(
      (items) => {
        flushes.push(items);
        return Promise.resolve();
      },
      60_000,
      3,
    );
    await debouncer.add([1, 2, 3]);
    expect(flushes).toEqual([[1, 2, 3]]);
  });

  it('fails every caller of a failed flush, and the next window still flushes', async () => {
    let fail = true;
    const debouncer = new ChangeDebouncer<number>((items) => {
      if (fail) return Promise.reject(new Error(`store down (${items.length} items)`));
      return Promise.resolve();
    }, 10);
    const results = await Promise.allSettled([debouncer.add([1]), debouncer.add([2])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(debouncer.add([3])).resolves.toBeUndefined();
  });
});

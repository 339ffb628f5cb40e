import { commitSizeBucket, utcOffsetMinutes } from './commit-size';

describe('commitSizeBucket', () => {
  it.each([
    [0, 'small'],
    [50, 'small'],
    [51, 'medium'],
    [300, 'medium'],
    [301, 'large'],
  ])('%i lines touched → %s', (lines, bucket) => {
    expect(commitSizeBucket(lines)).toBe(bucket);
  });
});

describe('utcOffsetMinutes', () => {
  it.each([
    ['+0000', 0],
    ['+0530', 330],
    ['-0800', -480],
    ['+1245', 765],
  ])('%s → %i', (zone, minutes) => {
    expect(utcOffsetMinutes(zone)).toBe(minutes);
  });

  it('rejects anything else', () => {
    expect(() => utcOffsetMinutes('0530')).toThrow(/invalid time zone offset/);
  });
});

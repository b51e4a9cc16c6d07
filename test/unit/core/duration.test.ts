import { durationToMs, formatDuration } from '../../../src/core';

describe('durationToMs reads the durations team files write', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1.5s', 1_500],
    ['0.5m', 30_000],
    [' 30 s ', 30_000],
    ['0s', 0],
  ])('%j is %d ms', (text, ms) => {
    expect(durationToMs(text)).toBe(ms);
  });

  it('takes a number as milliseconds', () => {
    expect(durationToMs(1234)).toBe(1234);
    expect(durationToMs(0)).toBe(0);
  });

  it.each(['5 minutes', '30', '', 's', '-5s', '1e3ms', '5M', '1h30m'])('refuses %j', (text) => {
    expect(durationToMs(text)).toBeUndefined();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses the number %d', (n) => {
    expect(durationToMs(n)).toBeUndefined();
  });
});

describe('formatDuration writes durations for people', () => {
  it.each([
    [0, '0ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [3_661_000, '1h1m1s'],
    [86_400_000 + 120_000, '1d2m'],
    [1_500, '1.5s'],
    [1_499, '1.499s'],
    [59_999, '59.999s'],
    [90_400, '1m30s'],
  ])('%d ms is "%s"', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips with durationToMs for whole units', () => {
    for (const text of ['45s', '5m', '2h', '3d']) expect(formatDuration(durationToMs(text)!)).toBe(text);
  });
});

import { InvalidArgumentError } from 'commander';

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** A commander parser for durations such as 90s, 30m, 12h, 7d or 2w, in milliseconds. */
export function durationMs(name: string) {
  return (value: string): number => {
    const match = /^(\d+)([smhdw])$/.exec(value.trim());
    if (!match) throw new InvalidArgumentError(`${name} must be a whole number and a unit (s, m, h, d or w), such as 7d, not "${value}"`);
    return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  };
}

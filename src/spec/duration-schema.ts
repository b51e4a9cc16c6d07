import { z } from 'zod';
import { durationToMs, type Duration } from '../core/duration';

/** A span of time in a team file: "30s", "5m", ... or milliseconds (see core/duration). */
export type DurationSpec = Duration;
export { durationToMs };

export const DurationSchema = z.union([z.string(), z.number()]).refine((value) => durationToMs(value) !== undefined, {
  message: 'expected a duration such as "500ms", "30s", "5m", "2h", "1d" or a number of milliseconds',
});

/** A duration that must be more than zero (timeouts, intervals). */
// An unreadable duration already has its own message; only a readable one is checked here.
export const PositiveDurationSchema = DurationSchema.refine((value) => (durationToMs(value) ?? 1) > 0, {
  message: 'must be longer than zero',
});

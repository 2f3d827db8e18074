/**
 * The many-targets bench's scaled time (see `ScaledClock` in `test/support/clock.ts`) and the
 * scales it accepts: those that divide a minute into whole real seconds (queue delays are whole
 * seconds).
 */
export { ScaledClock } from "../test/support/clock.ts";

/** Scales that divide a minute into whole real seconds. */
export const TIME_SCALES = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60] as const;

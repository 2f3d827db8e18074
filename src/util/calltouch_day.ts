/**
 * Calltouch's day, as the daily budget of API points is read (see `points.ts`): Moscow time
 * (its default project zone; our reading, the reset time is not documented), and the first
 * request of a new day a few minutes after its midnight (clocks differ a little). Every text
 * that tells when sending resumes takes its time from here.
 */
import { CALLTOUCH_DEFAULT_ZONE } from "./zones.ts";

/** The zone whose midnight starts the points' day. */
export const CALLTOUCH_DAY_ZONE = CALLTOUCH_DEFAULT_ZONE;
/** Waited past midnight before the first request of the new day. */
export const NEW_DAY_MARGIN_MS = 5 * 60_000;
/** When sending resumes, as a wall clock of {@linkcode CALLTOUCH_DAY_ZONE} ("00:05"). */
export const DAY_RESUMES_AT = `00:${String(NEW_DAY_MARGIN_MS / 60_000).padStart(2, "0")}`;

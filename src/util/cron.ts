/** When a cron expression fires next, and how long a tick has until the next one. Pure. */

/** Searching further than this many minutes ahead gives up (the page then shows nothing). */
const SEARCH_MINUTES = 8 * 24 * 60;

function fieldMatcher(
  field: string,
  min: number,
  max: number,
): ((value: number) => boolean) | undefined {
  const allowed = new Set<number>();
  for (const part of field.split(",")) {
    const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const step = match[3] ? Number(match[3]) : 1;
    const from = match[1] === "*" ? min : Number(match[1]);
    const to = match[2] ? Number(match[2]) : match[1] === "*" || match[3] ? max : from;
    if (step < 1 || from < min || to > max || from > to) return undefined;
    for (let v = from; v <= to; v += step) allowed.add(v);
  }
  return (value) => allowed.has(value);
}

/**
 * The next time (epoch ms, UTC, whole minutes) after `after` at which a Workers cron expression
 * fires. Supports numbers, `*`, ranges, lists and steps in the minute and hour fields, and `*`
 * elsewhere (the schedules this product uses); returns undefined for anything else.
 *
 * @example
 * nextCronRun("*\/5 * * * *", Date.UTC(2026, 10, 28, 12, 1)); // 12:05 UTC
 */
export function nextCronRun(cron: string, after: number): number | undefined {
  const fires = firingOf(cron);
  if (!fires) return undefined;
  let t = Math.floor(after / 60_000) * 60_000 + 60_000;
  for (let i = 0; i < SEARCH_MINUTES; i++, t += 60_000) if (fires(t)) return t;
  return undefined;
}

/** Whether `cron` fires at a whole minute (epoch ms, UTC); undefined for what it cannot read. */
function firingOf(cron: string): ((t: number) => boolean) | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 || fields.slice(2).some((f) => f !== "*")) return undefined;
  const minute = fieldMatcher(fields[0], 0, 59);
  const hour = fieldMatcher(fields[1], 0, 23);
  if (!minute || !hour) return undefined;
  return (t) => {
    const d = new Date(t);
    return minute(d.getUTCMinutes()) && hour(d.getUTCHours());
  };
}

/**
 * Minutes between two ticks of `cron` (the first two after `at`): how long a tick's runs may be
 * spread before the next tick's begin. Undefined for a cron {@linkcode nextCronRun} does not
 * read.
 *
 * @example
 * cronIntervalMinutes("*\/5 * * * *", Date.UTC(2026, 10, 28, 12, 4, 30)); // 5
 */
export function cronIntervalMinutes(cron: string, at: number): number | undefined {
  const next = nextCronRun(cron, at);
  const after = next === undefined ? undefined : nextCronRun(cron, next);
  return next === undefined || after === undefined
    ? undefined
    : Math.round((after - next) / 60_000);
}

/**
 * Minutes from the tick that fired last at or before `at` (a tick runs at its minute or a little
 * after) to the next one: what that tick's runs may be spread over. For an irregular cron
 * (`0 9-18 * * *`) it is this tick's own gap, not the next two's. Undefined for a cron
 * {@linkcode nextCronRun} does not read.
 *
 * @example
 * tickMinutes("0 9-18 * * *", Date.UTC(2026, 10, 28, 18, 0, 3)); // 900 (until 09:00)
 */
export function tickMinutes(cron: string, at: number): number | undefined {
  const fired = previousCronRun(cron, at);
  const next = fired === undefined ? undefined : nextCronRun(cron, fired);
  return fired === undefined || next === undefined
    ? undefined
    : Math.round((next - fired) / 60_000);
}

/** The last time (whole minutes) at or before `at` at which `cron` fires; see {@linkcode nextCronRun}. */
function previousCronRun(cron: string, at: number): number | undefined {
  const fires = firingOf(cron);
  if (!fires) return undefined;
  let t = Math.floor(at / 60_000) * 60_000;
  for (let i = 0; i < SEARCH_MINUTES; i++, t -= 60_000) if (fires(t)) return t;
  return undefined;
}

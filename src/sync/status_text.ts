/**
 * The text of a row's status cell: `✅` accepted, `❌` the clinic must fix something, `⏳` will be
 * retried automatically. Pure; the date-time is shown in the spreadsheet's time zone.
 */
import { PAYLOAD_ENTRIES } from "../columns/payload.ts";
import type { Language } from "../deal.ts";
import { words } from "../words/mod.ts";

/** What a status cell reports. */
export type RowStatus =
  | { kind: "created" | "updated"; at: number }
  | { kind: "held"; reason: string }
  | { kind: "invalid"; message: string }
  | {
    kind: "pending";
    why: "unavailable" | "out-of-time" | "budget" | "daily-limit";
    at: number;
  }
  /**
   * Calltouch refused the run as a whole: the API key (`key`) or the address (`url`); `check`
   * names the settings to fix. Sent on the first run after the fix.
   */
  | { kind: "pending"; why: "key" | "url"; at: number; check: string };

/**
 * Words of a refusal that point at the row's data (a field the clinic fills in), from what each
 * entry of the column table mentions: only then is the clinic told to fix the row; otherwise the
 * text says when the deal goes again. Latin words whole (`sum`, not `summary`), Russian stems
 * anywhere (`\b` does not see Cyrillic).
 */
const ABOUT_THE_ROW = aboutTheRow(PAYLOAD_ENTRIES.flatMap((entry) => entry.mentions));

function aboutTheRow(mentions: readonly string[]): RegExp {
  const latin = mentions.filter((m) => !/[а-яё]/i.test(m));
  const cyrillic = mentions.filter((m) => /[а-яё]/i.test(m));
  return new RegExp(`\\b(?:${latin.join("|")})\\b|${cyrillic.join("|")}`, "i");
}

/** Whether Calltouch's reason points at the row's data (see the ❌ texts). */
export function pointsAtRow(reason: string): boolean {
  return ABOUT_THE_ROW.test(reason);
}

/** Longest status text written; Sheets allows 50,000 characters but nobody reads that much. */
export const MAX_STATUS_LENGTH = 500;

const formatters = new Map<string, Intl.DateTimeFormat>();
/**
 * Texts already formatted, by time zone and instant. A run renders the status of every row, and
 * the rows share few instants (one per Calltouch batch), so `Intl` runs a few hundred times
 * instead of 50,000 and equal texts are one string.
 */
const formatted = new Map<string, Map<number, string>>();
/** Instants remembered per time zone before the memo starts over. */
const MAX_FORMATTED = 4096;

/** `28.11.2026 15:05`: an instant as wall-clock time in `timeZone`. */
export function formatDateTime(epochMs: number, timeZone: string): string {
  let memo = formatted.get(timeZone);
  if (!memo) {
    memo = new Map();
    formatted.set(timeZone, memo);
  }
  let text = memo.get(epochMs);
  if (text === undefined) {
    text = formatUncached(epochMs, timeZone);
    if (memo.size >= MAX_FORMATTED) memo.clear();
    memo.set(epochMs, text);
  }
  return text;
}

function formatUncached(epochMs: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(epochMs)) parts[part.type] = part.value;
  return `${parts.day}.${parts.month}.${parts.year} ${parts.hour}:${parts.minute}`;
}

/**
 * Renders a status cell.
 *
 * @example
 * statusText({ kind: "created", at: Date.now() }, { language: "ru", timeZone: "Europe/Moscow" });
 * // "✅ создана 28.11.2026 15:05"
 */
export function statusText(
  status: RowStatus,
  options: { language: Language; timeZone: string },
): string {
  const t = words(options.language).status;
  const at = (ms: number) => formatDateTime(ms, options.timeZone);
  let text: string;
  switch (status.kind) {
    case "created":
      text = t.created(at(status.at));
      break;
    case "updated":
      text = t.updated(at(status.at));
      break;
    case "held": {
      const reason = status.reason.replace(/[.\s]+$/, "") || t.noReason;
      text = pointsAtRow(status.reason) ? t.rejected(reason) : t.refused(reason);
      break;
    }
    case "invalid":
      text = status.message.startsWith("❌") ? status.message : `❌ ${status.message}`;
      break;
    case "pending":
      text = status.why === "key"
        ? t.key(at(status.at), status.check)
        : status.why === "url"
        ? t.url(at(status.at), status.check)
        : status.why === "unavailable"
        ? t.unavailable(at(status.at))
        : status.why === "daily-limit"
        ? t.dailyLimit
        : status.why === "budget"
        ? t.budget(at(status.at))
        : t.outOfTime(at(status.at));
      break;
  }
  return text.length > MAX_STATUS_LENGTH ? text.slice(0, MAX_STATUS_LENGTH - 1) + "…" : text;
}

/**
 * Reconciliation (with CALLTOUCH_STATS_TOKEN, every RECONCILE_EVERY_MINUTES): a run reads
 * Calltouch's deals journal for the sheet's deal dates, writes what Calltouch matched each deal
 * to into the optional `Источник (Calltouch)` column (with the statuses, only texts that change),
 * and counts where the sheet and Calltouch disagree (the status page's "сверка" line). Between
 * reconciliations an unchanged sheet still costs no Calltouch call.
 */
import type { Attribution, JournalDeal } from "../../calltouch/journal.ts";
import type { Config, CustomSource } from "../../settings/config.ts";
import type { Connection } from "../../connect.ts";
import type { Language } from "../../deal.ts";
import type { ParsedSheetOk } from "../../columns/parse.ts";
import { maskContactsIn } from "../../sheet/mask.ts";
import { words } from "../../words/mod.ts";
import { HISTORY_LENGTH } from "../history.ts";
import { type JournalContext, readJournalFor } from "./read.ts";
import type { RunReport } from "../report.ts";
import { compareWithJournal } from "./compare.ts";
import type { StatusCell } from "../write_back.ts";

/** The last reconciliation a history holds: its time (epoch ms), or undefined. */
export function lastReconciledAt(history: readonly RunReport[]): number | undefined {
  const at = history.find((run) => run.reconciled)?.reconciled?.at;
  return at === undefined ? undefined : Date.parse(at);
}

/**
 * When the next reconciliation is due (undefined: never, no token). A full history without one
 * (many runs since) dates the last one before its oldest run: due one interval after that, so
 * busy hours do not reconcile every run.
 */
export function reconcileDueAt(config: Config, history: readonly RunReport[]): number | undefined {
  if (!config.calltouch.statsToken) return undefined;
  const every = config.calltouch.reconcileEveryMs;
  const last = lastReconciledAt(history);
  if (last !== undefined) return last + every;
  const oldest = history.at(-1);
  return history.length >= HISTORY_LENGTH && oldest ? Date.parse(oldest.startedAt) + every : 0;
}

/**
 * The attribution cell's text: `source / medium / campaign` of the lead or of the custom source
 * (equal parts said once; `customSource` when the journal names the custom type but not its
 * values), "лид не найден" when the journal tells no origin, "лид без меток" for a lead without
 * UTM values. A phone or an e-mail inside a value (an SMS merge tag such as
 * `reminder_79161112233`) is masked where it stands, the rest kept.
 *
 * @example
 * attributionText({ kind: "lead", source: "yandex", medium: "cpc", campaign: "mrt" }, "ru");
 * // "yandex / cpc / mrt"
 */
export function attributionText(
  attribution: Attribution,
  language: Language,
  customSource?: CustomSource,
): string {
  if (attribution.kind === "none") return words(language).attribution.none;
  const told = [attribution.source, attribution.medium, attribution.campaign];
  const named = attribution.kind === "custom" && told.every((part) => part === "") && customSource
    ? [customSource.source, customSource.medium, customSource.campaign]
    : told;
  const parts = named.filter((part) => part !== "");
  const distinct = parts.filter((part, i) => parts.indexOf(part) === i);
  if (distinct.length === 0) {
    return attribution.kind === "custom"
      ? words(language).attribution.none
      : words(language).attribution.unlabelled;
  }
  return distinct.map(maskContactsIn).join(" / ");
}

/** What a reconciliation produced. */
export interface Reconciliation {
  /** The attribution cells (empty without the column): placed and written with the statuses. */
  cells: StatusCell[];
  /** For the report. */
  reconciled: NonNullable<RunReport["reconciled"]>;
}

/**
 * Reads the journal (taking from the run's budget, leaving the write-back its requests) and
 * builds the attribution cells and the count of differences. A journal that cannot be read is
 * reported, and tried again at the next due time.
 */
export async function reconcile(
  config: Config,
  io: Connection,
  sheet: ParsedSheetOk,
  context: JournalContext,
): Promise<Reconciliation> {
  const at = new Date(context.clock.now()).toISOString();
  const read = await readJournalFor(config, io, sheet.deals, context, 1);
  if (read && "error" in read) return { cells: [], reconciled: { at, error: read.error } };
  // Nothing read: no deal to compare (the token is set whenever this runs).
  const byNumber = read?.deals ?? new Map<string, JournalDeal>();
  const toProject = read?.toProject ?? ((local: string) => local);
  const sheetIds = new Set(sheet.deals.map((deal) => deal.orderNumber));
  for (const problem of sheet.problems) if (problem.orderNumber) sheetIds.add(problem.orderNumber);
  const { mismatches } = compareWithJournal(sheet.deals, [...byNumber.values()], {
    crm: config.calltouch.crm,
    sheetIds,
    toProject,
  });
  const cells: StatusCell[] = [];
  if (sheet.columns.attribution !== undefined) {
    for (const deal of sheet.deals) {
      const attribution = byNumber.get(deal.orderNumber)?.attribution;
      // A deal the journal does not show (yet) keeps its cell; every deal it shows gets a text.
      if (!attribution) continue;
      cells.push({
        row: deal.row,
        orderNumber: deal.orderNumber,
        unique: true,
        text: attributionText(attribution, config.language, config.calltouch.customSource),
        current: sheet.attributionTexts.get(deal.row) ?? "",
      });
    }
  }
  return { cells, reconciled: { at, differences: mismatches.length } };
}

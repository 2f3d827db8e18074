/**
 * The dry run: a run that stops after the plan and answers with the exact requests it would
 * send. The one report that carries contacts (to an authenticated caller, on purpose); it is
 * never logged or stored.
 */
import { createRequest, updateRequest } from "../calltouch/client.ts";
import { knownOf, type PayloadSettings } from "../columns/payload.ts";
import {
  CALLTOUCH_BATCH_SIZE,
  type CreateRequest,
  type UpdateRequest,
} from "../calltouch/types.ts";
import { words } from "../words/mod.ts";
import type { ParsedSheetOk } from "../columns/parse.ts";
import type { PlannedDeal, SyncPlan } from "./plan.ts";
import { planCounts, type RunReport } from "./report.ts";
import { orderFor } from "./send.ts";
import { statusCells, type StatusCellsOptions } from "./write_back.ts";

/** What a deal's update would change, as far as the state tells (it keeps hashes, not values). */
export type PreviewChange = "status" | "tags" | "contacts";

/** One deal a dry run would send, for people: no contacts. */
export interface PreviewRow {
  row: number;
  orderNumber: string;
  action: "create" | "update";
  status: string;
  revenue?: string;
  tags: readonly string[];
  /** For updates: what is known to change (empty: other fields, e.g. the sum or the manager). */
  changes: PreviewChange[];
}

/** What a dry run returns: the report it would make, plus the exact requests it would send. */
export interface DryRunReport extends RunReport {
  trigger: "dry-run";
  payloads: { create: CreateRequest[]; update: UpdateRequest[] };
  /** The deals it would send, in sheet order, without contacts (the control panel's table). */
  preview: PreviewRow[];
}

function batches<T>(orders: T[]): T[][] {
  return Array.from(
    { length: Math.ceil(orders.length / CALLTOUCH_BATCH_SIZE) },
    (_, i) => orders.slice(i * CALLTOUCH_BATCH_SIZE, (i + 1) * CALLTOUCH_BATCH_SIZE),
  );
}

/** The dry-run report of a plan: counts, rows (sends worded as "would be…"), payloads. */
export function dryRunReport(
  report: RunReport,
  sheet: ParsedSheetOk,
  plan: SyncPlan,
  settings: PayloadSettings,
  cellOptions: StatusCellsOptions,
): DryRunReport {
  const creates = plan.create.map((item) => orderFor(item, "create", settings, cellOptions.now));
  const updates = plan.update.map((item) => orderFor(item, "update", settings, cellOptions.now));
  const t = words(cellOptions.language).run;
  const texts = { create: t.wouldCreate, update: t.wouldUpdate };
  const { rows } = statusCells(sheet, plan, new Map(), cellOptions);
  return {
    ...report,
    trigger: "dry-run",
    counts: { ...planCounts(sheet, plan), created: creates.length, updated: updates.length },
    rows: rows.map((row) =>
      row.action === "create" || row.action === "update"
        ? { ...row, ok: true, message: texts[row.action] }
        : row
    ),
    payloads: {
      create: batches(creates).map((orders) => createRequest(orders, settings.crm)),
      update: batches(updates).map((orders) => updateRequest(orders)),
    },
    preview: [...plan.create, ...plan.update].map((planned) => previewRow(planned, settings))
      .sort((a, b) => a.row - b.row),
  };
}

function previewRow(planned: PlannedDeal, settings: PayloadSettings): PreviewRow {
  const { deal } = planned;
  const row: PreviewRow = {
    row: deal.row,
    orderNumber: deal.orderNumber,
    action: planned.action === "create" ? "create" : "update",
    status: deal.status,
    tags: deal.tags,
    changes: [],
  };
  if (deal.revenue !== undefined) row.revenue = deal.revenue;
  const known = planned.previous?.known;
  if (row.action === "update") {
    const key = settings.hashKey;
    if (known && known.status !== knownOf(deal, "status", key)) row.changes.push("status");
    if (known && known.tags !== knownOf(deal, "tags", key)) row.changes.push("tags");
    if (planned.rematch) row.changes.push("contacts");
  }
  return row;
}

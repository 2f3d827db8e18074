/**
 * The columns the sync writes itself: the status column (every row's outcome) and the optional
 * attribution column (what Calltouch matched each deal to, from its deals journal).
 */
import type { WrittenColumn } from "./spec.ts";

/** The status column: created when missing, under its first header. */
export const STATUS_COLUMN: WrittenColumn = {
  key: "syncStatus",
  headers: ["Calltouch", "Синхронизация", "Sync status"],
  doc: {
    en: "sync status (written by the sync)",
    ru: "статус отправки (пишет синхронизация; столбец создаётся сам)",
  },
  always: true,
};

/**
 * The attribution column: written by the sync from Calltouch's deals journal when
 * CALLTOUCH_STATS_TOKEN is set; sheet setup creates it then.
 */
export const ATTRIBUTION_COLUMN: WrittenColumn = {
  key: "attribution",
  headers: ["Источник (Calltouch)", "Источник Calltouch", "Calltouch source"],
  doc: {
    en: "Calltouch source (written by the sync from the journal)",
    ru:
      "источник, с которым Calltouch связал сделку (пишет синхронизация, с CALLTOUCH_STATS_TOKEN)",
  },
  always: false,
};

/** The header of the status column the sync creates when the sheet has none. */
export const STATUS_HEADER = STATUS_COLUMN.headers[0];

/** The header of the attribution column setup creates. */
export const ATTRIBUTION_HEADER = ATTRIBUTION_COLUMN.headers[0];

/** Both written columns. */
export const WRITTEN_COLUMNS: readonly WrittenColumn[] = [STATUS_COLUMN, ATTRIBUTION_COLUMN];

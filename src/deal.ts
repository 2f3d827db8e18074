/** The domain: one deal as read from the sheet, and what can be wrong with a row. */

/**
 * A wall-clock date-time in the spreadsheet's time zone, `YYYY-MM-DDTHH:mm:ss` (no zone, always
 * seconds). Calltouch's format has no zone either, so the clinic's wall clock is passed through.
 */
export type LocalDateTime = string;

/** An amount of money as a decimal string with a dot and two decimals: `"1000.50"`. */
export type Money = string;

/**
 * One valid, normalised row of the deals tab.
 *
 * Known personal data (phones, e-mails): it must never reach logs, KV or run reports.
 */
export interface Deal {
  /** 1-based sheet row the deal was read from (row 1 is the header). */
  row: number;
  /** The clinic's own deal id, trimmed; `1234`, never `1234.0`. */
  orderNumber: string;
  orderDate: LocalDateTime;
  status: string;
  /**
   * When the status was set, as the sheet says (its status-date column); absent when it does
   * not: a create then sends the deal date, an update the moment the sync saw the status change.
   */
  statusDate?: LocalDateTime;
  /** Absent when the cell is empty. */
  revenue?: Money;
  /** `7XXXXXXXXXX`, de-duplicated, in sheet order. */
  phones: string[];
  /** Lower-cased, de-duplicated, in sheet order. */
  emails: string[];
  /** Trimmed, de-duplicated, in sheet order. */
  tags: string[];
  manager?: string;
  orderName?: string;
  comment?: string;
  /** The pipeline (`Воронка`). */
  funnel?: string;
  /** The clinic's margin on the deal (`Маржа`). */
  margin?: Money;
  /** Values of the columns `CUSTOM_FIELDS` maps, by Calltouch field name (trimmed, no contacts). */
  custom?: Record<string, string>;
}

/**
 * Why a row cannot be sent. `message` is shown to the clinic in the status cell and in the run
 * report, so it is written in the configured language and masks phones and e-mails
 * (`7915***1122`), which lets it go anywhere.
 */
export interface RowProblem {
  /** 1-based sheet row. */
  row: number;
  /** The row's deal id when it has a readable one (duplicates included). */
  orderNumber?: string;
  /** Stable machine code, e.g. `date.invalid`, `phone.invalid`, `id.duplicate`. */
  code: string;
  /** The cell at fault (A1, e.g. `B6`), when the problem is one cell's. */
  cell?: string;
  /** One or more sentences for the clinic administrator. */
  message: string;
}

/** The language of text that clinic staff read (status cells, problems). */
export type Language = "ru" | "en";

/**
 * One cell as the Sheets API returns it with `UNFORMATTED_VALUE` + `SERIAL_NUMBER`: text, a
 * number (dates and times are serial day numbers), or a boolean. Empty cells read as `""` or are
 * missing at the end of a row.
 */
export type CellValue = string | number | boolean;

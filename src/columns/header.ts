/**
 * The header row → which column holds which field. Headers are matched after trimming, ignoring
 * case, treating `ё` as `е` and any run of whitespace (incl. U+00A0) as one space; columns may be
 * in any order, unknown columns are ignored, and of two columns with the same meaning the leftmost
 * wins. A column `CUSTOM_FIELDS` names is that custom field, even under a header the sync knows
 * (the setting is explicit; required columns cannot be mapped, see `custom.ts`).
 */
import type { Language } from "../deal.ts";
import { type Cell, cellText } from "../sheet/cells.ts";
import { words } from "../words/mod.ts";
import { DEAL_COLUMNS, type RequiredField } from "./deal_columns.ts";
import type { CustomFieldMapping, DealField } from "./spec.ts";
import { WRITTEN_COLUMNS } from "./written.ts";

export type { RequiredField };
/** Fields a sheet may leave out. */
export type OptionalField = Exclude<DealField, RequiredField>;
/** Every column the sync knows, including the two it writes (status, attribution). */
export type ColumnField = DealField | "syncStatus" | "attribution";

/** Recognised headers of each column (see `deal_columns.ts`, `written.ts`); the first is the main one. */
export const COLUMN_HEADERS: { readonly [F in ColumnField]: readonly string[] } = Object
  .fromEntries(
    [...DEAL_COLUMNS, ...WRITTEN_COLUMNS].map((column) => [column.key, column.headers]),
  ) as { [F in ColumnField]: readonly string[] };

/** What each column holds, for people, by language (`check`, the docs). */
export const COLUMN_DOCS: { readonly [F in ColumnField]: { en: string; ru: string } } = Object
  .fromEntries(
    [...DEAL_COLUMNS, ...WRITTEN_COLUMNS].map((column) => [column.key, column.doc]),
  ) as { [F in ColumnField]: { en: string; ru: string } };

/** The required fields, in the order they are reported. */
export const REQUIRED_FIELDS = DEAL_COLUMNS.filter((c) => c.required).map((c) =>
  c.key
) as RequiredField[];

/** 0-based column index of every field found in the header. */
export type ColumnMap = { [F in RequiredField]: number } & { [F in OptionalField]?: number } & {
  /**
   * The sync-status column. When {@linkcode ColumnMap.syncStatusExists} is false, the index where
   * it should be created: the first column after the last non-empty header cell.
   */
  syncStatus: number;
  /** Whether the header already has a sync-status column. */
  syncStatusExists: boolean;
  /** The attribution column (`Источник (Calltouch)`), when the header has one. */
  attribution?: number;
  /** Columns of `CUSTOM_FIELDS` found in the header (by exact header, any case), in sheet order. */
  custom?: { field: string; header: string; index: number }[];
};

/** Result of {@linkcode mapHeader}. */
export type HeaderMapping =
  | { ok: true; columns: ColumnMap }
  | { ok: false; missing: RequiredField[] };

/** A header row that cannot be used; `message` is for the clinic, in the configured language. */
export interface HeaderError {
  code: "header.missing_columns";
  missing: RequiredField[];
  message: string;
}

const FIELD_BY_HEADER: ReadonlyMap<string, ColumnField> = new Map(
  (Object.entries(COLUMN_HEADERS) as [ColumnField, readonly string[]][]).flatMap((
    [field, headers],
  ) => headers.map((header) => [normalizeHeader(header), field] as const)),
);

/** The field a header cell is recognised as, if any (custom fields aside). */
export function fieldOfHeader(text: string): ColumnField | undefined {
  return FIELD_BY_HEADER.get(normalizeHeader(text));
}

/**
 * Header text as it is compared: trimmed, lower-cased, `ё` → `е`, whitespace runs → one space.
 *
 * @example
 * normalizeHeader("  Дата  сделки "); // "дата сделки"
 * normalizeHeader("ЁМКОСТЬ"); // "емкость"
 */
export function normalizeHeader(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLowerCase().replaceAll("ё", "е");
}

/** The `CUSTOM_FIELDS` mapping a header names, if any. */
export function customFieldOfHeader(
  text: string,
  customFields: readonly CustomFieldMapping[],
): CustomFieldMapping | undefined {
  const name = normalizeHeader(text);
  return customFields.find((m) => normalizeHeader(m.header) === name);
}

/**
 * Finds the columns in the header row.
 *
 * @example
 * mapHeader(["ID", "Дата", "Статус", "Телефон"]);
 * // { ok: true, columns: { orderNumber: 0, orderDate: 1, status: 2, phones: 3,
 * //                        syncStatus: 4, syncStatusExists: false } }
 * mapHeader(["ID", "Дата"]); // { ok: false, missing: ["status"] }
 */
export function mapHeader(
  header: readonly Cell[],
  customFields: readonly CustomFieldMapping[] = [],
): HeaderMapping {
  const found: Partial<Record<ColumnField, number>> = {};
  const custom: { field: string; header: string; index: number }[] = [];
  let lastNonEmpty = -1;
  for (let index = 0; index < header.length; index++) {
    const text = cellText(header[index]);
    if (text.length === 0) continue;
    lastNonEmpty = index;
    const mapping = customFieldOfHeader(text, customFields);
    if (mapping) {
      if (!custom.some((c) => c.field === mapping.field)) {
        custom.push({ field: mapping.field, header: mapping.header, index });
      }
      continue;
    }
    const field = fieldOfHeader(text);
    if (field !== undefined && found[field] === undefined) found[field] = index;
  }
  const missing = REQUIRED_FIELDS.filter((field) => found[field] === undefined);
  if (missing.length > 0) return { ok: false, missing };
  const { syncStatus, attribution, ...fields } = found;
  return {
    ok: true,
    columns: {
      ...fields as Omit<ColumnMap, "syncStatus" | "syncStatusExists" | "attribution">,
      syncStatus: syncStatus ?? lastNonEmpty + 1,
      syncStatusExists: syncStatus !== undefined,
      ...(attribution !== undefined ? { attribution } : {}),
      ...(custom.length > 0 ? { custom } : {}),
    },
  };
}

/**
 * The run-level error for a header without some required columns, naming each with the headers
 * that would be recognised.
 *
 * @example
 * headerError(["status"], "ru").message;
 * // "В таблице нет столбцов: «Статус» (или «Статус сделки», «status»)"
 */
export function headerError(missing: readonly RequiredField[], language: Language): HeaderError {
  return {
    code: "header.missing_columns",
    missing: [...missing],
    message: words(language).rows.missingColumns(missing.map((field) => COLUMN_HEADERS[field])),
  };
}

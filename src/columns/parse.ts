/**
 * The deals tab → normalised {@linkcode Deal}s and {@linkcode RowProblem}s. Pure and single-pass:
 * the header is mapped once, then every row is read with precomputed column positions.
 */
import type { CellValue, Deal, Language, RowProblem } from "../deal.ts";
import { columnLetters } from "../sheet/a1.ts";
import { type Cell, cellText, isBlankCell } from "../sheet/cells.ts";
import { idContact, IdIndex, readOrderNumber } from "../sheet/ids.ts";
import { cellName } from "../sheet/messages.ts";
import { type Words, words } from "../words/mod.ts";
import { hash53, hashCells, type HashKey } from "../util/hash.ts";
import { readCustomCell } from "./custom.ts";
import { DEAL_COLUMNS, dealColumn } from "./deal_columns.ts";
import { type ColumnMap, type HeaderError, headerError, mapHeader } from "./header.ts";
import type { AnyDealColumn, CustomFieldMapping, ReadContext } from "./spec.ts";

/** How to read a sheet. */
export interface ParseOptions {
  /** Language of problem messages. Default `"ru"`. */
  language?: Language;
  /**
   * The spreadsheet's time zone (`properties.timeZone`), for the record: serial numbers are
   * already wall clock in it and are passed through unshifted, so parsing does not depend on it.
   */
  timeZone?: string;
  /**
   * The raw-row hash remembered for a deal ID (from `rawHashes` of the run that last sent it). A row whose ID is unique and whose cells hash to it is not parsed at all: it is
   * listed in `knownRows` — the sync's fast path for rows nobody touched. When absent, every row
   * is parsed and no hash is computed.
   */
  knownRaw?: (orderNumber: string) => number | undefined;
  /**
   * Seeds the raw-row hashes: the sync derives it from the code's version (the build), so rows
   * remembered by another version of the parser are parsed again. Default 0.
   */
  rawSeed?: number;
  /**
   * The key of the raw-row hashes (the deployment's, see `util/keyring.ts`): they cover the
   * row's phones and e-mails. Required with `knownRaw`.
   */
  rawKey?: HashKey;
  /** Extra columns sent as deal custom fields (`CUSTOM_FIELDS`). Default none. */
  customFields?: readonly CustomFieldMapping[];
}

/** A row whose cells are exactly as when its deal was last sent (see `knownRaw`). */
export interface KnownRow {
  row: number;
  orderNumber: string;
}

/** A sheet whose header could be used. */
export interface ParsedSheetOk {
  ok: true;
  columns: ColumnMap;
  /** Valid rows, in sheet order. */
  deals: Deal[];
  /**
   * Every problem of every invalid row, by row; within a row a duplicate ID first, then in field
   * order: ID, deal date, status, status date, amount, phones, e-mails.
   */
  problems: RowProblem[];
  /**
   * Current text of each data row's sync-status cell, by 1-based row, as read (not trimmed), so
   * the sync writes only cells whose text changes. Rows with an empty cell are absent. When the
   * column has no header yet, the cells where it will be created are read.
   */
  statusTexts: Map<number, string>;
  /** Attribution cells as read, by 1-based row (empty without the column). */
  attributionTexts: Map<number, string>;
  /**
   * The ID cells that hold a phone or an e-mail (a row problem), as read, by 1-based row: only
   * so that the write-back finds the row again (its status goes in place only while its ID cell
   * still reads the same). Never stored, reported or shown.
   */
  contactIds: Map<number, string>;
  /** Rows skipped because their cells are unchanged (only with `knownRaw`), in sheet order. */
  knownRows: KnownRow[];
  /**
   * Raw-row hash of each deal's row, indexed by 1-based row (0: none); only with `knownRaw`.
   * A typed array, not a field of each deal: 50,000 deals stay small.
   */
  rawHashes?: Float64Array;
}

/** A sheet whose header lacks required columns: nothing can be read. */
export interface ParsedSheetError {
  ok: false;
  headerError: HeaderError;
}

/** Result of {@linkcode parseSheet}. */
export type ParsedSheet = ParsedSheetOk | ParsedSheetError;

/**
 * Reads the deals tab: `values[0]` is the header (row 1), `values[i]` is sheet row `i + 1`.
 *
 * Rows may be ragged. A row is blank, and skipped without a word, when every recognised data
 * column is empty or whitespace (the sync-status column and unknown columns do not count). A row
 * with any problem yields no deal; a row whose ID another row also carries yields no deal either.
 *
 * @example
 * const sheet = parseSheet([
 *   ["ID", "Дата", "Статус", "Телефон"],
 *   [1234, 46348.5868055556, "Оплачено", "8 (915) 777-11-22"],
 * ], { language: "ru", timeZone: "Europe/Moscow" });
 * // sheet.ok && sheet.deals[0]: { row: 2, orderNumber: "1234", orderDate: "2026-11-22T14:05:00",
 * //   status: "Оплачено", statusDate: "2026-11-22T14:05:00", phones: ["79157771122"],
 * //   emails: [], tags: [] }
 */
export function parseSheet(
  values: readonly (readonly CellValue[])[],
  options: ParseOptions = {},
): ParsedSheet {
  const language = options.language ?? "ru";
  const header = values[0] ?? [];
  const mapping = mapHeader(header, options.customFields);
  if (!mapping.ok) return { ok: false, headerError: headerError(mapping.missing, language) };

  const columns = mapping.columns.syncStatusExists
    ? mapping.columns
    : { ...mapping.columns, syncStatus: newStatusColumn(values, mapping.columns.syncStatus) };
  const reader = new RowReader(columns, header, words(language).rows, options);
  const rawHashes = options.knownRaw ? new Float64Array(values.length + 1) : undefined;
  const statusTexts = new Map<number, string>();
  const attributionTexts = new Map<number, string>();
  // Read even when the column has no header yet: the cells where it will go may hold text.
  const statusIndex = columns.syncStatus;
  const attributionIndex = columns.attribution ?? -1;
  for (let i = 1; i < values.length; i++) {
    const cells = values[i] ?? [];
    const status = cells[statusIndex];
    if (status !== undefined && status !== "") {
      statusTexts.set(i + 1, typeof status === "string" ? status : cellText(status));
    }
    const origin = attributionIndex < 0 ? undefined : cells[attributionIndex];
    if (origin !== undefined && origin !== "") attributionTexts.set(i + 1, cellText(origin));
    const raw = reader.read(cells, i + 1);
    if (rawHashes && raw !== undefined) rawHashes[i + 1] = raw;
  }
  const { deals, problems, knownRows, contactIds } = reader.finish();
  const sheet: ParsedSheetOk = {
    ok: true,
    columns,
    deals,
    problems,
    statusTexts,
    attributionTexts,
    knownRows,
    contactIds,
  };
  if (rawHashes) sheet.rawHashes = rawHashes;
  return sheet;
}

/**
 * The first column at or right of `from` whose cells are all empty or status texts of ours
 * (`✅`/`❌`/`⏳`, e.g. under a header someone deleted): where a new status column can go
 * without overwriting notes people keep in columns without a header. `values` is the whole
 * tab, header first; `from` is 0-based (the first column after the last non-empty header).
 */
const STATUS_MARK = /^\s*[✅❌⏳]/u;

export function newStatusColumn(values: readonly (readonly CellValue[])[], from: number): number {
  const taken = new Set<number>();
  for (let i = 1; i < values.length; i++) {
    const cells = values[i];
    if (!cells) continue;
    for (let c = from; c < cells.length; c++) {
      const cell = cells[c];
      if (!isBlankCell(cell) && !(typeof cell === "string" && STATUS_MARK.test(cell))) taken.add(c);
    }
  }
  let column = from;
  while (taken.has(column)) column++;
  return column;
}

const ID_COLUMN = dealColumn("orderNumber");

/**
 * The code a column's cells are marked with in raw-row hashes: above any UTF-16 unit, derived
 * from the column's key (never its position), so moving text between columns is a change.
 */
function fieldCode(key: string): number {
  return 0x20000 + (Number.parseInt(hash53(key).slice(0, 5), 36) % 0xfffff);
}

/** The empty list deals without phones, e-mails or tags share (never mutated). */
const NONE = Object.freeze([]) as unknown as string[];

/** A recognised column, with what messages need to name its cells. */
interface Column {
  index: number;
  letters: string;
  header: string;
  /** What its reader gets for the row being read (see `RowReader.#contextOf`). */
  context?: ReadContext;
}

/** Reads rows one by one, collecting deals, problems and IDs; `finish` settles duplicates. */
class RowReader {
  readonly #messages: Words["rows"];
  readonly #id: Column;
  /** The other fields found in the header, in the table's order, with their columns. */
  readonly #fields: { spec: AnyDealColumn; column: Column }[] = [];
  /** The custom-field columns found (`CUSTOM_FIELDS`). */
  readonly #custom: { field: string; column: Column }[];
  /** Indices of every recognised data column: a row empty in all of them is blank. */
  readonly #dataIndices: number[];
  readonly #ids = new IdIndex();
  readonly #knownRaw: ((orderNumber: string) => number | undefined) | undefined;
  readonly #rawSeed: number;
  readonly #rawKey: HashKey;
  /** One marker per data column naming its field, so moving text between fields is a change. */
  readonly #fieldCodes: number[];
  #deals: Deal[] = [];
  #problems: RowProblem[] = [];
  #knownRows: KnownRow[] = [];
  readonly #contactIds = new Map<number, string>();
  /** The row being read (1-based) and its usable ID, for the columns' contexts. */
  #row = 0;
  #rowId: string | undefined;

  constructor(
    columns: ColumnMap,
    header: readonly Cell[],
    messages: Words["rows"],
    options: Pick<ParseOptions, "knownRaw" | "rawSeed" | "rawKey">,
  ) {
    this.#messages = messages;
    this.#knownRaw = options.knownRaw;
    this.#rawSeed = options.rawSeed ?? 0;
    if (options.knownRaw && !options.rawKey) {
      throw new TypeError("parseSheet(): knownRaw needs rawKey (raw hashes cover contacts)");
    }
    this.#rawKey = options.rawKey ?? "legacy";
    const column = (index: number): Column => ({
      index,
      letters: columnLetters(index + 1),
      header: cellText(header[index]),
    });
    this.#id = column(columns.orderNumber);
    const codes = [fieldCode("orderNumber")];
    for (const spec of DEAL_COLUMNS) {
      const index = (columns as unknown as Record<string, number | undefined>)[spec.key];
      if (spec.key === "orderNumber" || index === undefined) continue;
      this.#fields.push({ spec, column: column(index) });
      codes.push(fieldCode(spec.key));
    }
    this.#custom = (columns.custom ?? []).map((c) => ({ field: c.field, column: column(c.index) }));
    for (const { field } of this.#custom) codes.push(fieldCode(`custom.${field}`));
    this.#dataIndices = [
      this.#id.index,
      ...this.#fields.map((f) => f.column.index),
      ...this.#custom.map((c) => c.column.index),
    ];
    this.#fieldCodes = codes;
  }

  /**
   * Hash of a row's data cells, by field, with each cell's type: equal hashes mean the row reads
   * into the same deal (the seed changes with the build, so another parser's hashes never match).
   */
  #rawHash(cells: readonly Cell[]): number {
    return hashCells(cells, this.#dataIndices, this.#fieldCodes, this.#rawSeed, this.#rawKey);
  }

  /**
   * Reads one data row (1-based `row`); blank rows are skipped. Returns the row's raw hash when
   * it became a deal (and hashes were asked for).
   */
  read(cells: readonly Cell[], row: number): number | undefined {
    if (this.#isBlank(cells)) return undefined;
    const problemsBefore = this.#problems.length;
    const orderNumber = readOrderNumber(cells[this.#id.index]);
    // A phone or an e-mail in the ID column is no ID: never indexed, looked up or reported.
    const contact = orderNumber === "" ? undefined : idContact(orderNumber);
    const id = orderNumber === "" || contact ? undefined : orderNumber;
    let raw: number | undefined;
    if (this.#knownRaw) {
      raw = this.#rawHash(cells);
      if (id !== undefined && this.#knownRaw(id) === raw) {
        // Exactly the cells of the deal last sent: nothing to parse (duplicates settled later).
        this.#ids.add(id, row);
        this.#knownRows.push({ row, orderNumber: id });
        return undefined;
      }
    }
    this.#row = row;
    this.#rowId = id;
    if (contact) {
      this.#contactIds.set(row, orderNumber);
      const cell = this.#cell(this.#id, row);
      this.#context(this.#id).problem("id.contact", this.#messages.idContact(cell, contact));
    } else if (id === undefined) ID_COLUMN.required?.(this.#context(this.#id));
    else this.#ids.add(id, row);

    // Every deal starts with the same keys in the same order: one shape for 50,000 deals keeps
    // each of them small (optional fields are added only when set).
    const deal: Deal = {
      row,
      orderNumber,
      orderDate: "",
      status: "",
      phones: NONE,
      emails: NONE,
      tags: NONE,
    };
    const values = deal as unknown as Record<string, unknown>;
    // Indexed loops: a sheet reads every one of them for each of its rows, and most of them
    // before the code is optimised, where for…of allocates an iterator result per field.
    const fields = this.#fields;
    for (let i = 0; i < fields.length; i++) {
      const { spec, column } = fields[i];
      const ctx = this.#context(column);
      const before = this.#problems.length;
      const value = spec.read(cells[column.index], ctx);
      if (value !== undefined) values[spec.key] = value;
      else if (spec.required && this.#problems.length === before) spec.required(ctx);
    }
    const custom = this.#custom;
    for (let i = 0; i < custom.length; i++) {
      const { field, column } = custom[i];
      const value = readCustomCell(cells[column.index], this.#context(column));
      if (value !== undefined) (deal.custom ??= {})[field] = value;
    }
    if (this.#problems.length > problemsBefore) return undefined;
    this.#deals.push(deal);
    return raw;
  }

  /** Turns rows sharing an ID into problems (first in their row) and returns the outcome. */
  finish(): {
    deals: Deal[];
    problems: RowProblem[];
    knownRows: KnownRow[];
    contactIds: Map<number, string>;
  } {
    const duplicates = this.#ids.duplicates;
    if (duplicates.size > 0) {
      const extra: RowProblem[] = [];
      for (const [id, rows] of duplicates) {
        for (const row of rows) {
          const message = this.#messages.idDuplicate(this.#cell(this.#id, row), id, rows);
          extra.push({
            row,
            orderNumber: id,
            code: "id.duplicate",
            message,
            cell: `${this.#id.letters}${row}`,
          });
        }
      }
      this.#deals = this.#deals.filter((deal) => !duplicates.has(deal.orderNumber));
      this.#knownRows = this.#knownRows.filter((known) => !duplicates.has(known.orderNumber));
      // Stable sort: within a row the duplicate comes before the row's other problems.
      this.#problems = extra.concat(this.#problems).sort((a, b) => a.row - b.row);
    }
    return {
      deals: this.#deals,
      problems: this.#problems,
      knownRows: this.#knownRows,
      contactIds: this.#contactIds,
    };
  }

  /**
   * The context a column's reader gets for the row being read: one per column, kept on it and
   * reused for every row (a sheet of 50,000 rows reads ~500,000 cells; a cell's name is built only
   * for a message).
   */
  #contextOf(column: Column): ReadContext {
    const context = {
      messages: this.#messages,
      problem: (code: string, message: string) =>
        this.#problem(this.#row, this.#rowId, code, message, column.letters),
    };
    return Object.defineProperty(context, "cell", {
      get: () => this.#cell(column, this.#row),
      enumerable: true,
    }) as ReadContext;
  }

  /** The context of a column's reader (made once per column, see `#contextOf`). */
  #context(column: Column): ReadContext {
    return column.context ??= this.#contextOf(column);
  }

  #isBlank(cells: readonly Cell[]): boolean {
    const indices = this.#dataIndices;
    for (let i = 0; i < indices.length; i++) if (!isBlankCell(cells[indices[i]])) return false;
    return true;
  }

  #cell(column: Column, row: number): string {
    return cellName(column.letters, row, column.header);
  }

  #problem(
    row: number,
    orderNumber: string | undefined,
    code: string,
    message: string,
    letters: string,
  ): void {
    const problem: RowProblem = { row, code, message, cell: `${letters}${row}` };
    if (orderNumber !== undefined) problem.orderNumber = orderNumber;
    this.#problems.push(problem);
  }
}

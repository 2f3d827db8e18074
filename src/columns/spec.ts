/**
 * What one column of the deals tab is: the shape of an entry of the column table
 * (`deal_columns.ts`, `custom.ts`, `written.ts`) and the contexts its functions run in. Every
 * other part of the sync (header mapping, row parsing, fingerprints, payloads, `check`, sheet
 * setup, the template and the docs) is derived from the entries.
 */
import type { CreateOrder, CtDateTime, UpdateOrder } from "../calltouch/types.ts";
import type { Deal, LocalDateTime } from "../deal.ts";
import type { Cell } from "../sheet/cells.ts";
import type { Words } from "../words/mod.ts";

/** What a cell reader needs: where the cell is, for messages, and how to report a problem. */
export interface ReadContext {
  /** The cell as messages name it: `B6 (Дата сделки)` (worked out when a message asks). */
  readonly cell: string;
  /** The row problems' words, in the sheet's language. */
  messages: Words["rows"];
  /** Reports a problem of this cell (`code` such as `date.invalid`). */
  problem(code: string, message: string): void;
}

/** The fields of a deal a column fills (the row number and custom fields are not columns of it). */
export type DealField = Exclude<keyof Deal, "row" | "custom">;

/**
 * Groups of sent values whose hashes the state keeps as what Calltouch holds (`DealState.holds`):
 * an update sends a group's values only when they changed since Calltouch accepted them.
 * - `status`: the status (its date follows it: see the status date column);
 * - `tags`: the deal's tag list (the tags column and every column sent as a tag);
 * - `custom`: the deal custom fields (`CUSTOM_FIELDS`), sent together.
 */
export type KnownPart = "status" | "tags" | "custom";

/** How a placement writes dates: in the Calltouch project's zone and format. */
export interface PlaceContext {
  /** A sheet wall clock as Calltouch takes it, in the project's zone. */
  date(local: LocalDateTime): CtDateTime;
  /** The deal's tag list as sent: its tags column and every column sent as a tag. */
  tags: readonly string[];
  /** The link to the deal's row in the spreadsheet (absent: unknown, e.g. in a request hash). */
  link?: string;
}

/** What an update placement knows besides the deal: what Calltouch holds of it, and when now is. */
export interface UpdateContext extends PlaceContext {
  /**
   * Whether the group's values differ from what Calltouch holds; true when the sync does not
   * know what it holds (a lost state, a state of an older version, a request in doubt).
   */
  changed(hold: KnownPart): boolean;
  /** When Calltouch was last given the status, in the project's zone; undefined: unknown. */
  knownStatusDate(): CtDateTime | undefined;
  /** The moment of the update, in the project's zone. */
  now: CtDateTime;
}

/**
 * What every entry of the column table has: a stable key, words for people, and how it is sent.
 *
 * Identity is the `key`, never the entry's position: fingerprints, raw-row hashes and messages
 * name columns by key, so reordering the table or inserting an entry changes nothing stored.
 */
export interface ColumnEntry<K extends string = string> {
  /** The stable key (a deal field's name, `custom.<field>`, `orderLink`). */
  key: K;
  /** What the column holds, for people: one line per language (README, `check`). */
  doc: { en: string; ru: string };
  /** Puts the value into a create order (absent: not sent on create). */
  create?: (order: CreateOrder, deal: Deal, ctx: PlaceContext) => void;
  /** Puts the value into an update order (absent: not sent on update). */
  update?: (order: UpdateOrder, deal: Deal, ctx: UpdateContext) => void;
  /**
   * Words of a Calltouch refusal that name this entry's data (its API fields, their Russian
   * stems, as regular-expression pieces): a refusal naming one tells the clinic to fix the row
   * (see `status_text.ts`).
   */
  mentions: readonly string[];
}

/** One column of the deals tab that fills a field of the deal. */
export interface DealColumn<F extends DealField = DealField> extends ColumnEntry<F> {
  /** Headers recognised (trimmed, any case, `ё` = `е`); the first is the template's. */
  headers: readonly string[];
  /** How to fill it in, for clinic staff (the sheet guide, Russian). */
  guide: string;
  /** The template's example cells, one per example row. */
  examples: readonly [string, string, string, string];
  /** For required columns: the problem of a row whose cell is empty. */
  required?: (ctx: ReadContext) => void;
  /**
   * Reads a cell (empty included) into the field's value, or undefined for "no value"
   * (reporting any problem through `ctx`). Not used for `orderNumber`, which the row reader
   * reads itself (duplicates, unchanged rows).
   */
  read: (cell: Cell, ctx: ReadContext) => Deal[F] | undefined;
  /** A matching input: Calltouch matches the deal to a lead by it; a change re-matches. */
  matching?: boolean;
  /**
   * What the fingerprint takes for the field (default: its value). Keeps fingerprints stored by
   * older versions valid when a field's value changes form.
   */
  print?: (deal: Deal) => unknown;
  /** The value is also one of the deal's tags (sent in the tag list, under the `tags` hold). */
  asTag?: boolean;
}

/** An entry of any field, its value type checked against the field's. */
export type AnyDealColumn = { [F in DealField]: DealColumn<F> }[DealField];

/** A column the sync writes itself (the status column, the attribution column). */
export interface WrittenColumn {
  key: "syncStatus" | "attribution";
  /** Headers recognised; the first is the one the sync and setup create. */
  headers: readonly string[];
  doc: { en: string; ru: string };
  /** Whether the template and setup always have it (the attribution column needs a token). */
  always: boolean;
}

/** A sheet column sent as a Calltouch deal custom field (`CUSTOM_FIELDS`). */
export interface CustomFieldMapping {
  /** The column's header, as typed in the setting. */
  header: string;
  /** The custom field's API name in Calltouch. */
  field: string;
}

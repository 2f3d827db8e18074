/**
 * The columns of a deal, in one table: for each, the headers it is recognised by, how its cell
 * is read, whether it is a matching input (its change re-matches the deal), and where it goes in
 * the create and update requests. The header mapping, the row parser, the fingerprints, the
 * payloads, `check` and the template are all derived from this table: adding a column is adding
 * an entry (see CONTRIBUTING.md), and a field that reaches a payload enters the fingerprint by
 * construction.
 */
import type { CreateOrder, CtDateTime, UpdateOrder } from "./calltouch/types.ts";
import type { Deal, LocalDateTime } from "./deal.ts";
import { type Cell, valueText } from "./sheet/cells.ts";
import { parseDateCell } from "./sheet/dates.ts";
import { parseEmailsCell } from "./sheet/emails.ts";
import type { SheetMessages } from "./sheet/messages.ts";
import { parseMoneyCell } from "./sheet/money.ts";
import { parsePhonesCell } from "./sheet/phones.ts";
import { parseTagsCell } from "./sheet/tags.ts";

/** What a cell reader needs: where the cell is, for messages, and how to report a problem. */
export interface ReadContext {
  /** The cell as messages name it: `B6 (Дата сделки)`. */
  cell: string;
  messages: SheetMessages;
  /** Reports a problem of this cell (`code` such as `date.invalid`). */
  problem(code: string, message: string): void;
}

/** The fields a column can fill (the sync-status column is the sync's own). */
export type DealField = Exclude<keyof Deal, "row" | "custom">;

/** How a placement writes dates: in the Calltouch project's zone and format. */
export interface PlaceContext {
  date(local: LocalDateTime): CtDateTime;
}

/** One column of the deals tab. */
export interface FieldSpec<F extends DealField = DealField> {
  field: F;
  /** Headers recognised (trimmed, any case, `ё` = `е`); the first is the template's. */
  headers: readonly string[];
  /** What the column holds, for people (`check` prints it). */
  description: string;
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
  /** Puts the value into a create order (absent: not sent on create). */
  create?: (order: CreateOrder, value: NonNullable<Deal[F]>, ctx: PlaceContext) => void;
  /**
   * Puts the value into an update order (absent: not sent on update, or sent by `updateOrder`'s
   * own rule: the status date and the tags).
   */
  update?: (order: UpdateOrder, value: NonNullable<Deal[F]>, ctx: PlaceContext) => void;
}

function date(cell: Cell, ctx: ReadContext): string | undefined {
  const result = parseDateCell(cell);
  if (typeof result !== "object") return result;
  const m = ctx.messages;
  const message = result.problem === "invalid"
    ? m.dateInvalid(ctx.cell, result.value)
    : result.problem === "impossible"
    ? m.dateImpossible(ctx.cell, result.value)
    : m.dateOutOfRange(ctx.cell, result.value);
  ctx.problem(`date.${result.problem}`, message);
  return undefined;
}

function text(cell: Cell): string | undefined {
  const value = valueText(cell);
  return value === "" ? undefined : value;
}

/** An entry of any field. */
export type AnyFieldSpec = { [F in DealField]: FieldSpec<F> }[DealField];

/** Defines one entry with its value type checked against the field's (keeping its shape). */
function field<F extends DealField, S extends FieldSpec<F>>(spec: S & { field: F }): S {
  return spec;
}

const TABLE = [
  field({
    field: "orderNumber",
    headers: ["ID сделки", "Номер сделки", "ID", "orderNumber"],
    description: "deal ID (required)",
    required: (ctx) => ctx.problem("id.missing", ctx.messages.idMissing(ctx.cell)),
    read: (cell) => text(cell),
    create: (order, value) => order.orderNumber = value,
    update: (order, value) => order.orderNumber = value,
  }),
  field({
    field: "orderDate",
    headers: ["Дата сделки", "Дата", "orderDate"],
    description: "deal date (required)",
    required: (ctx) => ctx.problem("date.missing", ctx.messages.dateMissing(ctx.cell)),
    read: date,
    matching: true,
    create: (order, value, ctx) => order.orderDate = ctx.date(value),
  }),
  field({
    field: "status",
    headers: ["Статус", "Статус сделки", "status"],
    description: "deal status (required)",
    required: (ctx) => ctx.problem("status.missing", ctx.messages.statusMissing(ctx.cell)),
    read: text,
    create: (order, value) => order.status = value,
    update: (order, value) => order.status = value,
  }),
  field({
    field: "statusDate",
    headers: ["Дата статуса", "statusDate"],
    description: "status date",
    read: date,
    // Fingerprints of older versions took the deal date for a missing status date.
    print: (deal) => deal.statusDate ?? deal.orderDate,
    // Create: the cell, else the deal date (`createOrder`); update: see `updateOrder`.
    create: (order, value, ctx) => order.statusDate = ctx.date(value),
  }),
  field({
    field: "revenue",
    headers: ["Сумма", "Сумма сделки", "Выручка", "revenue"],
    description: "amount",
    read: (cell, ctx) => {
      const money = parseMoneyCell(cell);
      if (typeof money !== "object") return money;
      const m = ctx.messages;
      const message = money.problem === "invalid"
        ? m.moneyInvalid(ctx.cell, money.value)
        : money.problem === "negative"
        ? m.moneyNegative(ctx.cell, money.value)
        : m.moneyPrecision(ctx.cell, money.value);
      ctx.problem(`money.${money.problem}`, message);
      return undefined;
    },
    create: (order, value) => order.revenue = value,
    update: (order, value) => order.revenue = value,
  }),
  field({
    field: "phones",
    headers: ["Телефон", "Телефоны", "phone", "phones"],
    description: "phones",
    read: (cell, ctx) => {
      const { phones, invalid } = parsePhonesCell(cell);
      for (const masked of invalid) {
        ctx.problem("phone.invalid", ctx.messages.phoneInvalid(ctx.cell, masked));
      }
      return phones;
    },
    matching: true,
  }),
  field({
    field: "emails",
    headers: ["Email", "E-mail", "Почта", "emails"],
    description: "e-mails",
    read: (cell, ctx) => {
      const { emails, invalid } = parseEmailsCell(cell);
      for (const masked of invalid) {
        ctx.problem("email.invalid", ctx.messages.emailInvalid(ctx.cell, masked));
      }
      return emails;
    },
    matching: true,
  }),
  field({
    field: "tags",
    headers: ["Теги", "tags"],
    description: "tags",
    read: (cell) => parseTagsCell(cell),
    create: (order, value) => {
      if (value.length > 0) order.addTags = value.map((tag) => ({ tag }));
    },
    // Update: only when they changed (`updateOrder`), then the sheet's list replaces them.
  }),
  field({
    field: "manager",
    headers: ["Менеджер", "manager"],
    description: "manager",
    read: text,
    create: (order, value) => order.manager = value,
    update: (order, value) => order.manager = value,
  }),
  field({
    field: "orderName",
    headers: ["Услуга", "Название", "orderName", "name", "service"],
    description: "deal name / service",
    read: text,
    create: (order, value) => order.orderName = value,
    update: (order, value) => order.orderName = value,
  }),
  field({
    field: "comment",
    headers: ["Комментарий", "comment"],
    description: "comment",
    read: text,
    // Update only has addNewComment, which appends: resending would repeat it.
    create: (order, value) => order.comment = { text: value },
  }),
] as const satisfies readonly AnyFieldSpec[];

/** Every column of a deal, in the order rows are checked and problems reported. */
export const FIELDS: readonly AnyFieldSpec[] = TABLE;

/** Fields without which no row can be read (the entries with `required`). */
export type RequiredField = Extract<(typeof TABLE)[number], { required: unknown }>["field"];

/** Headers of the status column the sync writes (created when missing, the first header). */
export const STATUS_HEADERS = ["Calltouch", "Синхронизация", "Sync status"] as const;

/**
 * Headers of the optional attribution column (what Calltouch matched each deal to), written by
 * the sync from Calltouch's deals journal when CALLTOUCH_STATS_TOKEN is set; setup creates it.
 */
export const ATTRIBUTION_HEADERS = [
  "Источник (Calltouch)",
  "Источник Calltouch",
  "Calltouch source",
] as const;

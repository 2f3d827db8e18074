/**
 * The columns of a deal, in one table (template order): for each, the headers it is recognised
 * by, how its cell is read, whether it is a matching input, how it is sent on create and on
 * update, and its words for people. Adding a column is adding an entry (see CONTRIBUTING.md).
 */
import type { CreateOrder, UpdateOrder } from "../calltouch/types.ts";
import type { Deal } from "../deal.ts";
import { type Cell, valueText } from "../sheet/cells.ts";
import { parseDateCell } from "../sheet/dates.ts";
import { parseEmailsCell } from "../sheet/emails.ts";
import { parseMoneyCell } from "../sheet/money.ts";
import { parsePhonesCell } from "../sheet/phones.ts";
import { parseTagsCell } from "../sheet/tags.ts";
import type { AnyDealColumn, ColumnEntry, DealColumn, DealField, ReadContext } from "./spec.ts";

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

function money(cell: Cell, ctx: ReadContext): string | undefined {
  const result = parseMoneyCell(cell);
  if (typeof result !== "object") return result;
  const m = ctx.messages;
  const message = result.problem === "invalid"
    ? m.moneyInvalid(ctx.cell, result.value)
    : result.problem === "negative"
    ? m.moneyNegative(ctx.cell, result.value)
    : m.moneyPrecision(ctx.cell, result.value);
  ctx.problem(`money.${result.problem}`, message);
  return undefined;
}

function text(cell: Cell): string | undefined {
  const value = valueText(cell);
  return value === "" ? undefined : value;
}

/** Sets `order[key]` when there is a value: optional fields are left out, not sent empty. */
function put<O, K extends keyof O>(order: O, key: K, value: O[K] | undefined): void {
  if (value !== undefined) order[key] = value;
}

/** Fields that go into both orders as they are (absent: not sent). */
type AsIs = "revenue" | "manager" | "orderName" | "funnel" | "margin";

/**
 * The field as it is, on create and on update, when it has a value: whether an empty value
 * clears a field in Calltouch is undocumented, so an emptied cell is not sent.
 */
function sentAsIs<K extends AsIs>(key: K) {
  return {
    create: (order: CreateOrder, deal: Deal) => put(order, key, deal[key]),
    update: (order: UpdateOrder, deal: Deal) => put(order, key, deal[key]),
  };
}

/** Defines one entry with its value type checked against the field's (keeping its shape). */
function column<F extends DealField, S extends DealColumn<F>>(spec: S & { key: F }): S {
  return spec;
}

const TABLE = [
  column({
    key: "orderNumber",
    headers: ["ID сделки", "Номер сделки", "ID", "orderNumber"],
    doc: { en: "deal ID (required)", ru: "номер сделки (обязательно)" },
    guide: "обязательно. Номер сделки из вашей CRM или журнала записи, у каждой сделки свой. " +
      "Не меняйте его после отправки: по нему сделка находится и обновляется в Calltouch. Если " +
      "номер повторяется, такие строки не отправляются, пока повтор не исправлен.",
    examples: ["1001", "1002", "1003", "1004"],
    required: (ctx) => ctx.problem("id.missing", ctx.messages.idMissing(ctx.cell)),
    read: (cell) => text(cell),
    create: (order, deal) => order.orderNumber = deal.orderNumber,
    update: (order, deal) => order.orderNumber = deal.orderNumber,
    // A refusal naming the order number is about the request, not a field the clinic fills.
    mentions: [],
  }),
  column({
    key: "orderDate",
    headers: ["Дата сделки", "Дата", "orderDate"],
    doc: { en: "deal date (required)", ru: "дата сделки (обязательно)" },
    guide: "обязательно. Когда пациент обратился или записался: `ДД.ММ.ГГГГ ЧЧ:ММ` " +
      "(`24.11.2026 10:30`) или просто `ДД.ММ.ГГГГ`. По этой дате Calltouch ищет звонок или " +
      "заявку, из которой пришёл пациент.",
    examples: ["24.11.2026 10:30", "24.11.2026 12:15", "25.11.2026 16:40", "26.11.2026 11:05"],
    required: (ctx) => ctx.problem("date.missing", ctx.messages.dateMissing(ctx.cell)),
    read: date,
    matching: true,
    // Update: not documented as updatable; a new date is conveyed by reMatching.
    create: (order, deal, ctx) => order.orderDate = ctx.date(deal.orderDate),
    mentions: ["orderDate", "date", "дат[аыеу]"],
  }),
  column({
    key: "status",
    headers: ["Статус", "Статус сделки", "status"],
    doc: { en: "deal status (required)", ru: "статус сделки (обязательно)" },
    guide: "обязательно. Этап сделки своими словами: `Записан`, `Пришёл`, `Оплачено`, " +
      "`Отменён`. Изменили статус — сделка обновится в Calltouch при следующей синхронизации.",
    examples: ["Записан", "Пришёл", "Оплачено", "Отменён"],
    required: (ctx) => ctx.problem("status.missing", ctx.messages.statusMissing(ctx.cell)),
    read: text,
    create: (order, deal) => order.status = deal.status,
    update: (order, deal) => order.status = deal.status,
    mentions: ["status", "статус"],
  }),
  column({
    key: "statusDate",
    headers: ["Дата статуса", "statusDate"],
    doc: { en: "status date", ru: "дата статуса" },
    guide: "когда статус сменился, в том же формате. Пусто — берётся дата сделки.",
    examples: ["24.11.2026 10:30", "26.11.2026 09:00", "27.11.2026 18:20", "26.11.2026 14:30"],
    read: date,
    // Fingerprints of older versions took the deal date for a missing status date.
    print: (deal) => deal.statusDate ?? deal.orderDate,
    // Create: the cell, else the deal date (the client's integration document).
    create: (order, deal, ctx) => order.statusDate = ctx.date(deal.statusDate ?? deal.orderDate),
    // Update: the cell; else, when the status changed since what Calltouch holds, the moment of
    // the update, else the date Calltouch holds (a sum-only edit keeps it; a retry of a request
    // in doubt sends the same date); unknown holds: the deal date, as older versions sent.
    update: (order, deal, ctx) => {
      const held = ctx.knownStatusDate();
      order.statusDate = deal.statusDate !== undefined
        ? ctx.date(deal.statusDate)
        : held === undefined
        ? ctx.date(deal.orderDate)
        : ctx.changed("status")
        ? ctx.now
        : held;
    },
    mentions: ["statusDate"],
  }),
  column({
    key: "revenue",
    headers: ["Сумма", "Сумма сделки", "Выручка", "revenue"],
    doc: { en: "amount", ru: "сумма" },
    guide: "сколько заплатил пациент: `3 500`, `3500,50`, `3 500 ₽`. Пусто, если оплаты ещё " +
      "нет. Отрицательная сумма — ошибка.",
    examples: ["", "3 500", "12 800", ""],
    read: money,
    ...sentAsIs("revenue"),
    mentions: ["revenue", "amount", "sum", "сумм"],
  }),
  column({
    key: "phones",
    headers: ["Телефон", "Телефоны", "phone", "phones"],
    doc: { en: "phones", ru: "телефоны" },
    guide: "`8 (915) 777-11-22` или `9157771122`; несколько номеров — через запятую, точку с " +
      "запятой или с новой строки. Не начинайте номер с «+»: Google Таблицы примут `+7 915…` за " +
      "формулу и покажут ошибку. Пишите с 8 или поставьте перед плюсом апостроф: " +
      "`'+7 915 777-11-22`.",
    examples: [
      "8 (915) 777-11-22",
      "8 (926) 123-45-67",
      "8 (903) 555-44-33, 8 (495) 123-45-67",
      "",
    ],
    read: (cell, ctx) => {
      const { phones, invalid } = parsePhonesCell(cell);
      for (const masked of invalid) {
        ctx.problem("phone.invalid", ctx.messages.phoneInvalid(ctx.cell, masked));
      }
      return phones;
    },
    // Sent in the matching chain (see payload.ts), never as a field of its own.
    matching: true,
    mentions: ["phones?", "телефон"],
  }),
  column({
    key: "emails",
    headers: ["Email", "E-mail", "Почта", "emails"],
    doc: { en: "e-mails", ru: "e-mail" },
    guide: "адрес почты; несколько — через запятую. Нужен хотя бы один контакт: телефон или " +
      "почта, иначе Calltouch не свяжет сделку с обращением (сделка всё равно уйдёт с " +
      "источником из настройки CUSTOM_SOURCE, по умолчанию «офлайн-визит»).",
    examples: ["", "ivan.petrov@example.com", "", "m.sidorova@example.com"],
    read: (cell, ctx) => {
      const { emails, invalid } = parseEmailsCell(cell);
      for (const masked of invalid) {
        ctx.problem("email.invalid", ctx.messages.emailInvalid(ctx.cell, masked));
      }
      return emails;
    },
    matching: true,
    mentions: ["emails?", "e-?mail", "почт"],
  }),
  column({
    key: "tags",
    headers: ["Теги", "tags"],
    doc: { en: "tags", ru: "теги" },
    guide: "метки через запятую: `первичный, сайт`.",
    examples: ["первичный, сайт", "повторный", "имплантация, Яндекс Директ", "первичный"],
    read: (cell) => parseTagsCell(cell),
    // The deal's tag list (this column and every column sent as a tag): the flat form on create;
    // on update only when it changed since what Calltouch holds, then it replaces Calltouch's
    // tags (a tag removed in the sheet goes). A list never changed never touches Calltouch's
    // tags, so tags a marketer added to an untagged deal stay; when what Calltouch holds is
    // unknown (a lost state), the list is sent even when empty.
    create: (order, _deal, ctx) => {
      if (ctx.tags.length > 0) order.addTags = ctx.tags.map((tag) => ({ tag }));
    },
    update: (order, _deal, ctx) => {
      if (ctx.changed("tags")) {
        order.addTags = { overwrite: true, tags: ctx.tags.map((tag) => ({ tag })) };
      }
    },
    mentions: ["tags?", "addTags", "тег"],
  }),
  column({
    key: "manager",
    headers: ["Менеджер", "manager"],
    doc: { en: "manager", ru: "менеджер" },
    guide: "кто ведёт сделку.",
    examples: ["Смирнова Анна", "Смирнова Анна", "Ковалёв Игорь", "Ковалёв Игорь"],
    read: text,
    ...sentAsIs("manager"),
    mentions: ["manager", "менеджер"],
  }),
  column({
    key: "orderName",
    headers: ["Услуга", "Название", "orderName", "name", "service"],
    doc: { en: "deal name / service", ru: "услуга / название сделки" },
    guide: "что оказано или запланировано: `УЗИ брюшной полости`.",
    examples: [
      "Консультация терапевта",
      "УЗИ брюшной полости",
      "Имплантация зуба (этап 1)",
      "Профессиональная чистка зубов",
    ],
    read: text,
    ...sentAsIs("orderName"),
    mentions: ["orderName", "назван", "услуг"],
  }),
  column({
    key: "comment",
    headers: ["Комментарий", "comment"],
    doc: { en: "comment", ru: "комментарий" },
    guide: "любой текст. Он уходит в Calltouch вместе со сделкой: не пишите туда диагнозы и " +
      "другие медицинские сведения.",
    examples: ["Перезвонить накануне приёма", "", "Оплата картой", "Перенесла на декабрь"],
    read: text,
    // Update only has addNewComment, which appends: resending would repeat it.
    create: (order, deal) => {
      if (deal.comment !== undefined) order.comment = { text: deal.comment };
    },
    mentions: ["comment", "комментар"],
  }),
  column({
    key: "funnel",
    headers: ["Воронка", "funnel"],
    doc: { en: "funnel (pipeline name)", ru: "воронка" },
    guide: "название воронки продаж, если их у клиники несколько: `Стоматология`, `Диагностика`.",
    examples: ["Терапия", "Диагностика", "Стоматология", "Стоматология"],
    read: text,
    ...sentAsIs("funnel"),
    mentions: ["funnel", "воронк"],
  }),
  column({
    key: "margin",
    headers: ["Маржа", "margin"],
    doc: { en: "margin", ru: "маржа" },
    guide: "прибыль клиники со сделки, как сумма: `1 200`, `850,50`. Пусто, если не считаете.",
    examples: ["", "1 200", "4 100", ""],
    read: money,
    ...sentAsIs("margin"),
    mentions: ["margin", "марж"],
  }),
] as const satisfies readonly AnyDealColumn[];

/** Every column of a deal, in the template's order (the order rows are checked and reported). */
export const DEAL_COLUMNS: readonly AnyDealColumn[] = TABLE;

/**
 * What the sync sends without a column of its own: the link to the deal's row in the
 * spreadsheet (`orderLink`), so that a deal in Calltouch opens its row. Not in fingerprints: it
 * follows the row's place, not its content, and sorting the sheet must not send every deal
 * again; each create and update carries the row's link as it is then.
 */
export const DERIVED: readonly ColumnEntry[] = [
  {
    key: "orderLink",
    doc: {
      en: "link to the deal's row in the spreadsheet (made by the sync)",
      ru: "ссылка на строку сделки в таблице (её составляет синхронизация)",
    },
    create: (order, _deal, ctx) => {
      if (ctx.link !== undefined) order.orderLink = ctx.link;
    },
    update: (order, _deal, ctx) => {
      if (ctx.link !== undefined) order.orderLink = ctx.link;
    },
    mentions: ["orderLink"],
  },
];

/** Fields without which no row can be read (the entries with `required`). */
export type RequiredField = Extract<(typeof TABLE)[number], { required: unknown }>["key"];

/** The entry of a field. */
export function dealColumn<F extends DealField>(key: F): DealColumn<F> {
  return TABLE.find((c) => c.key === key) as unknown as DealColumn<F>;
}

/** Whether a deal has a value for `key` (lists: a non-empty one). */
export function hasValue(deal: Deal, key: DealField): boolean {
  const value = deal[key];
  return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== "";
}

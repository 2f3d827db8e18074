/**
 * Deterministic, realistic clinic deals for the benchmark: the cells a ru_RU Google Sheet holds
 * (`UNFORMATTED_VALUE`) after a year of typing by clinic staff: numeric and text IDs, dates as
 * serial numbers and as text in every accepted format, sums as numbers and as Russian text
 * (`1 500,50`, `2 300 ₽`, `1500 руб.`), one or two phones in assorted spellings, some e-mails,
 * tags, and about 2% of rows with a mistake the sync must report instead of sending.
 */
import type { CellValue } from "../src/deal.ts";
import { TEMPLATE_HEADERS } from "../src/columns/docs.ts";

/** The header row of the generated tab (the sync-status column starts empty). */
export const BENCH_HEADER: readonly string[] = TEMPLATE_HEADERS;

/** Share of rows given one deliberate mistake. */
export const MISTAKE_RATE = 0.02;

/** Kinds of deliberate mistakes, each a different path through parsing. */
export const MISTAKE_KINDS = [
  "date.impossible",
  "date.invalid",
  "status.missing",
  "id.missing",
  "id.duplicate",
  "phone.invalid",
  "email.invalid",
  "money.negative",
  "money.invalid",
  "money.precision",
] as const;

/** A generated tab, and what the benchmark needs to know about it. */
export interface GeneratedSheet {
  /** Header first; `values[i]` is sheet row `i + 1`. */
  values: CellValue[][];
  /** 1-based sheet rows that must parse into a deal (no mistake, unique ID), ascending. */
  validRows: number[];
  /** 1-based sheet rows that must come out as problems, ascending. */
  invalidRows: number[];
}

/** One edit of the 1%-changed run: the row's status, status date and sum (columns C:E). */
export interface DealChange {
  row: number;
  /** Status, status date (a serial number) and sum, in column order. */
  cells: [string, number, number];
}

/** mulberry32: a tiny seeded PRNG, so every run of the benchmark sees the same sheet. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES = ["Запись", "Запись", "Запись", "Визит", "Визит", "Оплачено", "Оплачено", "Отказ"];
const MANAGERS = ["Анна Петрова", "Ольга", "Игорь Смирнов", "Марина", "Дмитрий К."];
const SERVICES = [
  "Консультация терапевта",
  "МРТ коленного сустава",
  "УЗИ брюшной полости",
  "Анализ крови",
  "Приём стоматолога",
  "Чистка зубов",
  "Приём гинеколога",
  "ЭКГ",
];
const TAGS = ["МРТ", "УЗИ", "первичный", "повторный", "акция", "Яндекс", "ОМС", "ДМС"];
const COMMENTS = ["перезвонить", "оплата картой", "пришёл с родственником", "скидка 10%"];
const EMAIL_DOMAINS = ["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "клиника.рф"];
const NBSP = "\u00a0";

/** First day of the generated deals (serial number of 2025-12-01). */
const FIRST_DAY = 45_992;
/** Days the deals are spread over. */
const SPAN_DAYS = 360;
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);

const pad2 = (n: number) => (n < 10 ? "0" : "") + n;

/** A serial number → its UTC calendar parts (serials are wall clock, so UTC arithmetic is exact). */
function parts(serial: number) {
  const date = new Date(SERIAL_EPOCH_MS + Math.round(serial * 1440) * 60_000);
  return {
    dd: pad2(date.getUTCDate()),
    mm: pad2(date.getUTCMonth() + 1),
    yyyy: String(date.getUTCFullYear()),
    hh: pad2(date.getUTCHours()),
    mi: pad2(date.getUTCMinutes()),
  };
}

/** A date cell as staff enter it: a real date (serial) most of the time, else typed text. */
function dateCell(serial: number, r: () => number): CellValue {
  const x = r();
  if (x < 0.55) return serial;
  const p = parts(serial);
  if (x < 0.70) return `${p.dd}.${p.mm}.${p.yyyy}`;
  if (x < 0.85) return `${p.dd}.${p.mm}.${p.yyyy} ${p.hh}:${p.mi}`;
  if (x < 0.95) return `${p.yyyy}-${p.mm}-${p.dd} ${p.hh}:${p.mi}:00`;
  return `${p.dd}-${p.mm}-${p.yyyy} ${p.hh}:${p.mi}:00`;
}

/** Groups thousands with `space` (`12 500`). */
function grouped(n: number, space: string): string {
  const text = String(n);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (i > 0 && (text.length - i) % 3 === 0) out += space;
    out += text[i];
  }
  return out;
}

/** A sum as a number or as Russian-formatted text; empty for about 15% of deals. */
function moneyCell(r: () => number): CellValue {
  const x = r();
  if (x < 0.15) return "";
  const rubles = 500 + Math.floor(r() * 300) * 100;
  if (x < 0.60) return rubles;
  if (x < 0.65) return rubles + 0.5;
  const y = r();
  if (y < 0.25) return grouped(rubles, " ");
  if (y < 0.45) return `${grouped(rubles, NBSP)},50`;
  if (y < 0.60) return `${rubles}.5`;
  if (y < 0.80) return `${grouped(rubles, " ")} ₽`;
  if (y < 0.90) return `${rubles} руб.`;
  return `${grouped(rubles, " ")} р.`;
}

/** A Russian mobile (code 9xx) unique to deal `i`: ten national digits. */
function mobile(i: number): string {
  return String(9_000_000_000 + ((i * 7_919 + 12_345) % 1_000_000_000));
}

/** One phone as typed: `8 (915) 777-11-22`, `+7 915 777 11 22`, `9157771122`… */
function phoneText(national: string, r: () => number): string {
  const a = national.slice(0, 3);
  const b = national.slice(3, 6);
  const c = national.slice(6, 8);
  const d = national.slice(8, 10);
  const x = r();
  if (x < 0.35) return `8 (${a}) ${b}-${c}-${d}`;
  if (x < 0.60) return `+7 ${a} ${b} ${c} ${d}`;
  if (x < 0.75) return `+7 (${a}) ${b}-${c}-${d}`;
  if (x < 0.90) return national;
  return `7-${a}-${b}-${c}-${d}`;
}

/** One or two phones; a lone mobile is sometimes a numeric cell (`79157771122`). */
function phonesCell(i: number, r: () => number): CellValue {
  const first = mobile(i);
  if (r() < 0.8) return r() < 0.15 ? Number("7" + first) : phoneText(first, r);
  const landline = "495" + String(1_000_000 + ((i * 104_729) % 9_000_000));
  const separator = [", ", "; ", "\n", " / "][Math.floor(r() * 4)];
  return phoneText(first, r) + separator + phoneText(landline, r);
}

function pick<T>(list: readonly T[], r: () => number): T {
  return list[Math.floor(r() * list.length)];
}

/**
 * Generates `count` deals (sheet rows 2…count+1), the same ones for the same `seed`.
 *
 * @example
 * const { values, validRows } = generateDeals(1_000);
 * values.length; // 1001
 */
export function generateDeals(count: number, seed = 20261128): GeneratedSheet {
  const r = prng(seed);
  const values: CellValue[][] = [[...BENCH_HEADER]];
  const invalid = new Set<number>();
  for (let i = 0; i < count; i++) {
    const row = i + 2;
    const day = FIRST_DAY + Math.floor((i * SPAN_DAYS) / Math.max(1, count));
    const serial = day + (540 + Math.floor(r() * 66) * 10) / 1440; // 09:00–19:50
    const id: CellValue = r() < 0.85 ? 100_000 + i : `СД-${String(i + 1).padStart(6, "0")}`;
    const status = pick(STATUSES, r);
    const statusDate: CellValue = status !== "Запись" && r() < 0.7
      ? dateCell(serial + 1 + Math.floor(r() * 14) + 0.5, r)
      : "";
    const cells: CellValue[] = [
      id,
      dateCell(serial, r),
      status,
      statusDate,
      moneyCell(r),
      phonesCell(i, r),
      r() < 0.25 ? `${r() < 0.3 ? "Patient." : "patient"}${i}@${pick(EMAIL_DOMAINS, r)}` : "",
      r() < 0.4 ? (r() < 0.5 ? pick(TAGS, r) : `${pick(TAGS, r)}, ${pick(TAGS, r)}`) : "",
      r() < 0.9 ? pick(MANAGERS, r) : "",
      pick(SERVICES, r),
      r() < 0.1 ? pick(COMMENTS, r) : "",
      "",
    ];
    if (r() < MISTAKE_RATE) {
      const kind = MISTAKE_KINDS[Math.floor(r() * MISTAKE_KINDS.length)];
      if (applyMistake(kind, cells, values, row)) {
        invalid.add(row);
        if (kind === "id.duplicate") invalid.add(row - 1);
      }
    }
    // Google Sheets leaves out trailing empty cells of a row.
    while (cells.length > 0 && cells[cells.length - 1] === "") cells.pop();
    values.push(cells);
  }
  const validRows: number[] = [];
  for (let row = 2; row <= count + 1; row++) if (!invalid.has(row)) validRows.push(row);
  return { values, validRows, invalidRows: [...invalid].sort((a, b) => a - b) };
}

/** Spoils one cell of a row; false when the mistake cannot apply (a duplicate on row 2). */
function applyMistake(
  kind: typeof MISTAKE_KINDS[number],
  cells: CellValue[],
  values: CellValue[][],
  row: number,
): boolean {
  switch (kind) {
    case "date.impossible":
      cells[1] = "31.02.2026";
      return true;
    case "date.invalid":
      cells[1] = "вчера";
      return true;
    case "status.missing":
      cells[2] = "";
      return true;
    case "id.missing":
      cells[0] = "";
      return true;
    case "id.duplicate": {
      const previous = values[row - 2]?.[0];
      if (row <= 2 || previous === undefined || previous === "") return false;
      cells[0] = previous;
      return true;
    }
    case "phone.invalid":
      cells[5] = "12-34";
      return true;
    case "email.invalid":
      cells[6] = "ivanov@";
      return true;
    case "money.negative":
      cells[4] = "-500";
      return true;
    case "money.invalid":
      cells[4] = "договорная";
      return true;
    case "money.precision":
      cells[4] = "1 500,505";
      return true;
  }
}

/**
 * The edits of one "1% of deals changed" round: `ceil(validRows / 100)` distinct valid rows get
 * status "Оплачено", a new status date and a sum no generated row has, so each is one update.
 * Different `round`s pick different rows (rounds may overlap; each still changes the deal).
 */
export function dealChanges(validRows: readonly number[], round: number, seed = 7): DealChange[] {
  const r = prng(seed * 1_000 + round);
  const wanted = Math.ceil(validRows.length / 100);
  const pool = [...validRows];
  const changes: DealChange[] = [];
  for (let k = 0; k < wanted && k < pool.length; k++) {
    const j = k + Math.floor(r() * (pool.length - k));
    [pool[k], pool[j]] = [pool[j], pool[k]];
    const sum = 100_000 + round * 1_000 + k; // generated sums stay below 31,000
    changes.push({ row: pool[k], cells: ["Оплачено", FIRST_DAY + SPAN_DAYS + round + 0.5, sum] });
  }
  return changes.sort((a, b) => a.row - b.row);
}

/**
 * Surgical edits of `wrangler.toml` for `deno task init`: read and set a string in a table, the
 * id of a KV namespace binding, the queue blocks, `account_id`. Everything else in the file
 * (comments, order, blank lines, other values) stays byte for byte. Pure; the subset of TOML a
 * Worker's configuration uses (string values, one- or multi-line; tables and arrays of tables).
 */

/** The id wrangler.toml ships with, until `init` (or the integrator) writes the real one. */
export const PLACEHOLDER_KV_ID = "00000000000000000000000000000000";

/** One `key = value` line (or lines, for a multi-line string) of the file. */
interface Entry {
  /** `""` for the root table, else the table's name; arrays of tables get `name#index`. */
  table: string;
  key: string;
  /** The decoded string, or undefined for other value types. */
  value?: string;
  /** Offsets of the value's text (quotes included) in the file. */
  valueStart: number;
  valueEnd: number;
  /** Offset of the end of the entry's last line (before its line break). */
  lineEnd: number;
}

interface Header {
  /** As in {@linkcode Entry.table}. */
  table: string;
  /** Offset of the header line's start. */
  start: number;
  /** Offset just after the header line (its line break included). */
  after: number;
}

interface Parsed {
  entries: Entry[];
  headers: Header[];
}

const HEADER = /^[ \t]*(\[\[?)[ \t]*([A-Za-z0-9_.-]+)[ \t]*\]\]?[ \t]*(?:#.*)?$/;
const KEY = /^[ \t]*([A-Za-z0-9_-]+|"[^"]*")[ \t]*=[ \t]*/;

/** Reads the structure of the file: every table header and every `key = value` entry. */
function parse(text: string): Parsed {
  const entries: Entry[] = [];
  const headers: Header[] = [];
  const arrayCounts = new Map<string, number>();
  let table = "";
  let at = 0;
  while (at < text.length) {
    const lineEnd = endOfLine(text, at);
    const line = text.slice(at, lineEnd);
    const next = lineEnd < text.length ? lineEnd + 1 : lineEnd;
    const header = HEADER.exec(line);
    if (header) {
      const name = header[2];
      if (header[1] === "[[") {
        const index = arrayCounts.get(name) ?? 0;
        arrayCounts.set(name, index + 1);
        table = `${name}#${index}`;
      } else table = name;
      headers.push({ table, start: at, after: next });
      at = next;
      continue;
    }
    const key = KEY.exec(line);
    if (!key) {
      at = next;
      continue;
    }
    const valueStart = at + key[0].length;
    const read = readValue(text, valueStart);
    const last = endOfLine(text, read.end);
    entries.push({
      table,
      key: key[1].replace(/^"|"$/g, ""),
      value: read.value,
      valueStart,
      valueEnd: read.end,
      lineEnd: last,
    });
    at = last < text.length ? last + 1 : last;
  }
  return { entries, headers };
}

function endOfLine(text: string, from: number): number {
  const end = text.indexOf("\n", from);
  return end < 0 ? text.length : end;
}

/** Reads the value that starts at `start`: its end offset, and its content when a string. */
function readValue(text: string, start: number): { end: number; value?: string } {
  for (const quote of ['"""', "'''"]) {
    if (text.startsWith(quote, start)) {
      let close = text.indexOf(quote, start + 3);
      while (quote === '"""' && close > 0 && escaped(text, close)) {
        close = text.indexOf(quote, close + 1);
      }
      if (close < 0) return { end: endOfLine(text, start) };
      // A quote right before the closing delimiter belongs to the string (`""""` ends it).
      while (text[close + 3] === quote[0]) close++;
      const raw = text.slice(start + 3, close).replace(/^\r?\n/, "");
      const value = quote === "'''" ? raw : unescapeBasic(raw.replace(/\\[ \t]*\r?\n\s*/g, ""));
      return { end: close + 3, value };
    }
  }
  const quote = text[start];
  if (quote === '"' || quote === "'") {
    let close = start + 1;
    while (close < text.length && text[close] !== quote && text[close] !== "\n") {
      close += quote === '"' && text[close] === "\\" ? 2 : 1;
    }
    const raw = text.slice(start + 1, close);
    return { end: close + 1, value: quote === "'" ? raw : unescapeBasic(raw) };
  }
  // Not a string (a number, a boolean, an array or inline table on one line).
  const end = endOfLine(text, start);
  const comment = text.slice(start, end).search(/[ \t]#/);
  return { end: comment < 0 ? end : start + comment };
}

function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  for (let i = at - 1; i >= 0 && text[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 1;
}

const ESCAPES: Record<string, string> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  '"': '"',
  "\\": "\\",
};

function unescapeBasic(raw: string): string {
  return raw.replace(
    /\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)/g,
    (_, e: string) =>
      e.length > 1 ? String.fromCodePoint(parseInt(e.slice(1), 16)) : ESCAPES[e] ?? `\\${e}`,
  );
}

/** A TOML basic string holding `value` exactly. */
export function tomlString(value: string): string {
  // TOML forbids control characters in a basic string: they are escaped.
  // deno-lint-ignore no-control-regex
  const body = value.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    const named: Record<string, string> = {
      "\\": "\\\\",
      '"': '\\"',
      "\n": "\\n",
      "\t": "\\t",
      "\r": "\\r",
    };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
  return `"${body}"`;
}

/**
 * A multi-line literal string (`'''…'''`) holding `value` as is, for JSON that reads best over
 * several lines (TARGETS); a basic string when the value holds `'''` or a control character.
 */
export function tomlMultiline(value: string): string {
  // deno-lint-ignore no-control-regex
  if (value.includes("'''") || /[\u0000-\u0009\u000b-\u001f\u007f]/.test(value)) {
    return tomlString(value);
  }
  return `'''\n${value}'''`;
}

/** Every string value of a table (`"vars"`, or `""` for the root), multi-line ones included. */
export function tableStrings(text: string, table: string): Record<string, string> {
  const strings: Record<string, string> = {};
  for (const entry of parse(text).entries) {
    if (entry.table === table && entry.value !== undefined) strings[entry.key] = entry.value;
  }
  return strings;
}

/**
 * Sets `key` of `table` to `encoded` (a TOML value, e.g. from {@linkcode tomlString}): replaces
 * the value in place (a comment after it stays), or adds the line after the table's last entry.
 * The root table is `""`; a table that does not exist is added at the end of the file.
 */
export function setValue(text: string, table: string, key: string, encoded: string): string {
  const { entries, headers } = parse(text);
  const existing = entries.find((e) => e.table === table && e.key === key);
  if (existing) {
    return text.slice(0, existing.valueStart) + encoded + text.slice(existing.valueEnd);
  }
  const line = `${key} = ${encoded}`;
  const inTable = entries.filter((e) => e.table === table);
  if (inTable.length > 0) {
    const last = inTable[inTable.length - 1].lineEnd;
    return text.slice(0, last) + "\n" + line + text.slice(last);
  }
  const header = headers.find((h) => h.table === table);
  if (header) return text.slice(0, header.after) + line + "\n" + text.slice(header.after);
  if (table === "") {
    const first = headers[0]?.start ?? text.length;
    return text.slice(0, first) + line + "\n" + text.slice(first);
  }
  return `${text.replace(/\n*$/, "\n")}\n[${table}]\n${line}\n`;
}

/** The `id` of the `[[kv_namespaces]]` block whose `binding` is `binding`, if any. */
export function kvNamespaceId(text: string, binding: string): string | undefined {
  const { entries } = parse(text);
  const block = kvBlock(entries, binding);
  return block === undefined
    ? undefined
    : entries.find((e) => e.table === block && e.key === "id")?.value;
}

function kvBlock(entries: Entry[], binding: string): string | undefined {
  return entries.find((e) =>
    e.table.startsWith("kv_namespaces#") && e.key === "binding" && e.value === binding
  )?.table;
}

/** Sets the `id` of the binding's `[[kv_namespaces]]` block, adding the block when missing. */
export function setKvNamespaceId(text: string, binding: string, id: string): string {
  const block = kvBlock(parse(text).entries, binding);
  if (block !== undefined) return setValue(text, block, "id", tomlString(id));
  return `${text.replace(/\n*$/, "\n")}\n[[kv_namespaces]]\nbinding = ${tomlString(binding)}\n` +
    `id = ${tomlString(id)}\n`;
}

/** The queue names of the `[[queues.producers]]` blocks in effect (not commented out). */
export function producerQueues(text: string): string[] {
  return parse(text).entries
    .filter((e) => e.table.startsWith("queues.producers#") && e.key === "queue")
    .map((e) => e.value ?? "");
}

/** The queue blocks `init` puts in effect (as the commented block of wrangler.toml has them). */
export function queueBlocks(queue: string, deadLetter: string): string {
  return [
    "[[queues.producers]]",
    'binding = "SYNC_QUEUE"',
    `queue = ${tomlString(queue)}`,
    "",
    "[[queues.consumers]]",
    `queue = ${tomlString(queue)}`,
    "max_batch_size = 1",
    "max_batch_timeout = 0",
    "max_retries = 3",
    `dead_letter_queue = ${tomlString(deadLetter)}`,
    "",
    "[[queues.consumers]]",
    `queue = ${tomlString(deadLetter)}`,
    "max_batch_size = 1",
  ].join("\n");
}

/**
 * Puts the queue blocks in effect: uncomments the commented-out block that starts with
 * `# [[queues.producers]]` (the one wrangler.toml ships with), or appends
 * {@linkcode queueBlocks} when there is none. A file whose producers are in effect is returned
 * as it is.
 */
export function enableQueues(text: string, queue: string, deadLetter: string): string {
  if (producerQueues(text).length > 0) return text;
  const lines = text.split("\n");
  const first = lines.findIndex((line) => /^#\s*\[\[queues\.producers\]\]\s*$/.test(line));
  if (first < 0) return `${text.replace(/\n*$/, "\n")}\n${queueBlocks(queue, deadLetter)}\n`;
  for (let i = first; i < lines.length && /^#/.test(lines[i]); i++) {
    lines[i] = lines[i].replace(/^# ?/, "");
  }
  return lines.join("\n");
}

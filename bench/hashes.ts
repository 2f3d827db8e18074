/**
 * What keying the stored hashes costs: the raw-row hash of every row of a generated sheet and
 * the fingerprints of every deal, computed unkeyed (cyrb53, the hashes before issue 22), keyed
 * with SipHash-2-4 in JavaScript (over the whole text, or over a 64-bit digest streamed the old
 * way), and keyed with HMAC-SHA-256 through WebCrypto (asynchronous: one promise per row, awaited
 * one by one and all at once). Per variant: CPU time of the process (every thread: WebCrypto may
 * use others) and wall time, the best of {@linkcode HASH_ROUNDS} rounds.
 *
 * Standalone: `deno run -A bench/hashes.ts [rows]` (default 50,000); `deno task bench` runs it
 * first. See docs/performance.md ("Keyed hashes").
 */
import process from "node:process";
import type { CellValue } from "../src/deal.ts";
import { fingerprintText, matchingText } from "../src/columns/fingerprint.ts";
import { parseSheet } from "../src/columns/parse.ts";
import { hash53, hashCells, LEGACY } from "../src/util/hash.ts";
import { sipHashText, sipKey } from "../src/util/siphash.ts";
import { generateDeals } from "./generate.ts";

/** Rounds of each variant; the best is reported (the first warms the JIT up). */
export const HASH_ROUNDS = 5;

/** One variant's cost over every row (or deal). */
export interface HashCost {
  variant: string;
  /** How many hashes one round computes. */
  count: number;
  cpuMs: number;
  wallMs: number;
  /** Per hash, in microseconds (CPU). */
  cpuUsPerHash: number;
}

/** What {@linkcode benchHashes} measured. */
export interface HashBench {
  rows: number;
  /** The raw-row hash of every non-blank row. */
  raw: HashCost[];
  /** Both fingerprints of every valid deal. */
  fingerprints: HashCost[];
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

async function measure(
  variant: string,
  count: number,
  work: () => unknown | Promise<unknown>,
): Promise<HashCost> {
  let best = { cpuMs: Infinity, wallMs: Infinity };
  for (let round = 0; round < HASH_ROUNDS; round++) {
    const cpu = cpuNow();
    const wall = performance.now();
    await work();
    const cost = { cpuMs: cpuNow() - cpu, wallMs: performance.now() - wall };
    if (cost.cpuMs < best.cpuMs) best = cost;
  }
  return { variant, count, ...best, cpuUsPerHash: (best.cpuMs * 1000) / count };
}

/** The row's data cells as one text (what a keyed hash over the whole row would read). */
function rowText(cells: readonly CellValue[], indices: readonly number[]): string {
  let text = "";
  for (const i of indices) text += `\u001f${cells[i] ?? ""}`;
  return text;
}

/**
 * Measures the variants over `rows` generated deals.
 *
 * @example
 * const { raw, fingerprints } = await benchHashes(50_000);
 */
export async function benchHashes(rows: number): Promise<HashBench> {
  const { values } = generateDeals(rows);
  const data = values.slice(1);
  const width = values[0].length;
  const indices = Array.from({ length: width - 1 }, (_, i) => i); // every column but the status
  const codes = indices.map((i) => 0x20000 + i);
  const texts = data.map((cells) => rowText(cells, indices));
  const bytes = texts.map((text) => new TextEncoder().encode(text));
  const sheet = parseSheet(values);
  if (!sheet.ok) throw new Error("bench/hashes.ts: the generated sheet has no usable header");
  const deals = sheet.deals;
  const printTexts = deals.flatMap((deal) => [
    fingerprintText(deal),
    matchingText(deal),
  ]);
  const printBytes = printTexts.map((text) => new TextEncoder().encode(text));

  const key = sipKey(crypto.getRandomValues(new Uint8Array(16)));
  const hmac = await crypto.subtle.importKey(
    "raw",
    crypto.getRandomValues(new Uint8Array(32)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  let sink = 0;
  const raw = [
    await measure("cyrb53, unkeyed (before)", data.length, () => {
      for (const cells of data) sink ^= hashCells(cells, indices, codes, 1, LEGACY);
    }),
    await measure("64-bit digest + SipHash-2-4 (chosen)", data.length, () => {
      for (const cells of data) sink ^= hashCells(cells, indices, codes, 1, key);
    }),
    await measure("SipHash-2-4 over the row's text", data.length, () => {
      for (const text of texts) sink ^= sipHashText(key, text);
    }),
    await measure("HMAC-SHA-256 (WebCrypto), awaited one by one", data.length, async () => {
      for (const row of bytes) await crypto.subtle.sign("HMAC", hmac, row);
    }),
    await measure("HMAC-SHA-256 (WebCrypto), all at once", data.length, async () => {
      await Promise.all(bytes.map((row) => crypto.subtle.sign("HMAC", hmac, row)));
    }),
  ];
  const fingerprints = [
    await measure("cyrb53, unkeyed (before)", printTexts.length, () => {
      for (const text of printTexts) sink ^= hash53(text).length;
    }),
    await measure("SipHash-2-4 (chosen)", printTexts.length, () => {
      for (const text of printTexts) sink ^= sipHashText(key, text);
    }),
    await measure("HMAC-SHA-256 (WebCrypto), awaited one by one", printTexts.length, async () => {
      for (const text of printBytes) await crypto.subtle.sign("HMAC", hmac, text);
    }),
    await measure("HMAC-SHA-256 (WebCrypto), all at once", printTexts.length, async () => {
      await Promise.all(printBytes.map((text) => crypto.subtle.sign("HMAC", hmac, text)));
    }),
  ];
  if (sink === 0.5) console.error(sink); // keeps the results alive
  return { rows, raw, fingerprints };
}

/** The two tables, for people. */
export function renderHashes(result: HashBench): string {
  const table = (title: string, costs: HashCost[]) =>
    [
      `| ${title} | hashes | CPU ms | wall ms | CPU µs per hash |`,
      "| --- | ---: | ---: | ---: | ---: |",
      ...costs.map((c) =>
        `| ${c.variant} | ${c.count.toLocaleString("en-US")} | ${c.cpuMs.toFixed(1)} | ${
          c.wallMs.toFixed(1)
        } | ${c.cpuUsPerHash.toFixed(3)} |`
      ),
    ].join("\n");
  return [
    `Keyed hashes, ${result.rows.toLocaleString("en-US")} generated rows (best of ${HASH_ROUNDS}):`,
    "",
    table("raw-row hash of every row", result.raw),
    "",
    table("fingerprints (2 per valid deal)", result.fingerprints),
  ].join("\n");
}

if (import.meta.main) {
  const rows = Number(Deno.args[0] ?? 50_000);
  const result = await benchHashes(rows);
  console.log(renderHashes(result));
  console.log(`BENCH_HASHES ${JSON.stringify(result)}`);
}

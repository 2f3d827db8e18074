/**
 * `probe`: the go-live probe against the real Calltouch project (see `src/cli/probe_calls.ts`):
 * makes the calls, prints each answer with the sync's reading, and saves the probe file.
 */
import { LEGACY } from "../util/hash.ts";
import { resolve } from "node:path";
import { writeFile } from "node:fs/promises";
import { CalltouchClient } from "../calltouch/client.ts";
import { probeOrderNumber, type ProbeReport, runProbe } from "./probe_calls.ts";
import type { Config } from "../settings/config.ts";
import { type Clock, systemClock } from "../util/clock.ts";
import { UpstreamError } from "../util/errors.ts";
import { EXIT, type ExitCode } from "./exit.ts";
import { table } from "./render.ts";

/** The probe's whole run may take this long (five calls with their retries). */
const PROBE_BUDGET_MS = 120_000;
/** Longest answer body printed per call (the file keeps it whole). */
const PRINTED_BODY = 400;

/** What `probe` needs from the process. */
export interface ProbeIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  fetch?: typeof fetch;
  clock?: Clock;
}

/** Runs the probe; returns 0 when every reading is the intended one, 1 when not, 2 on failure. */
export async function probeCommand(
  config: Config,
  options: { orderNumber?: string; out?: string; json: boolean },
  io: ProbeIo,
): Promise<ExitCode> {
  const clock = io.clock ?? systemClock;
  const now = clock.now();
  const orderNumber = options.orderNumber ?? probeOrderNumber(now);
  const { calltouch } = config;
  const client = new CalltouchClient({
    baseUrl: calltouch.apiUrl,
    siteId: calltouch.siteId,
    token: calltouch.token,
    crm: calltouch.crm,
    fetch: io.fetch,
    clock,
    language: config.language,
  });
  let report: ProbeReport;
  try {
    report = await runProbe({
      client,
      settings: { ...calltouch, hashKey: LEGACY }, // the probe keeps no hash of anything
      apiUrl: calltouch.apiUrl,
      siteId: calltouch.siteId,
      token: calltouch.token,
      orderNumber,
      now,
      deadline: now + PROBE_BUDGET_MS,
    });
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    io.stderr(`error: ${error.message}\n`);
    return EXIT.fatal;
  }
  const out = resolve(io.cwd, options.out ?? `calltouch-probe-${orderNumber}.json`);
  await writeFile(out, JSON.stringify(report, null, 2) + "\n");
  io.stdout(options.json ? JSON.stringify(report, null, 2) + "\n" : renderProbe(report, out));
  return report.ok ? EXIT.ok : EXIT.rows;
}

/** The probe's answers as text: one block per call, then a table of readings. */
export function renderProbe(report: ProbeReport, file: string): string {
  const lines = [
    `Calltouch probe of project ${report.siteId} at ${report.apiUrl}, test deal ` +
    `${report.orderNumber}:`,
    "",
  ];
  for (const call of report.calls) {
    const body = call.body === undefined
      ? "(no answer)"
      : call.body.length > PRINTED_BODY
      ? `${call.body.slice(0, PRINTED_BODY)}…`
      : call.body || "(empty body)";
    lines.push(
      `${call.step}. ${call.title} (${call.method} ${call.orderNumber})`,
      `   answer: ${call.status === undefined ? "none" : `HTTP ${call.status}`} ${body}`,
      `   the sync reads: ${call.reading}${call.reason ? ` — ${call.reason}` : ""}`,
      `   ${call.intended ? "as intended" : "NOT as intended"}: ${call.note}`,
      "",
    );
  }
  lines.push(
    table(
      ["#", "call", "HTTP", "read as", "intended"],
      report.calls.map((c) => [
        String(c.step),
        c.title,
        c.status === undefined ? "-" : String(c.status),
        c.reading,
        c.intended ? "yes" : "NO",
      ]),
      { right: [0] },
    ),
    "",
    report.ok
      ? "Every answer is read as intended: the sync can go live."
      : "Some answers are not read as intended: see above before the first real sync.",
    `Saved to ${file} (attach it to a support request; the token is masked).`,
    `Left in Calltouch, named as tests: ${report.leftInCalltouch.join(", ")}. Calltouch's ` +
      "documented methods cannot delete a deal: remove them in Calltouch's deals journal if you like.",
    "",
  );
  return lines.join("\n");
}

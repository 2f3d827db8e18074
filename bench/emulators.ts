/**
 * The Google and Calltouch emulators as separate processes (their standalone entries), so the
 * benchmark's own process runs nothing but the sync and its CPU time is the sync's. Talks to them
 * through their admin APIs under `/_emulator/`.
 */
import type { CellValue } from "../src/deal.ts";
import { emulatorSettings } from "../test/support/settings.ts";

const ROOT = new URL("../", import.meta.url);
/** How long an emulator may take to print its URL. */
const START_TIMEOUT_MS = 30_000;

/** A running emulator process. */
export interface EmulatorProcess {
  url: string;
  /** Stops the process (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Google request counters as the emulator keeps them (see `GoogleCounters`). */
export interface GoogleCounts {
  token: number;
  metadata: number;
  valuesRead: number;
  valuesWrite: number;
  batchUpdate: number;
}

/**
 * Starts `deno run -A <entry> <args>` and waits for its `<MARKER> <url>` line on stdout.
 * The child's stderr goes to ours; its further stdout is drained and dropped.
 */
async function spawn(entry: string, args: string[], marker: string): Promise<EmulatorProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", entry, ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${entry} did not print ${marker} in time`)),
      START_TIMEOUT_MS,
    );
  });
  try {
    const url = await Promise.race([
      (async () => {
        for (;;) {
          const { value, done } = await lines.read();
          if (done) throw new Error(`${entry} exited before printing ${marker}`);
          buffered += value;
          const match = new RegExp(`^${marker} (\\S+)$`, "m").exec(buffered);
          if (match) return match[1];
        }
      })(),
      timeout,
    ]);
    // Keep reading so the child never blocks on a full pipe.
    (async () => {
      while (!(await lines.read()).done) { /* drop */ }
    })().catch(() => {});
    return {
      url,
      async stop() {
        try {
          child.kill("SIGTERM");
        } catch {
          // already gone
        }
        await child.status;
      },
    };
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function admin<T = unknown>(url: string, method: "GET" | "POST", body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The Google emulator process, trusting the service account whose public key is given. */
export class GoogleEmulatorProcess {
  private constructor(private readonly process: EmulatorProcess) {}

  /** Starts `test/emulators/google_main.ts --public-key-file <tmp> --client-email <email>`. */
  static async start(account: { clientEmail: string; publicKeyPem: string }) {
    const keyFile = await Deno.makeTempFile({ prefix: "cts-bench-key-", suffix: ".pem" });
    await Deno.writeTextFile(keyFile, account.publicKeyPem);
    try {
      const process = await spawn(
        "test/emulators/google_main.ts",
        ["--public-key-file", keyFile, "--client-email", account.clientEmail],
        "GOOGLE_EMULATOR",
      );
      return new GoogleEmulatorProcess(process);
    } finally {
      await Deno.remove(keyFile).catch(() => {});
    }
  }

  /** An emulator another process started (for the capped-heap child). */
  static attach(url: string): GoogleEmulatorProcess {
    return new GoogleEmulatorProcess({ url, stop: () => Promise.resolve() });
  }

  get url(): string {
    return this.process.url;
  }

  /** Creates a spreadsheet with one tab holding `values`, shared with `email`. */
  async createSpreadsheet(options: {
    spreadsheetId: string;
    tab: string;
    values: CellValue[][];
    sharedWith: string;
  }): Promise<void> {
    await admin(`${this.url}/_emulator/spreadsheets`, "POST", {
      spreadsheetId: options.spreadsheetId,
      title: "Клиника — сделки (benchmark)",
      timeZone: "Europe/Moscow",
      sheets: [{ title: options.tab, values: options.values }],
      sharedWith: [options.sharedWith],
    });
  }

  /** Deletes a spreadsheet (frees the emulator's memory between sizes). */
  async deleteSpreadsheet(spreadsheetId: string): Promise<void> {
    await fetch(`${this.url}/_emulator/spreadsheets/${encodeURIComponent(spreadsheetId)}`, {
      method: "DELETE",
    }).then((r) => r.body?.cancel());
  }

  /** Writes cells as a person would (`RAW`), through the admin API (not counted). */
  async setValues(spreadsheetId: string, range: string, values: CellValue[][]): Promise<void> {
    await admin(
      `${this.url}/_emulator/spreadsheets/${encodeURIComponent(spreadsheetId)}/values`,
      "POST",
      { range, values, valueInputOption: "RAW" },
    );
  }

  /** Reads cells (`UNFORMATTED_VALUE`) through the admin API (not counted). */
  async values(spreadsheetId: string, range: string): Promise<CellValue[][]> {
    const query = new URLSearchParams({ range });
    const body = await admin<{ values: CellValue[][] }>(
      `${this.url}/_emulator/spreadsheets/${encodeURIComponent(spreadsheetId)}/values?${query}`,
      "GET",
    );
    return body.values;
  }

  async counters(): Promise<GoogleCounts> {
    return await admin<GoogleCounts>(`${this.url}/_emulator/counters`, "GET");
  }

  async resetCounters(): Promise<void> {
    await admin(`${this.url}/_emulator/reset-counters`, "POST");
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

/** The Calltouch emulator process. */
export class CalltouchEmulatorProcess {
  private constructor(
    private readonly process: EmulatorProcess,
    readonly siteId: string,
    readonly token: string,
  ) {}

  /**
   * Starts `test/emulators/calltouch_main.ts` with the given credentials; `extra` adds its other
   * flags (`--rate-limit`, `--no-bodies`, `--time-scale S --time-origin MS`).
   */
  static async start(siteId: string, token: string, extra: string[] = []) {
    const process = await spawn(
      "test/emulators/calltouch_main.ts",
      ["--site-id", siteId, "--token", token, ...extra],
      "CALLTOUCH_EMULATOR",
    );
    return new CalltouchEmulatorProcess(process, siteId, token);
  }

  /** An emulator another process started (for the capped-heap child). */
  static attach(url: string, siteId: string, token: string): CalltouchEmulatorProcess {
    return new CalltouchEmulatorProcess({ url, stop: () => Promise.resolve() }, siteId, token);
  }

  get url(): string {
    return this.process.url;
  }

  /** Requests received so far (admin requests excluded). */
  async requestCount(): Promise<number> {
    const state = await admin<{ requests: number }>(`${this.url}/_emulator/state`, "GET");
    return state.requests;
  }

  /** Every request received so far: its path, status and arrival (the emulator's clock). */
  async requests(): Promise<{ path: string; status: number; time: number }[]> {
    return await admin(`${this.url}/_emulator/requests`, "GET");
  }

  /** Requests beyond 5 in some sliding second, so far. */
  async violations(): Promise<number> {
    return (await admin<{ count: number }>(`${this.url}/_emulator/violations`, "GET")).count;
  }

  /** Forgets deals and requests; turns the 429 rate limit off (the bench does not pace). */
  async reset(): Promise<void> {
    await admin(`${this.url}/_emulator/reset`, "POST");
    await admin(`${this.url}/_emulator/switches`, "POST", { rateLimit: false });
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}

/** The time budget of every run: the largest the settings allow, so every run can finish. */
export const BENCH_TIME_BUDGET_SECONDS = 840;
/** Tab of the generated deals. */
export const TAB = "Сделки";

/**
 * The settings that wire a sync in the bench process to the emulator processes: the spreadsheet
 * (its tab "Сделки"), the credentials and the API URLs, the largest time budget (840 s), and
 * `extra`.
 */
export function benchSettings(
  spreadsheetId: string,
  wiring: {
    google: GoogleEmulatorProcess;
    calltouch: CalltouchEmulatorProcess;
    account: { json: string };
  },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...emulatorSettings({ spreadsheetId, ...wiring }),
    SHEET_NAME: TAB,
    SYNC_TIME_BUDGET_SECONDS: String(BENCH_TIME_BUDGET_SECONDS),
    ...extra,
  };
}

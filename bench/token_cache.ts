/**
 * What keeping the Google access token out of KV's plain view costs a run (issue 22 part 5),
 * measured through the real `ServiceAccountTokenProvider`: a run gets its token
 *
 * - from KV, encrypted (AES-GCM under a key HKDF-derived from the private key): the chosen way.
 *   The first run of an isolate derives the key (once), every run decrypts;
 * - with no KV copy at all (memory only: what every run of a fresh provider would do, and a
 *   Worker builds one per run): a token exchange — the assertion signed (RS256), one more
 *   subrequest, and its wall time, which here is a round trip to the Google emulator in another
 *   process on 127.0.0.1 (Google's own answers take ~100–300 ms more; not measurable offline).
 *
 * CPU is this process's (user + system), wall is `performance.now()`; medians of
 * {@linkcode TOKEN_ROUNDS}. Standalone: `deno run -A bench/token_cache.ts`; see
 * docs/performance.md ("The Google token in KV").
 */
import process from "node:process";
import { ServiceAccountTokenProvider } from "../src/google/auth.ts";
import { parseServiceAccount } from "../src/google/service_account.ts";
import { MemoryStore } from "../src/store/memory.ts";
import { testServiceAccount } from "../test/support/service_account.ts";
import { GoogleEmulatorProcess } from "./emulators.ts";

/** Measured rounds of each way (the median is reported). */
export const TOKEN_ROUNDS = 30;

/** One way's cost per run. */
export interface TokenCost {
  way: string;
  cpuMs: number;
  wallMs: number;
  /** Requests to the token endpoint per run. */
  exchanges: number;
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function measure(
  way: string,
  make: () => ServiceAccountTokenProvider,
  rounds = TOKEN_ROUNDS,
): Promise<TokenCost> {
  const cpu: number[] = [];
  const wall: number[] = [];
  let exchanges = 0;
  for (let i = 0; i < rounds; i++) {
    const provider = make(); // a run's own provider, as `connect()` makes one per run
    const c = cpuNow();
    const w = performance.now();
    await provider.token();
    cpu.push(cpuNow() - c);
    wall.push(performance.now() - w);
    exchanges += provider.exchanges;
  }
  return { way, cpuMs: median(cpu), wallMs: median(wall), exchanges: exchanges / rounds };
}

/** Measures both ways against a Google emulator in its own process. */
export async function benchTokenCache(): Promise<TokenCost[]> {
  const account = await testServiceAccount();
  const google = await GoogleEmulatorProcess.start(account);
  try {
    const parsed = parseServiceAccount(account.json);
    if (typeof parsed === "string") throw new Error(parsed);
    const tokenUrl = `${google.url}/token`;
    const provider = (store?: MemoryStore) =>
      new ServiceAccountTokenProvider({ serviceAccount: parsed, tokenUrl, store });
    const store = new MemoryStore();
    await provider(store).token(); // the encrypted copy, the signing key imported
    // The first decryption of an isolate also derives the token key (HKDF): measured once.
    const firstRead = await measure(
      "KV, encrypted: first run of an isolate (+HKDF)",
      () => provider(store),
      1,
    );
    return [
      firstRead,
      await measure("KV, encrypted: every other run (bulk read + AES-GCM)", () => provider(store)),
      await measure("memory only: token exchange every run (RS256 + request)", () => provider()),
    ];
  } finally {
    await google.stop();
  }
}

/** The table, for people. */
export function renderTokenCache(costs: TokenCost[]): string {
  return [
    `The Google token of a run (median of ${TOKEN_ROUNDS}; the first-run row: one run):`,
    "",
    "| how a run gets its token | CPU ms | wall ms | token requests |",
    "| --- | ---: | ---: | ---: |",
    ...costs.map((c) =>
      `| ${c.way} | ${c.cpuMs.toFixed(2)} | ${c.wallMs.toFixed(2)} | ${c.exchanges} |`
    ),
  ].join("\n");
}

if (import.meta.main) {
  const costs = await benchTokenCache();
  console.log(renderTokenCache(costs));
  console.log(`BENCH_TOKEN ${JSON.stringify(costs)}`);
}

/**
 * Test fixture of the Google side: the emulator, a shared spreadsheet, a token provider and a
 * Sheets client wired to each other with one `ManualClock`. Dispose it with `await using`.
 */
import assert from "node:assert/strict";
import { parseServiceAccount, type ServiceAccount } from "../../src/google/service_account.ts";
import {
  ServiceAccountTokenProvider,
  type ServiceAccountTokenProviderOptions,
} from "../../src/google/auth.ts";
import { SheetsClient, type SheetsClientOptions } from "../../src/google/sheets.ts";
import { UpstreamError } from "../../src/util/errors.ts";
import { ManualClock } from "../support/clock.ts";
import {
  type GoogleEmulator,
  type GoogleEmulatorOptions,
  type SpreadsheetInit,
  startGoogleEmulator,
} from "../emulators/google.ts";
import { testServiceAccount } from "../support/service_account.ts";

/** 28 Nov 2026, 12:00 UTC: the fixture clock's start. */
export const START = Date.UTC(2026, 10, 28, 12);

/** The test service account, parsed as the Worker parses it. */
export async function serviceAccount(): Promise<ServiceAccount> {
  const parsed = parseServiceAccount((await testServiceAccount()).json);
  if (typeof parsed === "string") throw new Error(parsed);
  return parsed;
}

/** Options of {@linkcode googleFixture}; every part can be overridden. */
export interface GoogleFixtureOptions {
  emulator?: GoogleEmulatorOptions;
  /** Default: one tab "Сделки" shared with the test account. */
  spreadsheet?: SpreadsheetInit;
  auth?: Partial<ServiceAccountTokenProviderOptions>;
  client?: Partial<SheetsClientOptions>;
}

/** What {@linkcode googleFixture} returns. */
export interface GoogleFixture extends AsyncDisposable {
  google: GoogleEmulator;
  clock: ManualClock;
  account: ServiceAccount;
  spreadsheetId: string;
  auth: ServiceAccountTokenProvider;
  sheets: SheetsClient;
}

/**
 * Starts the emulator with one spreadsheet shared with the test account, and builds a token
 * provider and a Sheets client for it. Retries use no jitter, so request counts are exact.
 *
 * @example
 * await using f = await googleFixture({ spreadsheet: { sheets: [{ title: "Deals" }] } });
 */
export async function googleFixture(options: GoogleFixtureOptions = {}): Promise<GoogleFixture> {
  const clock = new ManualClock(START);
  const account = await serviceAccount();
  const google = await startGoogleEmulator({ clock, ...options.emulator });
  const spreadsheetId = google.createSpreadsheet({
    sheets: [{ title: "Сделки" }],
    sharedWith: [account.clientEmail],
    ...options.spreadsheet,
  });
  const auth = new ServiceAccountTokenProvider({
    serviceAccount: account,
    tokenUrl: google.tokenUrl,
    clock,
    ...options.auth,
  });
  const sheets = new SheetsClient({
    baseUrl: google.url,
    spreadsheetId,
    auth,
    serviceAccountEmail: account.clientEmail,
    clock,
    retry: { random: () => 0 },
    ...options.client,
  });
  return {
    google,
    clock,
    account,
    spreadsheetId,
    auth,
    sheets,
    [Symbol.asyncDispose]: () => google.close(),
  };
}

/** The UpstreamError `promise` rejects with (fails the test when it resolves). */
export async function refusal(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  assert.fail("expected an UpstreamError");
}

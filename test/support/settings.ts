/** The settings that wire the sync to the emulators, as the Worker or the CLI reads them. */
import type { CalltouchEmulator } from "../emulators/calltouch.ts";
import type { GoogleEmulator } from "../emulators/google.ts";
import type { TestServiceAccount } from "./service_account.ts";

/** Spreadsheet, credentials and API URLs pointing at the emulators on 127.0.0.1. */
export function emulatorSettings(wiring: {
  spreadsheetId: string;
  /** The Google emulator (in this process, or the bench's in its own). */
  google: Pick<GoogleEmulator, "url">;
  calltouch: Pick<CalltouchEmulator, "siteId" | "token" | "url">;
  account: Pick<TestServiceAccount, "json">;
}): Record<string, string> {
  const { google, calltouch } = wiring;
  return {
    SPREADSHEET_ID: wiring.spreadsheetId,
    CALLTOUCH_SITE_ID: calltouch.siteId,
    CALLTOUCH_TOKEN: calltouch.token,
    GOOGLE_SERVICE_ACCOUNT: wiring.account.json,
    GOOGLE_SHEETS_API_URL: google.url,
    GOOGLE_TOKEN_URL: `${google.url}/token`,
    CALLTOUCH_API_URL: calltouch.url,
    // The emulator counts no quota unless a test asks it to (which then sets its own figure):
    // the Worker's read gate must not hold back tests that run a sync many times a minute.
    GOOGLE_READS_PER_MINUTE: "100000",
  };
}

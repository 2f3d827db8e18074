/** Calltouch-side test helpers: the payload settings of the seed, and a client of an emulator. */
import { CalltouchClient, type CalltouchClientOptions } from "../../src/calltouch/client.ts";
import type { PayloadSettings } from "../../src/columns/payload.ts";
import type { CalltouchEmulator } from "../emulators/calltouch.ts";
import { TEST_KEY } from "./keys.ts";

/** The settings of the client's integration document (the defaults of the settings). */
export const SEED_SETTINGS: PayloadSettings = {
  crm: "Google Sheets",
  customSource: { source: "офлайн-визит", medium: "офлайн-визит", campaign: "офлайн-визит" },
  searchDepthMinutes: 259200,
  matchMode: "nearest",
  hashKey: TEST_KEY,
};

/** A client of `emulator` (its URL, site id and token); `overrides` replace options. */
export function emulatorClient(
  emulator: CalltouchEmulator,
  overrides: Partial<CalltouchClientOptions> = {},
): CalltouchClient {
  return new CalltouchClient({
    baseUrl: emulator.url,
    siteId: emulator.siteId,
    token: emulator.token,
    crm: SEED_SETTINGS.crm,
    ...overrides,
  });
}

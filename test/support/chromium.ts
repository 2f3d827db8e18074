/**
 * Chromium for the browser tests and `deno task screenshots`: Debian's `chromium` package (CI
 * installs it with apt-get), driven by `puppeteer-core` (no browser download at run time).
 */
import puppeteer, { type Browser } from "puppeteer-core";

const CANDIDATES = [
  Deno.env.get("CHROMIUM_PATH"),
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** The Chromium executable, or undefined when none is installed. */
export function findChromium(): string | undefined {
  for (const path of CANDIDATES) {
    if (!path) continue;
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** Starts headless Chromium, offline: every request off 127.0.0.1 is for the test to answer. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"],
  });
}

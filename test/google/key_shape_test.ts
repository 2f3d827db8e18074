/** The shapes a service-account key takes on its way to a secret, and what each message says. */
import assert from "node:assert/strict";
import { parseServiceAccount } from "../../src/google/service_account.ts";
import { loadConfig } from "../../src/settings/config.ts";
import { KEY_FIX } from "../../src/google/key_shape.ts";
import { testServiceAccount } from "../support/service_account.ts";

/** A key file as Google writes it: pretty-printed, the PEM's line breaks as `\n` escapes. */
async function keyFile(): Promise<string> {
  return JSON.stringify(JSON.parse((await testServiceAccount()).json), null, 2) + "\n";
}

/** A piece of the private key: no message may contain it. */
async function secretPiece(): Promise<string> {
  return (await testServiceAccount()).privateKeyPem.split("\n")[5];
}

Deno.test("parseServiceAccount() reads the key file as Google writes it", async () => {
  const parsed = parseServiceAccount(await keyFile());
  assert.equal(typeof parsed, "object");
  assert.equal(
    (parsed as { clientEmail: string }).clientEmail,
    (await testServiceAccount()).clientEmail,
  );
});

Deno.test("parseServiceAccount() reads a key whose \\n became line breaks (a .env's double quotes)", async () => {
  const { privateKeyPem } = await testServiceAccount();
  // What parseDotenv makes of GOOGLE_SERVICE_ACCOUNT="{…\n…}": real line breaks in the string.
  const broken = (await keyFile()).replaceAll("\\n", "\n");
  assert.throws(() => JSON.parse(broken));
  const parsed = parseServiceAccount(broken);
  assert.equal(typeof parsed, "object", String(parsed));
  assert.equal((parsed as { privateKey: string }).privateKey, privateKeyPem);
});

Deno.test("parseServiceAccount() still reads a private_key escaped once more (\\\\n)", async () => {
  const key = JSON.parse(await keyFile());
  const escapedOnce = JSON.stringify({
    ...key,
    private_key: key.private_key.replaceAll("\n", "\\n"),
  });
  const parsed = parseServiceAccount(escapedOnce);
  assert.equal((parsed as { privateKey: string }).privateKey, key.private_key);
});

Deno.test("parseServiceAccount() says what shape a broken key has and what to do", async () => {
  const file = await keyFile();
  const key = JSON.parse(file);
  const oneLine = JSON.stringify(key);
  const cases: [name: string, value: string, expected: RegExp][] = [
    [
      "only the first line (wrangler's prompt)",
      "{",
      /only the first line of the key file \("\{"\): wrangler's prompt reads one line/,
    ],
    ["cut in the middle", file.slice(0, 700), /cut short \(\d+ characters, no closing "\}"\)/],
    ["wrapped in single quotes", `'${oneLine}'`, /wrapped in quotes \('\{…\}'\)/],
    ["wrapped in double quotes", `"${oneLine}"`, /wrapped in quotes \("\{…\}"\)/],
    ["quotes escaped", oneLine.replaceAll('"', '\\"'), /quotes are escaped \(\\" instead of "\)/],
    ["a JSON string holding the key", JSON.stringify(oneLine), /is a JSON string .* quoted twice/],
    [
      "\\n escaped twice",
      JSON.stringify({ ...key, private_key: key.private_key.replaceAll("\n", "\\\\n") }),
      /line breaks escaped twice/,
    ],
    [
      "a file name",
      "/home/me/Downloads/clinic-sync-1a2b3c.json",
      /holds a file name \("\/home\/me\/Downloads\/clinic-sync-1a2b3c\.json"\), not the key's content/,
    ],
    ["a relative file name", "key.json", /holds a file name \("key\.json"\)/],
    ["a path without .json", "./secrets/google-key", /holds a file name, not the key's content/],
    ["only the private key", key.private_key, /holds only the private key/],
    ["base64", btoa(oneLine), /base64-encoded/],
    ["something else", "hello there", /is not valid JSON: it must be the whole content/],
    [
      "an OAuth client file",
      JSON.stringify({ installed: { client_id: "x", client_secret: "y" } }),
      /OAuth client file .* Keys → Add key/,
    ],
    [
      "the PEM cut",
      JSON.stringify({ ...key, private_key: key.private_key.slice(0, 300) }),
      /private_key that is cut short/,
    ],
  ];
  const piece = await secretPiece();
  for (const [name, value, expected] of cases) {
    const problem = parseServiceAccount(value);
    assert.equal(typeof problem, "string", name);
    assert.match(problem as string, expected, name);
    assert.ok(!(problem as string).includes(piece), `${name}: the message quotes the key`);
    if (name !== "an OAuth client file") {
      assert.ok((problem as string).endsWith(KEY_FIX), `${name}: says what to do`);
    }
  }
  assert.match(KEY_FIX, /wrangler secret put GOOGLE_SERVICE_ACCOUNT < key\.json/);
  assert.match(KEY_FIX, /GOOGLE_SERVICE_ACCOUNT_FILE=key\.json/);
});

Deno.test("loadConfig() names GOOGLE_SERVICE_ACCOUNT in front of the shape", () => {
  try {
    loadConfig({
      SPREADSHEET_ID: "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc",
      CALLTOUCH_SITE_ID: "1",
      CALLTOUCH_TOKEN: "t",
      GOOGLE_SERVICE_ACCOUNT: "{",
    });
    assert.fail("expected a ConfigError");
  } catch (error) {
    assert.match(
      (error as Error).message,
      /- GOOGLE_SERVICE_ACCOUNT is not valid JSON: it holds only the first line/,
    );
  }
});

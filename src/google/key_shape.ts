/**
 * What went wrong when `GOOGLE_SERVICE_ACCOUNT` is not the key file's JSON: the shapes a key takes
 * on its way from the downloaded file to a secret or a `.env` (only its first line arrived,
 * wrapped in quotes, escaped twice, a file name instead of the content…), each with what to do.
 * Pure; no message ever quotes the key (a file name is quoted: it is not a secret).
 */

/** How to put a key so that it arrives whole, for the Worker and for the command-line tool. */
export const KEY_FIX =
  "Put it from the file: `deno task wrangler secret put GOOGLE_SERVICE_ACCOUNT " +
  "< key.json` (the Worker), or GOOGLE_SERVICE_ACCOUNT_FILE=key.json in .env (the command-line " +
  "tool)";

/** Longest value taken for a file name (a key file's content is ~2,300 characters). */
const MAX_PATH = 200;
/** A base64-encoded key is longer than this. */
const MIN_BASE64 = 100;
const PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
const PEM_END = "-----END PRIVATE KEY-----";

/**
 * Reads the setting's JSON, or says (without quoting it) what shape it has instead and what to
 * do. Line breaks inside the JSON's strings (what a `.env`'s double quotes make of the key's
 * `\n`) are read as the `\n` they stood for: nothing else is repaired.
 *
 * @example
 * readKeyJson("{"); // { problem: "is not valid JSON: it holds only the first line of …" }
 */
export function readKeyJson(raw: string): { json: unknown } | { problem: string } {
  const value = raw.trim();
  const parsed = tryJson(value) ?? tryJson(escapeBreaksInStrings(value));
  if (parsed !== undefined) {
    const inner = typeof parsed.json === "string" ? parsed.json.trim() : "";
    if (inner.startsWith("{")) {
      return {
        problem:
          'is a JSON string ("{\\"type\\": …}"), not the key\'s JSON object: it was quoted ' +
          `twice. ${KEY_FIX}`,
      };
    }
    return parsed;
  }
  return { problem: shapeProblem(value) };
}

/**
 * What is wrong with a parsed key that is not a service-account key at all (an OAuth client
 * file), or undefined.
 */
export function keyObjectProblem(json: unknown): string | undefined {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return undefined;
  if ("installed" in json || "web" in json) {
    return "is an OAuth client file (client_secret_….json), not a service-account key: in Google " +
      "Cloud open IAM & Admin → Service accounts → the account → Keys → Add key → Create new " +
      "key → JSON, and use that file";
  }
  return undefined;
}

/**
 * What is wrong with a `private_key` whose `\n` escapes have been undone once, or undefined: a
 * PEM key holds no backslash and ends with its END line.
 */
export function privateKeyProblem(pem: string): string | undefined {
  if (pem.includes("\\")) {
    return "has its private_key's line breaks escaped twice (\\\\n instead of \\n): the key was " +
      `escaped once too often on its way. ${KEY_FIX}`;
  }
  if (!pem.includes(PEM_END)) {
    return `has a private_key that is cut short (no ${PEM_END} line). ${KEY_FIX}`;
  }
  return undefined;
}

function tryJson(text: string): { json: unknown } | undefined {
  try {
    return { json: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** Escapes raw line breaks that sit inside JSON string literals (and only there). */
function escapeBreaksInStrings(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString && char === "\\") {
      out += char + (text[i + 1] ?? "");
      i++;
      continue;
    }
    if (char === '"') inString = !inString;
    if (inString && char === "\r") continue;
    out += inString && char === "\n" ? "\\n" : char;
  }
  return out;
}

function shapeProblem(value: string): string {
  const first = value[0];
  const last = value[value.length - 1];
  if (value === "{") {
    return `is not valid JSON: it holds only the first line of the key file ("{"): wrangler's ` +
      `prompt reads one line, so a key pasted there arrives cut. ${KEY_FIX}`;
  }
  if (first !== undefined && `'"\``.includes(first) && last === first && value.length > 1) {
    if (value.slice(1, -1).trim().startsWith("{")) {
      return `is not valid JSON: it is wrapped in quotes (${first}{…}${last}), and must start ` +
        `with "{" and end with "}". Remove the quotes, or: ${KEY_FIX}`;
    }
  }
  if (/^\{\s*\\"/.test(value)) {
    return 'is not valid JSON: its quotes are escaped (\\" instead of "), the key was escaped ' +
      `once too often (copied from code or from a JSON string). ${KEY_FIX}`;
  }
  if (first === "{" && last !== "}") {
    return `is not valid JSON: it is cut short (${value.length} characters, no closing "}"), ` +
      `the key file's content did not arrive whole. ${KEY_FIX}`;
  }
  if (value.includes(PEM_BEGIN) && first !== "{") {
    return "is not valid JSON: it holds only the private key, and must be the whole JSON key " +
      `file, which also names the service account (client_email). ${KEY_FIX}`;
  }
  const path = pathShape(value);
  if (path !== undefined) {
    return `is not valid JSON: it holds a file name${path}, not the key's content. ${KEY_FIX}`;
  }
  if (isBase64Json(value)) {
    return `is not valid JSON: it is base64-encoded, and must be the JSON itself. ${KEY_FIX}`;
  }
  return `is not valid JSON: it must be the whole content of the service account's .json key ` +
    `file, starting with "{" and ending with "}". ${KEY_FIX}`;
}

/** ` ("key.json")` for a value that is a file name (quoted when it ends in .json), else undefined. */
function pathShape(value: string): string | undefined {
  if (value.length > MAX_PATH || /[{}\n]/.test(value)) return undefined;
  if (/^[^"'<>|*?]+\.json$/i.test(value)) return ` ("${value}")`;
  return /^(?:~|\.{1,2})?[\\/]|^[A-Za-z]:\\/.test(value) ? "" : undefined;
}

function isBase64Json(value: string): boolean {
  const compact = value.replace(/\s+/g, "");
  if (compact.length < MIN_BASE64 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return false;
  try {
    return atob(compact.replace(/-/g, "+").replace(/_/g, "/")).trimStart().startsWith("{");
  } catch {
    return false;
  }
}

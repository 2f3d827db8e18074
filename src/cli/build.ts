/**
 * The command-line tool's build id: a digest of the sync's own source files, so a quiet record
 * or a remembered raw row of another version of the code never holds (the Worker uses its
 * deployed version id instead).
 */
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";

/** The `src/` folder this module belongs to. */
const SOURCE_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * SHA-1 of every `.ts`/`.tsx` file under `src/` (path and text), in path order; "" when the
 * sources cannot be read (a bundled copy of the tool), which makes quiet records short-lived.
 */
export async function sourceDigest(root = SOURCE_ROOT): Promise<string> {
  try {
    const files = (await readdir(root, { recursive: true }))
      .filter((name) => /\.tsx?$/.test(name))
      .sort();
    const parts: string[] = [];
    for (const name of files) {
      parts.push(relative(root, join(root, name)), await readFile(join(root, name), "utf8"));
    }
    const bytes = new TextEncoder().encode(parts.join("\u0000"));
    const sha = new Uint8Array(await crypto.subtle.digest("SHA-1", bytes));
    return Array.from(sha.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
  } catch {
    return "";
  }
}

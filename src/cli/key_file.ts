/**
 * `GOOGLE_SERVICE_ACCOUNT_FILE`: the command-line tools read the Google service-account key
 * from its file (the JSON Google downloads), so nobody pastes a multi-line key into a `.env`.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

/** The setting naming the key file (a path, relative to the working directory). */
export const KEY_FILE_SETTING = "GOOGLE_SERVICE_ACCOUNT_FILE";

/** A key file that is named but cannot be read, or named next to the key itself. */
export class KeyFileError extends Error {
  override readonly name = "KeyFileError";
}

/**
 * Returns `settings` with `GOOGLE_SERVICE_ACCOUNT` read from the file that
 * `GOOGLE_SERVICE_ACCOUNT_FILE` names (resolved against `cwd`), and without the latter; the
 * settings as they are when it is not set. The content is checked later, with every other
 * setting, by `loadConfig`.
 *
 * @throws {KeyFileError} when the file cannot be read, or when both settings are set.
 *
 * @example
 * await withKeyFile({ GOOGLE_SERVICE_ACCOUNT_FILE: "key.json" }, "/opt/clinic-sync");
 * // { GOOGLE_SERVICE_ACCOUNT: "{\n  \"type\": \"service_account\", …" }
 */
export async function withKeyFile(
  settings: Record<string, string>,
  cwd: string,
): Promise<Record<string, string>> {
  const path = settings[KEY_FILE_SETTING]?.trim();
  if (!path) return settings;
  if (settings.GOOGLE_SERVICE_ACCOUNT?.trim()) {
    throw new KeyFileError(
      `GOOGLE_SERVICE_ACCOUNT and ${KEY_FILE_SETTING} are both set: keep one ` +
        `(${KEY_FILE_SETTING}=key.json is the simpler)`,
    );
  }
  let content: string;
  try {
    content = await readFile(resolve(cwd, path), "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why = code === "ENOENT"
      ? `no such file in ${cwd}`
      : code === "EISDIR"
      ? "it is a directory: name the .json key file"
      : code ?? String(error);
    throw new KeyFileError(`Cannot read ${KEY_FILE_SETTING} ${path}: ${why}`);
  }
  const { [KEY_FILE_SETTING]: _named, ...rest } = settings;
  return { ...rest, GOOGLE_SERVICE_ACCOUNT: content };
}

/**
 * The Google service account's key (`GOOGLE_SERVICE_ACCOUNT`: the JSON key file's content): the
 * parts the sync uses, read and explained without echoing any of it.
 */
import * as z from "zod/mini";
import { keyObjectProblem, privateKeyProblem, readKeyJson } from "./key_shape.ts";

/** The parts of a Google service-account key file the sync uses. */
export interface ServiceAccount {
  clientEmail: string;
  /** PEM, PKCS#8 (`-----BEGIN PRIVATE KEY-----`). */
  privateKey: string;
  privateKeyId?: string;
}

const serviceAccountSchema = z.object({
  type: z.optional(z.string()),
  client_email: z.string().check(z.regex(/^[^@\s]+@[^@\s]+$/)),
  private_key: z.string().check(z.includes("-----BEGIN PRIVATE KEY-----")),
  private_key_id: z.optional(z.string()),
});

/** Explains what is wrong with a service-account key without echoing any of it. */
export function parseServiceAccount(raw: string): ServiceAccount | string {
  const read = readKeyJson(raw);
  if ("problem" in read) return read.problem;
  const notAKey = keyObjectProblem(read.json);
  if (notAKey !== undefined) return notAKey;
  const parsed = z.safeParse(serviceAccountSchema, read.json);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "")))];
    const what = fields.map((f) =>
      f === "private_key"
        ? "private_key is missing or not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)"
        : f === "client_email"
        ? "client_email is missing or not an e-mail address"
        : f
        ? `${f} is invalid`
        : "it is not a JSON object"
    );
    return `is not a service-account key: ${what.join("; ")}`;
  }
  if (parsed.data.type !== undefined && parsed.data.type !== "service_account") {
    return `is a key of type "${parsed.data.type}", not "service_account"`;
  }
  // Keys pasted through some shells keep "\n" as two characters; PEM needs real newlines.
  const privateKey = parsed.data.private_key.replace(/\\n/g, "\n");
  const badKey = privateKeyProblem(privateKey);
  if (badKey !== undefined) return badKey;
  return {
    clientEmail: parsed.data.client_email,
    privateKey,
    privateKeyId: parsed.data.private_key_id,
  };
}

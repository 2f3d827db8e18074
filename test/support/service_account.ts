/**
 * A throw-away RSA key pair and service-account key file for tests and the demo. It is
 * generated per process, so no private key is committed.
 */
import { exportPKCS8, exportSPKI, generateKeyPair } from "jose";

/** The key file JSON (as Google issues it) plus the public key that verifies its signatures. */
export interface TestServiceAccount {
  clientEmail: string;
  /** The whole key file, as the GOOGLE_SERVICE_ACCOUNT setting holds it. */
  json: string;
  /** SPKI PEM of the public key, for the Google emulator's token endpoint. */
  publicKeyPem: string;
  privateKeyPem: string;
}

let cached: Promise<TestServiceAccount> | undefined;

/**
 * Another service account with a key pair of its own, e.g. `sync-2@bench-1.iam.gserviceaccount.com`
 * (a second user of Google's quota); not cached.
 */
export async function newServiceAccount(clientEmail: string): Promise<TestServiceAccount> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const privateKeyPem = await exportPKCS8(privateKey);
  const publicKeyPem = await exportSPKI(publicKey);
  const json = JSON.stringify({
    type: "service_account",
    private_key: privateKeyPem,
    client_email: clientEmail,
    token_uri: "https://oauth2.googleapis.com/token",
  });
  return { clientEmail, json, publicKeyPem, privateKeyPem };
}

/** Creates (once per process) a service account `sync-bot@clinic-demo.iam.gserviceaccount.com`. */
export function testServiceAccount(): Promise<TestServiceAccount> {
  cached ??= (async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
    const privateKeyPem = await exportPKCS8(privateKey);
    const publicKeyPem = await exportSPKI(publicKey);
    const clientEmail = "sync-bot@clinic-demo.iam.gserviceaccount.com";
    const json = JSON.stringify({
      type: "service_account",
      project_id: "clinic-demo",
      private_key_id: "0123456789abcdef0123456789abcdef01234567",
      private_key: privateKeyPem,
      client_email: clientEmail,
      client_id: "100000000000000000001",
      token_uri: "https://oauth2.googleapis.com/token",
    });
    return { clientEmail, json, publicKeyPem, privateKeyPem };
  })();
  return cached;
}

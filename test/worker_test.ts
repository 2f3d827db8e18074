import assert from "node:assert/strict";
import { startWorker } from "./support/worker.ts";

Deno.test("worker: GET /healthz answers ok without settings or I/O", async () => {
  const worker = await startWorker();
  try {
    const res = await worker.fetch("/healthz");
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { ok: true });
  } finally {
    await worker.dispose();
  }
});

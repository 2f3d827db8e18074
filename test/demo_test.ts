import assert from "node:assert/strict";

Deno.test("deno task demo exits 0 and shows the four runs", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["task", "demo"],
    cwd: new URL("../", import.meta.url),
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.match(out, /Sync 1 — the first run/);
  assert.match(out, /orders sent to Calltouch: 11 \(1001, 1002/);
  assert.match(out, /Sync 2 — after the edits[\s\S]*orders sent to Calltouch: 2 \(1002, 1015\)/);
  assert.match(
    out,
    /Sync 3 — nothing changed[\s\S]*Calltouch 0,[\s\S]*orders sent to Calltouch: none\n/,
  );
  assert.match(
    out,
    /Sync 4 — still nothing[\s\S]*Calltouch 0,[\s\S]*orders sent to Calltouch: none\n {2}quiet run:/,
  );
});

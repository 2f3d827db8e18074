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

Deno.test("demo --serve keeps the panel up for a browser until Ctrl+C", async () => {
  // The script `deno task demo` runs (Ctrl+C in a terminal signals the task and the script alike;
  // here only the script is signalled, as only it has something to close).
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "scripts/demo.ts", "--serve"],
    cwd: new URL("../", import.meta.url),
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  const deadline = Date.now() + 120_000;
  try {
    while (!/Ctrl\+C stops the demo/.test(out) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const panel = out.match(/address +(http:\/\/127\.0\.0\.1:\d+)\//)?.[1];
    const password = out.match(/password +(\S+)/)?.[1];
    const sheet = out.match(/the sheet +(http:\/\/127\.0\.0\.1:\d+\/)/)?.[1];
    assert.ok(panel && password && sheet, out);
    const auth = { authorization: `Basic ${btoa(`someone:${password}`)}` };

    const page = await fetch(`${panel}/`, { headers: auth });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Синхронизировать сейчас/);
    const pressed = await fetch(`${panel}/actions/sync`, {
      method: "POST",
      headers: { ...auth, origin: panel },
    });
    assert.equal(pressed.status, 200);
    await pressed.body?.cancel();
    const unauthorised = await fetch(`${panel}/`);
    assert.equal(unauthorised.status, 401);
    await unauthorised.body?.cancel();
    const grid = await (await fetch(sheet)).text();
    assert.match(grid, /✅/);
    assert.match(grid, /http-equiv="refresh"/);
  } finally {
    child.kill("SIGINT");
  }
  const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const { code } = await child.status;
  clearTimeout(timer);
  await reader.cancel();
  // Interrupted, as any command stopped by Ctrl+C; and workerd went with it.
  assert.equal(code, 130, await stderr);
  const panel = out.match(/address +(http:\/\/127\.0\.0\.1:\d+)\//)![1];
  await assert.rejects(fetch(`${panel}/healthz`));
});

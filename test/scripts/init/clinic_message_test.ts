/** What init tells the integrator to hand over to the clinic. */
import assert from "node:assert/strict";
import { clinicMessage, cronInWords } from "../../../scripts/init/clinic_message.ts";

Deno.test("cronInWords() says how often, in Russian, with the right plural", () => {
  const cases: [string | undefined, string][] = [
    ["*/5 * * * *", "каждые 5 минут"],
    ["*/1 * * * *", "каждую 1 минуту"],
    ["* * * * *", "каждую минуту"],
    ["*/2 * * * *", "каждые 2 минуты"],
    ["*/11 * * * *", "каждые 11 минут"],
    ["*/21 * * * *", "каждую 21 минуту"],
    ["*/15 * * * *", "каждые 15 минут"],
    ["0 * * * *", "по расписанию (0 * * * *, время UTC)"],
    [undefined, "по расписанию"],
  ];
  for (const [cron, words] of cases) assert.equal(cronInWords(cron), words, String(cron));
});

Deno.test("clinicMessage() names the panel, the marks, the buttons and the menu, not the password", () => {
  const text = clinicMessage({
    panelUrl: "https://w.clinic.workers.dev/",
    workerUrl: "https://w.clinic.workers.dev",
    cron: "*/5 * * * *",
    tab: "Сделки",
  });
  for (
    const part of [
      "Панель управления: https://w.clinic.workers.dev/",
      "пароль — <пароль панели>",
      "«Синхронизировать сейчас»",
      "«Проверить без отправки»",
      "«Повторить отклонённые»",
      "Столбец «Calltouch» на листе «Сделки»",
      "✅",
      "❌",
      "⏳",
      "Меню «Calltouch» в таблице",
      "адрес: https://w.clinic.workers.dev,",
      "каждые 5 минут",
    ]
  ) assert.ok(text.includes(part), part);
  assert.ok(text.split("\n").every((line) => [...line].length <= 100), "short lines");
});

/** Small factories for deals in tests: a valid deal, with overrides. */
import type { Deal } from "../../src/deal.ts";

/** A valid deal; `overrides` replace fields. Test phones/e-mails are fictitious. */
export function makeDeal(overrides: Partial<Deal> = {}): Deal {
  return {
    row: 2,
    orderNumber: "A-1",
    orderDate: "2026-11-20T10:30:00",
    status: "Запись",
    revenue: "3500.00",
    phones: ["79157771122"],
    emails: ["patient@example.ru"],
    tags: ["МРТ"],
    ...overrides,
  };
}

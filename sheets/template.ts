/** The deals template's header row (`sheets/deals-template.csv`), in the sheet's language. */
import { FIELDS } from "../src/fields.ts";
import { STATUS_HEADER } from "../src/sheet/columns.ts";

/** Headers of the template: every column's main header (`src/fields.ts`), the status column last. */
export const TEMPLATE_HEADERS: readonly string[] = [
  ...FIELDS.map((spec) => spec.headers[0]),
  STATUS_HEADER,
];

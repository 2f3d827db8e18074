/** What the demo clinic sheet (`sheets/demo/clinic-deals.csv`) must come out as. */

/** IDs of its valid deals, in sheet order. */
export const DEMO_VALID_IDS = [
  "1001",
  "1002",
  "1003",
  "1004",
  "1007",
  "1011",
  "1013",
  "1014",
  "1015",
  "1016",
  "1017",
];

/** 1-based sheet rows with a mistake. */
export const DEMO_INVALID_ROWS = [6, 7, 10, 11, 12, 13, 15, 16, 22];

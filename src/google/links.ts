/** Addresses of a spreadsheet, a cell and a row that open it in Google Sheets. Pure. */

/** The spreadsheet's address. */
export function spreadsheetUrl(spreadsheetId: string): string {
  return `https://docs.google.com/spreadsheets/d/${encodeURIComponent(spreadsheetId)}/edit`;
}

/**
 * A link that opens the spreadsheet at a range (`#gid=<tab>&range=E7`); without the tab's id,
 * the spreadsheet's first tab.
 *
 * @example
 * cellUrl("1AbC", 0, "E7"); // "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0&range=E7"
 */
export function cellUrl(spreadsheetId: string, tabId: number | undefined, cell: string): string {
  const gid = tabId === undefined ? "" : `gid=${tabId}&`;
  return `${spreadsheetUrl(spreadsheetId)}#${gid}range=${encodeURIComponent(cell)}`;
}

/**
 * A link that opens the spreadsheet with one whole row selected (1-based `row`).
 *
 * @example
 * rowUrl("1AbC", 0, 7); // "https://docs.google.com/spreadsheets/d/1AbC/edit#gid=0&range=7:7"
 */
export function rowUrl(spreadsheetId: string, tabId: number | undefined, row: number): string {
  return rowUrls(spreadsheetId, tabId)(row);
}

/**
 * {@linkcode rowUrl} of one tab, its common part built once: every order of a sync carries its
 * row's link.
 */
export function rowUrls(spreadsheetId: string, tabId: number | undefined): (row: number) => string {
  const gid = tabId === undefined ? "" : `gid=${tabId}&`;
  const prefix = `${spreadsheetUrl(spreadsheetId)}#${gid}range=`;
  return (row) => `${prefix}${row}:${row}`;
}

/** CSV text as the imports take it (the pilot register, exam candidates). */

/** Splits CSV text into records (RFC 4180 quoting, CRLF or LF). */
export function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text.charAt(i + 1) === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => r.some((cell) => cell.trim() !== ''));
}

/**
 * One CSV line (RFC 4180: quoted when needed, CRLF-terminated). A cell that
 * a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR) is
 * prefixed with `'`, so an exported name cannot run in the reader's sheet.
 */
export function csvLine(cells: ReadonlyArray<string | number | undefined>): string {
  return (
    cells
      .map((cell) => {
        let text = cell === undefined ? '' : String(cell);
        if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
        return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      })
      .join(',') + '\r\n'
  );
}

import ExcelJS from 'exceljs';
import type { Cell } from '../domain/reports/export-tables.ts';

/**
 * Tables as files people open in a spreadsheet program: CSV (RFC 4180,
 * CRLF, UTF-8 with a byte-order mark, without which Excel reads Chinese as
 * mojibake) and an Excel workbook (exceljs). Text that a spreadsheet would
 * take for a formula (`=`, `+`, `-`, `@`, tab, CR at the start) is prefixed
 * with an apostrophe in the CSV: institution names and reasons are typed by
 * people (CSV injection). The workbook stores every text as text.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

function csvField(value: Cell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text with a byte-order mark, a header line and CRLF line ends. */
export function csvText(headers: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  const lines = [headers, ...rows].map((row) => row.map(csvField).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`. */
export function sheetName(title: string): string {
  return title.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31).trim() || 'Sheet1';
}

/** An Excel workbook of one sheet: a bold, frozen header row, the widths given, autofilter on the header. */
export async function xlsxBuffer(title: string, headers: readonly string[], rows: ReadonlyArray<readonly Cell[]>, widths: ReadonlyArray<number | undefined> = []): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'exam-site-lifecycle';
  const sheet = workbook.addWorksheet(sheetName(title), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = headers.map((header, i) => ({ header, width: widths[i] ?? Math.max(10, header.length * 2 + 2) }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map((cell) => cell ?? ''));
  if (headers.length) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  const buffer = await workbook.xlsx.writeBuffer();
  return Buffer.from(buffer as ArrayBuffer);
}

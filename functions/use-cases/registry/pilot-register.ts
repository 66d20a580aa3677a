import { type AuditEvent, type AuditKey, type Page } from '../../adapters/stores/table.ts';
import { getPilotCollege, listPilotColleges, writePilotColleges } from '../../adapters/stores/register.ts';
import {
  IMPORT_BATCH_SIZE,
  MAX_IMPORT_ROWS,
  type ImportReport,
  type PilotCollegeBody,
} from '../../../schemas/api/registry.schema.ts';
import { type PilotCollege, pilotCollegeSchema } from '../../../schemas/pilot-college.schema.ts';
import { NotFoundError, TransientError, ValidationError } from '../../domain/errors.ts';
import { nowIso } from '../../shared/clock.ts';
import { csvRecords } from '../../shared/csv.ts';
import { parseWith } from '../../shared/validation.ts';
import { actorOf, type Caller, requireGroup } from '../../shared/identity.ts';

/**
 * The pilot-college register (试点院校名单). Art.3(2): during the pilot only
 * pilot colleges may apply, and eligibility comes only from this register,
 * which the organisation's admins keep. Every change is audited under the
 * entry (`PILOT#<creditCode>`); entries are never deleted, only marked
 * inactive, so the history stays.
 */
const ARTICLE = 'Art.3(2)';

type RegisterWrite = { entry: PilotCollege; audit: { key: AuditKey; event: Omit<AuditEvent, 'at'> } };

function activity(entry: PilotCollege | undefined): string | undefined {
  if (!entry) return undefined;
  return entry.active ? 'active' : 'inactive';
}

function registerWrite(caller: Caller, entry: PilotCollege, key: AuditKey, action: string, previous?: PilotCollege): RegisterWrite {
  return {
    entry,
    audit: {
      key,
      event: {
        actor: actorOf(caller, 'admin'),
        action,
        from: activity(previous),
        to: activity(entry),
        article: ARTICLE,
        details: { name: entry.name, provinceCode: entry.provinceCode, cityCode: entry.cityCode },
      },
    },
  };
}

async function write(writes: RegisterWrite[]): Promise<void> {
  const outcome = await writePilotColleges(writes);
  // A cancelled audit put means this very request was already applied (its audit key exists).
  if (!outcome.ok && !outcome.reasons.some((r) => r === 'ConditionalCheckFailed')) throw new TransientError('register write cancelled');
}

/** One page of the register, optionally one province. */
export async function listRegister(caller: Caller, input: { provinceCode?: string; cursor?: string; limit?: number }): Promise<Page<PilotCollege>> {
  requireGroup(caller, 'admin');
  return listPilotColleges(input);
}

/** Creates or updates one entry; the credit code's check character and the city's province are validated. */
export async function upsertPilotCollege(caller: Caller, creditCode: string, body: PilotCollegeBody): Promise<PilotCollege> {
  requireGroup(caller, 'admin');
  const at = nowIso();
  const entry = parseWith(pilotCollegeSchema, { creditCode, ...body, updatedAt: at, updatedBy: caller.sub });
  const previous = await getPilotCollege(entry.creditCode);
  await write([registerWrite(caller, entry, { at, key: caller.requestId }, previous ? 'pilot-college-updated' : 'pilot-college-added', previous)]);
  return entry;
}

/** Marks an entry inactive (the college leaves the pilot); the entry and its history stay. */
export async function deactivatePilotCollege(caller: Caller, creditCode: string): Promise<PilotCollege> {
  requireGroup(caller, 'admin');
  const previous = await getPilotCollege(creditCode);
  if (!previous) throw new NotFoundError('Pilot college', '试点院校');
  if (!previous.active) return previous;
  const at = nowIso();
  const entry: PilotCollege = { ...previous, active: false, updatedAt: at, updatedBy: caller.sub };
  await write([registerWrite(caller, entry, { at, key: caller.requestId }, 'pilot-college-deactivated', previous)]);
  return entry;
}

const REQUIRED_COLUMNS = ['creditCode', 'name', 'provinceCode', 'cityCode'] as const;

function badImport(en: string, zh: string): ValidationError {
  return new ValidationError([{ path: 'body', message: en }], en, zh);
}

/**
 * The rows of an import body: a JSON array (or `{ rows: [...] }`), or CSV
 * text with the header `creditCode,name,provinceCode,cityCode` (optional
 * `active` and `note` columns).
 */
export function parseImportRows(body: string, contentType: string | undefined): unknown[] {
  if (contentType?.toLowerCase().includes('text/csv')) {
    const [header, ...rows] = csvRecords(body.replace(/^\uFEFF/, ''));
    const columns = (header ?? []).map((h) => h.trim());
    if (!REQUIRED_COLUMNS.every((c) => columns.includes(c))) {
      throw badImport(
        'The CSV header must be creditCode,name,provinceCode,cityCode (optionally active,note).',
        'CSV 表头必须为 creditCode,name,provinceCode,cityCode（可选 active,note）。',
      );
    }
    return rows.map((cells) => {
      const row: Record<string, unknown> = {};
      columns.forEach((column, i) => {
        const cell = (cells[i] ?? '').trim();
        if (column === 'active') row.active = cell === '' ? undefined : /^(true|1|yes|是)$/i.test(cell);
        else if (column === 'note') row.note = cell === '' ? undefined : cell;
        else row[column] = cell;
      });
      return row;
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw badImport('The body is neither JSON nor text/csv.', '请求体既不是 JSON 也不是 CSV。');
  }
  if (Array.isArray(parsed)) return parsed;
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { rows?: unknown }).rows)) return (parsed as { rows: unknown[] }).rows;
  throw badImport('The body must be an array of rows or { "rows": [...] }.', '请求体必须是行数组或 { "rows": [...] }。');
}

function trimmed(row: unknown): unknown {
  if (!row || typeof row !== 'object') return row;
  // Blank cells are dropped, so that defaults (active) apply.
  return Object.fromEntries(
    Object.entries(row)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]),
  );
}

/**
 * Imports register entries. Every row is validated first; if any row is
 * wrong nothing is written and the report lists every row error (400).
 * Valid imports are written in batches of 25 rows, each batch one
 * transaction with its audit items (all or nothing per batch); on a failed
 * batch the import stops and the report says which batches were written.
 * Rows are upserts, so sending the same import again is safe.
 */
export async function importRegister(caller: Caller, rows: readonly unknown[]): Promise<ImportReport> {
  requireGroup(caller, 'admin');
  if (rows.length === 0) throw badImport('The import has no rows.', '导入内容没有数据行。');
  if (rows.length > MAX_IMPORT_ROWS) {
    throw badImport(`At most ${MAX_IMPORT_ROWS} rows per import.`, `每次最多导入 ${MAX_IMPORT_ROWS} 行。`);
  }
  const at = nowIso();
  const entries: PilotCollege[] = [];
  const rowErrors: ImportReport['rowErrors'] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, index) => {
    const row = index + 1;
    const candidate: Record<string, unknown> = { active: true, ...(trimmed(raw) as object), updatedAt: at, updatedBy: caller.sub };
    const result = pilotCollegeSchema.safeParse(candidate);
    const creditCode = typeof candidate.creditCode === 'string' ? candidate.creditCode : undefined;
    if (!result.success) {
      rowErrors.push({ row, creditCode, issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      return;
    }
    const first = seen.get(result.data.creditCode);
    if (first !== undefined) {
      rowErrors.push({ row, creditCode, issues: [{ path: 'creditCode', message: `duplicate of row ${first}` }] });
      return;
    }
    seen.set(result.data.creditCode, row);
    entries.push(result.data);
  });
  if (rowErrors.length) {
    const report: ImportReport = { received: rows.length, written: 0, complete: false, batches: [], rowErrors };
    throw new ValidationError(
      report,
      `${rowErrors.length} of ${rows.length} rows are not valid; nothing was imported.`,
      `${rows.length} 行中有 ${rowErrors.length} 行不符合要求，未导入任何数据。`,
    );
  }
  const batches: ImportReport['batches'] = [];
  let written = 0;
  let failed = false;
  for (let start = 0; start < entries.length; start += IMPORT_BATCH_SIZE) {
    const slice = entries.slice(start, start + IMPORT_BATCH_SIZE);
    const batch = { batch: batches.length + 1, firstRow: start + 1, lastRow: start + slice.length };
    if (failed) {
      batches.push({ ...batch, status: 'not-attempted' });
      continue;
    }
    try {
      await write(slice.map((entry, i) => registerWrite(caller, entry, { at, key: `${caller.requestId}#${start + i + 1}` }, 'pilot-college-imported')));
      written += slice.length;
      batches.push({ ...batch, status: 'written' });
    } catch {
      failed = true;
      batches.push({ ...batch, status: 'failed' });
    }
  }
  return { received: rows.length, written, complete: !failed, batches, rowErrors: [] };
}

import type { ExportFormat, ExportReport } from '../../../schemas/api/reports.schema.ts';
import { getCampaign } from '../../adapters/stores/evaluations.ts';
import { searchSites } from '../../adapters/stores/sites.ts';
import { DomainError, NotFoundError } from '../../domain/errors.ts';
import {
  auditTable,
  campaignTable,
  coverageTable,
  registerTable,
  tableCells,
  type AuditRow,
  type ExportLang,
  type ExportTable,
} from '../../domain/reports/export-tables.ts';
import { nowIso } from '../../shared/clock.ts';
import { type Caller, requireGroup } from '../../shared/identity.ts';
import { csvText, xlsxBuffer } from '../../shared/spreadsheet.ts';
import { getApplicationAudit } from '../applications/get-application.ts';
import { registerEntry } from '../sites/public-register.ts';
import { getSiteTimeline } from '../sites/site-timeline.ts';
import { adminCoverage, allEvaluations } from './reports.ts';

/**
 * Rows an export takes at most. An export is built in memory: an HTTP API
 * Lambda answer is at most 6 MB (a workbook travels base64-encoded, a third
 * larger), and API Gateway HTTP APIs do not stream a response.
 */
export const MAX_EXPORT_ROWS = 20_000;
/** Bytes of the answer's body at most (base64 counted for a workbook), under the 6 MB Lambda limit with room for headers. */
export const MAX_EXPORT_BYTES = 5_500_000;

export class ExportTooLargeError extends DomainError {
  constructor(limit: string) {
    super(
      'EXPORT_TOO_LARGE',
      'too-large',
      `导出内容超过上限（${limit}），请缩小范围后再导出。`,
      `The export is over its limit (${limit}); narrow it and export again.`,
    );
  }
}

/** An export ready to send: the file name (ASCII), its media type and body (text for CSV, bytes for a workbook). */
export interface ExportFile {
  readonly filename: string;
  readonly contentType: string;
  readonly body: string | Buffer;
}

export interface ExportRequest {
  readonly report: ExportReport;
  /** The campaign, site or application the report is about. */
  readonly id?: string;
  readonly format: ExportFormat;
  readonly lang: ExportLang;
}

/** Reads every page of a paged list, refusing past the row cap (nothing partial is ever sent). */
async function allPages<T>(read: (cursor: string | undefined) => Promise<{ items: T[]; cursor?: string }>): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    rows.push(...page.items);
    if (rows.length > MAX_EXPORT_ROWS) throw new ExportTooLargeError(`${MAX_EXPORT_ROWS} rows`);
    cursor = page.cursor;
  } while (cursor);
  return rows;
}

type Built = { table: ExportTable<never>; rows: readonly unknown[]; stem: string };

async function build(caller: Caller, request: ExportRequest): Promise<Built> {
  const { lang, id } = request;
  const as = <R>(table: ExportTable<R>, rows: readonly R[], stem: string): Built => ({ table: table as unknown as ExportTable<never>, rows, stem });
  switch (request.report) {
    case 'register': {
      const sites = await allPages((cursor) => searchSites({ statuses: ['ACTIVE'], cursor, limit: 200 }));
      return as(registerTable(lang), sites.map(registerEntry), 'register');
    }
    case 'coverage': {
      const coverage = await adminCoverage();
      const colleges = new Map(coverage.uncoveredCities.map((c) => [c.cityCode, c.pilotColleges.map((p) => p.name)]));
      return as(coverageTable(lang), coverage.cities.map((c) => ({ ...c, collegeNames: colleges.get(c.cityCode) ?? [] })), 'coverage');
    }
    case 'campaign': {
      const campaign = id ? await getCampaign(id) : undefined;
      if (!campaign) throw new NotFoundError('Campaign', '评估活动');
      const evaluations = await allEvaluations(campaign.campaignId);
      if (evaluations.length > MAX_EXPORT_ROWS) throw new ExportTooLargeError(`${MAX_EXPORT_ROWS} rows`);
      const rows = evaluations.map((e) => {
        const outcome = e.assessment?.outcome ?? e.outcome;
        return { ...e, outcome: typeof outcome === 'string' ? outcome : undefined };
      });
      return as(campaignTable(lang, campaign.title), rows, `campaign-${campaign.campaignId}`);
    }
    case 'site-audit': {
      const siteId = id ?? '';
      const events = await allPages((cursor) => getSiteTimeline(caller, siteId, { cursor, limit: 200 }));
      const rows: AuditRow[] = events.map((e) => ({ ...e, actor: e.actor.displayName }));
      return as(auditTable(lang, { zh: `站点操作记录 ${siteId}`, en: `Site audit trail ${siteId}` }), rows, `site-${siteId}-audit`);
    }
    case 'application-audit': {
      const applicationId = id ?? '';
      const events = await allPages((cursor) => getApplicationAudit(caller, applicationId, { cursor, limit: 200 }));
      // Details (reviewer notes) stay out of a file that leaves the system.
      const rows: AuditRow[] = events.map((e) => ({ at: e.at, action: e.action, actor: e.actor.displayName, from: e.from, to: e.to, article: e.article, reason: e.reason }));
      return as(auditTable(lang, { zh: `申请操作记录 ${applicationId}`, en: `Application audit trail ${applicationId}` }), rows, `application-${applicationId}-audit`);
    }
  }
}

/**
 * An export for the organisation (admins): the register of ACTIVE sites, the
 * Art.8 coverage report, a campaign's results, or the audit trail of one
 * site or application, as CSV or an Excel workbook, with Chinese headers by
 * default. 404 for an unknown campaign, site or application; 413
 * `EXPORT_TOO_LARGE` past the caps (never a cut-off file).
 */
export async function exportReport(caller: Caller, request: ExportRequest): Promise<ExportFile> {
  requireGroup(caller, 'admin');
  const built = await build(caller, request);
  const { headers, rows } = tableCells(built.table, built.rows as never[], request.lang);
  const stem = `${built.stem.replace(/[^A-Za-z0-9_-]/g, '_')}-${nowIso().slice(0, 10)}${request.lang === 'en' ? '-en' : ''}`;
  if (request.format === 'csv') {
    const body = csvText(headers, rows);
    if (Buffer.byteLength(body) > MAX_EXPORT_BYTES) throw new ExportTooLargeError(`${(MAX_EXPORT_BYTES / 1e6).toFixed(1)} MB`);
    return { filename: `${stem}.csv`, contentType: 'text/csv; charset=utf-8', body };
  }
  const body = await xlsxBuffer(built.table.title[request.lang], headers, rows, built.table.columns.map((c) => c.width));
  if (Math.ceil(body.byteLength / 3) * 4 > MAX_EXPORT_BYTES) throw new ExportTooLargeError(`${(MAX_EXPORT_BYTES / 1e6).toFixed(1)} MB`);
  return { filename: `${stem}.xlsx`, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body };
}

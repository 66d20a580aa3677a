import { findProvince } from '../../../schemas/validators/region-codes.ts';

/**
 * The exports as tables: each column with its Chinese and English header and
 * how a row gives its cell. Pure: the use case reads the rows, the spreadsheet
 * writer (`shared/spreadsheet.ts`) turns a table into CSV or a workbook.
 */

export type ExportLang = 'zh' | 'en';
export type Cell = string | number | null;

export interface Column<R> {
  readonly zh: string;
  readonly en: string;
  readonly cell: (row: R) => Cell;
  /** Width in characters in the workbook. */
  readonly width?: number;
}

export interface ExportTable<R> {
  /** The sheet's name and the file's stem. */
  readonly title: { readonly zh: string; readonly en: string };
  readonly columns: ReadonlyArray<Column<R>>;
}

/** Headers and rows as plain cells, in one language. */
export function tableCells<R>(table: ExportTable<R>, rows: readonly R[], lang: ExportLang): { headers: string[]; rows: Cell[][] } {
  return { headers: table.columns.map((c) => c[lang]), rows: rows.map((row) => table.columns.map((c) => c.cell(row))) };
}

const provinceName = (code: string, lang: ExportLang) => findProvince(code)?.[lang] ?? code;
const yesNo = (v: boolean, lang: ExportLang) => (lang === 'zh' ? (v ? '是' : '否') : v ? 'yes' : 'no');
/** A date as the organisation reads it: China time, `YYYY-MM-DD HH:mm`. */
export function chinaTime(iso: string | undefined | null): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface RegisterRow {
  readonly certificateNumber: string;
  readonly institutionName: string;
  readonly provinceCode: string;
  readonly cityCode: string;
  readonly activatedAt: string;
  readonly accreditedRooms: number;
  readonly accreditedSeats: number;
  readonly accreditedCapacity: number;
}

/** The register of ACTIVE exam sites (Art.9(2): rooms, seats and candidates at once). */
export const registerTable = (lang: ExportLang): ExportTable<RegisterRow> => ({
  title: { zh: '考核站点名录', en: 'Register of exam sites' },
  columns: [
    { zh: '证书编号', en: 'Certificate number', cell: (r) => r.certificateNumber, width: 24 },
    { zh: '院校名称', en: 'Institution', cell: (r) => r.institutionName, width: 32 },
    { zh: '省份', en: 'Province', cell: (r) => provinceName(r.provinceCode, lang), width: 14 },
    { zh: '地级市代码', en: 'City code (GB/T 2260)', cell: (r) => r.cityCode, width: 12 },
    { zh: '批准时间', en: 'Accredited at', cell: (r) => chinaTime(r.activatedAt), width: 18 },
    { zh: '考场数', en: 'Exam rooms', cell: (r) => r.accreditedRooms },
    { zh: '机位数', en: 'Seats', cell: (r) => r.accreditedSeats },
    { zh: '同时可考人数', en: 'Candidates at once', cell: (r) => r.accreditedCapacity },
  ],
});

export interface CoverageRow {
  readonly provinceCode: string;
  readonly cityCode: string;
  readonly pilotColleges: number;
  readonly activeSites: number;
  readonly covered: boolean;
  /** The uncovered city's pilot colleges (organisation only). */
  readonly collegeNames?: readonly string[];
}

/** Art.8 coverage by prefecture-level city. */
export const coverageTable = (lang: ExportLang): ExportTable<CoverageRow> => ({
  title: { zh: '地级市考核站点覆盖情况', en: 'Exam-site coverage by city (Art.8)' },
  columns: [
    { zh: '省份', en: 'Province', cell: (r) => provinceName(r.provinceCode, lang), width: 14 },
    { zh: '地级市代码', en: 'City code (GB/T 2260)', cell: (r) => r.cityCode, width: 12 },
    { zh: '试点院校数', en: 'Pilot colleges', cell: (r) => r.pilotColleges },
    { zh: '有效考核站点数', en: 'Active exam sites', cell: (r) => r.activeSites },
    { zh: '已覆盖', en: 'Covered', cell: (r) => yesNo(r.covered, lang) },
    { zh: '未覆盖城市的试点院校', en: 'Pilot colleges of an uncovered city', cell: (r) => (r.collegeNames ?? []).join(lang === 'zh' ? '、' : '; '), width: 48 },
  ],
});

export interface CampaignResultRow {
  readonly certificateNumber?: string;
  readonly institutionName: string;
  readonly provinceCode: string;
  readonly cityCode: string;
  readonly status: string;
  readonly deadline: string;
  readonly notifiedAt?: string;
  readonly submittedAt?: string;
  readonly missedAt?: string;
  readonly outcome?: string;
}

const EVALUATION_STATUS: Readonly<Record<string, { zh: string; en: string }>> = {
  NOTICE_PENDING: { zh: '待通知', en: 'Notice pending' },
  NOTIFIED: { zh: '已通知', en: 'Notified' },
  SUBMITTED: { zh: '已提交', en: 'Submitted' },
  MISSED: { zh: '逾期未提交', en: 'Missed the deadline' },
};

/** One campaign's results, a row per site (Art.19–20). */
export const campaignTable = (lang: ExportLang, title: string): ExportTable<CampaignResultRow> => ({
  title: { zh: `评估结果 ${title}`, en: `Evaluation results ${title}` },
  columns: [
    { zh: '院校名称', en: 'Institution', cell: (r) => r.institutionName, width: 32 },
    { zh: '省份', en: 'Province', cell: (r) => provinceName(r.provinceCode, lang), width: 14 },
    { zh: '地级市代码', en: 'City code (GB/T 2260)', cell: (r) => r.cityCode, width: 12 },
    { zh: '状态', en: 'Status', cell: (r) => EVALUATION_STATUS[r.status]?.[lang] ?? r.status, width: 14 },
    { zh: '截止时间', en: 'Deadline', cell: (r) => chinaTime(r.deadline), width: 18 },
    { zh: '通知时间', en: 'Notified at', cell: (r) => chinaTime(r.notifiedAt), width: 18 },
    { zh: '提交时间', en: 'Submitted at', cell: (r) => chinaTime(r.submittedAt), width: 18 },
    { zh: '逾期时间', en: 'Missed at', cell: (r) => chinaTime(r.missedAt), width: 18 },
    { zh: '评估结论', en: 'Outcome', cell: (r) => r.outcome ?? '', width: 18 },
  ],
});

export interface AuditRow {
  readonly at: string;
  readonly action: string;
  readonly actor: { readonly zh: string; readonly en: string };
  readonly from?: string;
  readonly to?: string;
  readonly article?: string;
  readonly reason?: string;
}

/** An audit trail (a site's or an application's), oldest first. */
export const auditTable = (lang: ExportLang, subject: { zh: string; en: string }): ExportTable<AuditRow> => ({
  title: subject,
  columns: [
    { zh: '时间', en: 'At', cell: (r) => chinaTime(r.at), width: 18 },
    { zh: '操作', en: 'Action', cell: (r) => r.action, width: 24 },
    { zh: '操作人', en: 'By', cell: (r) => r.actor[lang], width: 16 },
    { zh: '原状态', en: 'From', cell: (r) => r.from ?? '', width: 14 },
    { zh: '新状态', en: 'To', cell: (r) => r.to ?? '', width: 14 },
    { zh: '依据条款', en: 'Article', cell: (r) => r.article ?? '', width: 12 },
    { zh: '理由', en: 'Reason', cell: (r) => r.reason ?? '', width: 48 },
  ],
});

import type {
  CpuFamily,
  OfficeVersion,
  OsName,
  RouterCapability,
  ScreenAspect,
  StaffRole,
} from '../../../schemas/application-form.schema.ts';

import { ROUTER_CAPABILITIES } from '../../../schemas/form-fields.ts';
import type { RuleBasis } from '../../../schemas/findings.schema.ts';
import { FINDING_CODES, type FindingCode } from './finding-codes.ts';
/**
 * The exam-site standard (考点遴选标准及建设要求, Art.7–11) as data. Screening
 * reads every threshold from a version, and each application records the
 * version it was screened against, so a revised standard never re-judges old
 * applications silently.
 */
export interface Bilingual {
  readonly zh: string;
  readonly en: string;
}

/** How a rule is marked: from the regulation's text, the organisation's policy (with why), or data integrity. */
export interface RuleMark {
  readonly basis: RuleBasis;
  /** Why the organisation reads the text this way; only on `policy` rules. */
  readonly reason?: Bilingual;
}

/** The Art.10 roles held by a fixed number of people; invigilators go by standard room. */
export type CountedRole = Exclude<StaffRole, 'invigilator'>;

export interface Resolution {
  readonly width: number;
  readonly height: number;
}

export interface PcStandard {
  /** Weakest CPU family meeting the minimum / the recommended configuration. */
  readonly minCpu: CpuFamily;
  readonly recCpu: CpuFamily;
  readonly minRamGb: number;
  readonly recRamGb: number;
  readonly minDiskGb: number;
  readonly recSsd: boolean;
  readonly minNicMbps: number;
  readonly recNicMbps: number;
  readonly minScreenInches: number;
  readonly screenAspects: readonly ScreenAspect[];
  readonly minResolution: Resolution;
  /** Systems the standard names (Windows 7 to 10). */
  readonly osAllowed: readonly OsName[];
  /** Newer systems outside the named range: advisory, the reviewer checks compatibility (policy). */
  readonly osTolerated: readonly OsName[];
  readonly osLanguage: 'zh-CN';
  readonly osBits: 64;
  readonly chromeMin: number;
  readonly firefoxMin: number;
}

export interface AccreditationStandard {
  readonly version: string;
  readonly title: { readonly zh: string; readonly en: string };
  /** Art.9(1): yearly enrolment of the related majors together. */
  readonly minEnrolment: number;
  /** Art.9(2): rooms meeting the standard (the site is accredited for those). */
  readonly minExamRooms: number;
  /** Art.9(2): candidates a room must seat at once (its capacity, not its seats). */
  readonly minCandidatesAtOnce: number;
  readonly minSeatSpacingM: number;
  readonly minExamOffices: number;
  /** Art.9(3), Art.10(1): people in the team. */
  readonly minTeam: number;
  /** Art.10(1)–(2): people each role needs (the patrol: one per college, a site being one college). */
  readonly roleMinimums: Readonly<Record<CountedRole, number>>;
  /** Art.10(2)1: the leader is the one first responsible person. */
  readonly maxLeaders: number;
  /** Art.10(2)3: invigilators per standard room. */
  readonly invigilatorsPerRoom: number;
  /** Art.9(6). */
  readonly minUpsHours: number;
  /** Art.11(1), Art.11(2)1. */
  readonly minCandidatePcsPerRoom: number;
  readonly candidatePc: PcStandard;
  readonly invigilatorPc: PcStandard;
  /** Art.11(2)1. */
  readonly officeAllowed: readonly OfficeVersion[];
  readonly officeTolerated: readonly OfficeVersion[];
  readonly winrarMin: number;
  /** Art.11(2)3. */
  readonly minLanMbps: number;
  readonly recLanMbps: number;
  readonly minUplinkMbps: number;
  /** Art.11(2)4. */
  readonly minCameras: number;
  readonly minCameraMp: number;
  readonly minCameraResolution: Resolution;
  readonly requiredRouterCapabilities: readonly RouterCapability[];
  /** Art.11(2)4: multimedia sets for the whole site. */
  readonly minMultimediaSets: number;
  /** Every rule (finding code) marked regulation, policy (with its reason) or integrity. */
  readonly rules: Readonly<Record<FindingCode, RuleMark>>;
}

/** Ranks of the CPU families; `other` is left out on purpose (judged by a reviewer). */
export const CPU_RANK: Readonly<Partial<Record<CpuFamily, number>>> = Object.freeze({
  'celeron-pentium': 0,
  'core-i3': 1,
  'core-i5': 2,
  'core-i7': 3,
  'core-i9': 4,
});

const pc2020: PcStandard = {
  minCpu: 'core-i3',
  recCpu: 'core-i5',
  minRamGb: 4,
  recRamGb: 8,
  minDiskGb: 500,
  recSsd: true,
  minNicMbps: 100,
  recNicMbps: 1000,
  minScreenInches: 19,
  // Policy (see SCREEN_NOT_WIDESCREEN below): 16:10 accepted beside 16:9.
  screenAspects: ['16:9', '16:10'],
  minResolution: { width: 1440, height: 900 },
  osAllowed: ['windows-7', 'windows-8', 'windows-8.1', 'windows-10'],
  osTolerated: ['windows-11'],
  osLanguage: 'zh-CN',
  osBits: 64,
  chromeMin: 87,
  firefoxMin: 90,
};

const policy = (zh: string, en: string): RuleMark => ({ basis: 'policy', reason: { zh, en } });

/** Builds the complete marks table: the given policy and integrity rules, every other rule from the regulation's text. */
function markRules(marked: Partial<Record<FindingCode, RuleMark>>): Record<FindingCode, RuleMark> {
  return Object.fromEntries(FINDING_CODES.map((code) => [code, marked[code] ?? { basis: 'regulation' }])) as Record<FindingCode, RuleMark>;
}

const INTEGRITY: RuleMark = { basis: 'integrity' };

const pcPolicies = (prefix: 'CANDIDATE_PC' | 'INVIGILATOR_PC'): Partial<Record<FindingCode, RuleMark>> => ({
  [`${prefix}_CPU_UNLISTED`]: policy(
    '标准只列英特尔酷睿系列；其他 CPU（如 AMD）由评审确认性能不低于最低配置，而不直接退回',
    'The standard lists Intel Core CPUs only; another CPU (e.g. AMD) is judged by a reviewer against the minimum instead of returning the application',
  ),
  [`${prefix}_SCREEN_NOT_WIDESCREEN`]: policy(
    '标准写“宽屏(16:9)”，但其最低分辨率 1440×900 本身是 16:10，故 16:9 与 16:10 宽屏均予接受',
    'The standard says "widescreen (16:9)" but its own minimum resolution, 1440×900, is 16:10: both widescreen ratios are accepted',
  ),
  [`${prefix}_OS_NEWER_THAN_STANDARD`]: policy(
    '标准（2020 年）列 Windows 7 至 10，早于 Windows 11 发布；Windows 10 已于 2025-10-14 停止支持。Windows 11 不直接退回，由评审确认考试软件兼容',
    'The standard (2020) names Windows 7 to 10, before Windows 11 existed; Windows 10 support ended on 2025-10-14. Windows 11 is not returned; a reviewer confirms the exam software runs on it',
  ),
});

const RULES_2020 = markRules({
  ...pcPolicies('CANDIDATE_PC'),
  ...pcPolicies('INVIGILATOR_PC'),
  CANDIDATE_PC_OFFICE_NEWER_THAN_STANDARD: policy(
    '标准（2020 年）列 Office 2010 至 2016；更新版本（2019、2021、2024、365）打开同样的 Word/Excel/PPT 文件，不直接退回，由评审确认',
    'The standard (2020) names Office 2010 to 2016; later versions (2019, 2021, 2024, 365) open the same Word/Excel/PowerPoint files, so they are not returned and a reviewer confirms',
  ),
  RELATED_ENROLMENT_BELOW_MINIMUM: policy(
    '“相关专业年招生人数不少于 40 人”按所有相关专业合计计算',
    '"Related majors enrol at least 40 a year" is read as the total over all related majors',
  ),
  CERTIFICATION_EXPERIENCE_NOT_DESCRIBED: policy(
    '条文要求具备认证考评经验；要求说明经验是为了评审能够核实',
    'The article asks for certification experience; a description is required so that a reviewer can verify it',
  ),
  EVIDENCE_TOO_FEW: policy(
    '条文要求提交考核场地及设备设施照片；每类材料的最少份数由培训评价组织规定',
    'The article asks for photos of the venue and equipment; the minimum number of files per kind is set by the organisation',
  ),
  INSTITUTION_CREDIT_CODE_MISMATCH: INTEGRITY,
  INSTITUTION_NAME_DIFFERS_FROM_REGISTER: INTEGRITY,
  INSTITUTION_CITY_DIFFERS_FROM_REGISTER: INTEGRITY,
  MAJOR_DUPLICATE: INTEGRITY,
  ROOM_NAME_DUPLICATE: INTEGRITY,
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Every version of the standard the system knows, by version id. */
export const STANDARD_VERSIONS: Readonly<Record<string, AccreditationStandard>> = deepFreeze({
  '2020-1': {
    version: '2020-1',
    title: {
      zh: '跨境电子商务多平台运营职业技能等级证书考核站点管理办法（第三章 考核站点建设标准）',
      en: 'Exam-site management measures, chapter 3 (exam-site standards)',
    },
    minEnrolment: 40,
    minExamRooms: 1,
    minCandidatesAtOnce: 40,
    minSeatSpacingM: 1,
    minExamOffices: 1,
    minTeam: 6,
    roleMinimums: { leader: 1, 'patrol-inspector': 1, 'exam-executor': 1, 'technical-support': 1, logistics: 1 },
    maxLeaders: 1,
    invigilatorsPerRoom: 1,
    minUpsHours: 3,
    minCandidatePcsPerRoom: 40,
    candidatePc: pc2020,
    invigilatorPc: pc2020,
    officeAllowed: ['2010', '2013', '2016'],
    officeTolerated: ['2019', '2021', '2024', '365'],
    winrarMin: 6,
    minLanMbps: 100,
    recLanMbps: 1000,
    minUplinkMbps: 100,
    minCameras: 2,
    minCameraMp: 2,
    minCameraResolution: { width: 1920, height: 1080 },
    // Art.11(2)4 lists them all as required of the router.
    requiredRouterCapabilities: [...ROUTER_CAPABILITIES],
    minMultimediaSets: 1,
    rules: RULES_2020,
  },
});

/** The mark of a rule in a version of the standard. */
export function ruleMark(standard: AccreditationStandard, code: string): RuleMark | undefined {
  return (standard.rules as Record<string, RuleMark>)[code];
}

/** The version new applications are screened against. */
export const CURRENT_STANDARD_VERSION = '2020-1';

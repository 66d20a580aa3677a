import type {
  CpuFamily,
  OfficeVersion,
  OsName,
  RouterCapability,
  ScreenAspect,
  StaffRole,
} from '../../../schemas/application-form.schema.ts';

import { ROUTER_CAPABILITIES } from '../../../schemas/application-form.schema.ts';
/**
 * The exam-site standard (考点遴选标准及建设要求, Art.7–11) as data. Screening
 * reads every threshold from a version, and each application records the
 * version it was screened against, so a revised standard never re-judges old
 * applications silently.
 */
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
  /** Newer systems outside the named range: advisory, the reviewer checks compatibility. */
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
  /** Art.9(2). */
  readonly minExamRooms: number;
  readonly minSeatsPerRoom: number;
  readonly minSeatSpacingM: number;
  readonly minExamOffices: number;
  /** Art.9(3), Art.10(1). */
  readonly minTeam: number;
  /** Art.10(1): roles of which the team needs at least one. */
  readonly requiredRoles: readonly StaffRole[];
  /** Art.10(2)1: the leader is the one first responsible person. */
  readonly uniqueRoles: readonly StaffRole[];
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
  // The standard says "宽屏(16:9)" but its own minimum, 1440×900, is a 16:10
  // resolution: both widescreen ratios are accepted.
  screenAspects: ['16:9', '16:10'],
  minResolution: { width: 1440, height: 900 },
  osAllowed: ['windows-7', 'windows-8', 'windows-8.1', 'windows-10'],
  osTolerated: ['windows-11'],
  osLanguage: 'zh-CN',
  osBits: 64,
  chromeMin: 87,
  firefoxMin: 90,
};

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
    minSeatsPerRoom: 40,
    minSeatSpacingM: 1,
    minExamOffices: 1,
    minTeam: 6,
    requiredRoles: ['leader', 'patrol-inspector', 'invigilator', 'exam-executor', 'technical-support', 'logistics'],
    uniqueRoles: ['leader'],
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
  },
});

/** The version new applications are screened against. */
export const CURRENT_STANDARD_VERSION = '2020-1';

import * as z from 'zod/mini';
import { maskToPrefix, parseCidr } from './validators/ipv4.ts';
import { cityBelongsToProvince } from './validators/region-codes.ts';
import { RELATED_MAJOR_CODES } from './validators/related-majors.ts';
import {
  creditCodeSchema,
  idNumberSchema,
  provinceCodeSchema,
  cityCodeSchema,
  INSTITUTION_TYPES,
  SEATING_ARRANGEMENTS,
  STAFF_ROLES,
  CPU_FAMILIES,
  SCREEN_ASPECTS,
  OS_NAMES,
  OS_LANGUAGES,
  OFFICE_VERSIONS,
  ROUTER_CAPABILITIES,
  INCIDENT_KINDS,
  pruneEmpty,
  FORM_VERSION,
  upgradeStoredForm,
} from './form-fields.ts';

/**
 * The exam-site application form (考核站点申请表, Art.3(1)) with everything
 * Art.9–11 asks for, in sections the portal shows one by one.
 *
 * The schema checks shapes and formats only (types, codes, check digits,
 * addresses). Whether the figures meet the standard (40 candidate PCs, a team
 * of 6, …) is the job of the screening rules (`functions/domain/screening`),
 * which turn each shortfall into a finding with its article: a form with 32
 * PCs is a complete form that gets returned, not a malformed request.
 *
 * Field names are English camelCase and stable: they are stored, and finding
 * paths (`examRooms.0.candidatePcCount`) point into them. The shape is
 * versioned (`FORM_VERSION`); drafts stored in an older shape are upgraded
 * on read by `upgradeStoredForm`.
 */
const text = (max = 200) => z.string().check(z.minLength(1), z.maxLength(max));
const count = (max: number) => z.int().check(z.gte(0), z.lte(max));
const amount = (max: number) => z.number().check(z.gte(0), z.lte(max));
const flag = z.boolean();

/** Phone numbers are checked loosely: mobile, landline with area code and extension all occur. */
const phone = z.string().check(z.regex(/^\+?[0-9][0-9\s()-]{5,23}$/, 'Not a phone number'));
const ipv4 = z.ipv4();
const subnetMask = z.string().check(z.refine((v) => maskToPrefix(v) !== undefined, 'Not a contiguous subnet mask'));
const cidr = z.string().check(z.refine((v) => parseCidr(v) !== undefined, 'Not an IPv4 CIDR block'));

const resolutionSchema = z.object({ width: count(20_000), height: count(20_000) });

const institutionSchema = z.object({
  name: text(100),
  creditCode: creditCodeSchema,
  type: z.enum(INSTITUTION_TYPES),
  provinceCode: provinceCodeSchema,
  cityCode: cityCodeSchema,
  address: text(300),
  /** Art.9(1) 具备办学许可的法人单位. */
  legalEntity: flag,
  schoolRunningLicence: z.object({
    held: flag,
    number: z.optional(text(64)),
    issuedBy: z.optional(text(100)),
  }),
});

/** A related major of Art.9(1), chosen by its catalogue code (schemas/validators/related-majors.ts). */
const majorSchema = z.object({
  majorCode: z.enum(RELATED_MAJOR_CODES),
  annualEnrolment: count(100_000),
});

const majorsSchema = z.object({
  items: z.array(majorSchema).check(z.maxLength(50)),
  /** Art.9(1) 具备相关职业技能认证考评经验. */
  certificationExperience: z.object({
    has: flag,
    description: z.optional(text(2000)),
  }),
});

const siteManagerSchema = z.object({
  name: text(50),
  phone,
  email: z.email(),
  idNumber: idNumberSchema,
  position: text(100),
});

const staffMemberSchema = z.object({
  role: z.enum(STAFF_ROLES),
  name: text(50),
  phone,
  /** Art.9(3), Art.10(1): experience organising and running exams. */
  examExperience: flag,
  experienceDescription: z.optional(text(1000)),
});

const cpuSchema = z.object({
  family: z.enum(CPU_FAMILIES),
  generation: z.optional(z.int().check(z.gte(1), z.lte(30))),
  model: z.optional(text(100)),
});

const screenSchema = z.object({
  inches: amount(100),
  aspect: z.enum(SCREEN_ASPECTS),
  resolution: resolutionSchema,
});

const osSchema = z.object({
  name: z.enum(OS_NAMES),
  language: z.enum(OS_LANGUAGES),
  bits: z.union([z.literal(32), z.literal(64)]),
});

/** Hardware and software both PCs of Art.11(2)1 and Art.11(2)2 share. */
const pcBaseShape = {
  cpu: cpuSchema,
  ramGb: amount(4096),
  diskGb: amount(100_000),
  ssd: flag,
  nicMbps: amount(100_000),
  screen: screenSchema,
  os: osSchema,
  /** Major version of the stable Chrome. */
  chromeVersion: count(1000),
  /** Major version of the spare Firefox; absent when not installed. */
  firefoxVersion: z.optional(count(1000)),
  /** Sogou Pinyin / Wubi input methods. */
  sogouInput: flag,
  /** USB ports can be closed during the exam. */
  usbCanBeDisabled: flag,
  /** The exam environment can be synchronised over the network and hardware/software restore stopped. */
  networkSyncRestore: flag,
};

const candidatePcSchema = z.object({
  ...pcBaseShape,
  officeVersion: z.enum(OFFICE_VERSIONS),
  /** WinRAR version, e.g. 6.02; absent when not installed. */
  winrarVersion: z.optional(amount(100)),
  /** Art.11(2)1 禁止安装任何通讯软件. */
  messagingSoftwareInstalled: flag,
});

const invigilatorPcSchema = z.object({
  ...pcBaseShape,
  fixedIp: ipv4,
  subnetMask,
  electronicClassroomSoftware: flag,
  electronicClassroomSoftwareName: z.optional(text(100)),
});

const camerasSchema = z.object({
  count: count(100),
  megapixels: amount(200),
  resolution: resolutionSchema,
  recordsAudio: flag,
  storesRecordings: flag,
});

const examRoomSchema = z.object({
  name: text(50),
  /** Exam seats (考位) in the room; with alternate seating only every other one is used. */
  seats: count(1000),
  /** How candidates sit (Art.9(2)): the room's capacity at once follows from it. */
  seatingArrangement: z.enum(SEATING_ARRANGEMENTS),
  /** Distance between neighbouring seats, metres; needed when every seat is used. */
  seatSpacingM: z.optional(amount(20)),
  candidatePcCount: count(1000),
  candidatePc: candidatePcSchema,
  /** The subnet of the candidate PCs, e.g. `192.168.10.0/24` (Art.11(2)2). */
  candidateSubnet: cidr,
  invigilatorPc: invigilatorPcSchema,
  cameras: camerasSchema,
  /** Hours the UPS keeps every candidate PC of the room running (Art.9(6)). */
  upsHours: amount(100),
});

const examOfficeSchema = z.object({
  count: count(50),
  description: z.optional(text(1000)),
});

/** Art.11(2)4: equipment the site has once, not per room. */
const equipmentSchema = z.object({
  /** 多媒体设备 1 套: control lectern, whiteboard or projector, microphones, speakers. */
  multimediaSet: flag,
  multimediaDescription: z.optional(text(500)),
});

const networkSchema = z.object({
  lanMbps: amount(1_000_000),
  uplinkMbps: amount(1_000_000),
  router: z.object({
    model: z.optional(text(100)),
    capabilities: z.array(z.enum(ROUTER_CAPABILITIES)).check(z.maxLength(ROUTER_CAPABILITIES.length)),
  }),
  /** Candidate PCs reach the exam website (Art.11(2)3). */
  examSiteReachable: flag,
  /** Non-exam sites are blocked during exams (Art.11(2)3). */
  nonExamSitesBlocked: flag,
});

const incidentSchema = z.object({
  kind: z.enum(INCIDENT_KINDS),
  date: z.iso.date(),
  description: z.optional(text(1000)),
});

const safetySchema = z.object({
  /** Art.9(4): building safety, lighting, fire protection, ventilation, sanitation meet national standards. */
  building: z.object({
    structure: flag,
    fire: flag,
    lighting: flag,
    ventilation: flag,
    sanitation: flag,
  }),
  /** Art.9(4) 考场设置相对集中. */
  roomsCentralised: flag,
  /** Art.9(5): safe areas and evacuation routes certified by the competent authority. */
  evacuationRoutesCertified: flag,
  /** Art.9(5) 健全的安全管理机制. */
  safetyManagementSystem: flag,
  /** Art.9(5): past safety incidents (declare every one). */
  incidents: z.array(incidentSchema).check(z.maxLength(50)),
  /** Art.9(6). */
  power: z.object({ stableSupply: flag, dualSupply: flag }),
  /** Art.9(7). */
  support: z.object({ security: flag, logistics: flag, medical: flag }),
});

const nationalExamSchema = z.object({
  name: text(100),
  year: z.int().check(z.gte(1977), z.lte(2100)),
  candidates: count(1_000_000),
});

/**
 * The form's shape with no cross-field checks, so that the lenient draft can
 * be derived from it (zod refuses to make a refined object partial).
 */
const formShape = z.object({
  institution: institutionSchema,
  majors: majorsSchema,
  siteManager: siteManagerSchema,
  staff: z.array(staffMemberSchema).check(z.maxLength(200)),
  examRooms: z.array(examRoomSchema).check(z.maxLength(100)),
  examOffice: examOfficeSchema,
  equipment: equipmentSchema,
  network: networkSchema,
  safety: safetySchema,
  nationalExams: z.array(nationalExamSchema).check(z.maxLength(100)),
});

/** The sections in the order the portal shows them. */
export const FORM_SECTIONS = [
  'institution',
  'majors',
  'siteManager',
  'staff',
  'examRooms',
  'examOffice',
  'equipment',
  'network',
  'safety',
  'nationalExams',
] as const satisfies ReadonlyArray<keyof z.infer<typeof formShape>>;

export type FormSection = (typeof FORM_SECTIONS)[number];

/**
 * The complete form, required at submission. Besides the shapes it checks
 * that the city lies in the province (GB/T 2260: same first two digits).
 */
export const applicationFormSchema = formShape.check(
  z.superRefine((form, ctx) => {
    const { provinceCode, cityCode } = form.institution;
    if (!cityBelongsToProvince(cityCode, provinceCode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['institution', 'cityCode'],
        message: `City ${cityCode} is not in province ${provinceCode}`,
        input: cityCode,
      });
    }
  }),
);

/**
 * The draft: every field at every depth optional, types and formats of the
 * fields present still checked, so a half-filled form saves. The portal omits
 * empty inputs (see `pruneEmpty`) rather than sending `""`.
 */
export const draftFormSchema = z.deepPartial(formShape);

export type ApplicationForm = z.infer<typeof applicationFormSchema>;
export type ApplicationFormDraft = z.infer<typeof draftFormSchema>;
export type InstitutionSection = ApplicationForm['institution'];
export type Major = ApplicationForm['majors']['items'][number];
export type StaffMember = ApplicationForm['staff'][number];
export type StaffRole = (typeof STAFF_ROLES)[number];
export type ExamRoom = ApplicationForm['examRooms'][number];
export type CandidatePc = ExamRoom['candidatePc'];
export type InvigilatorPc = ExamRoom['invigilatorPc'];
export type PcBase = Omit<CandidatePc, 'officeVersion' | 'winrarVersion' | 'messagingSoftwareInstalled'>;
export type CpuFamily = (typeof CPU_FAMILIES)[number];
export type OsName = (typeof OS_NAMES)[number];
export type OfficeVersion = (typeof OFFICE_VERSIONS)[number];
export type ScreenAspect = (typeof SCREEN_ASPECTS)[number];
export type RouterCapability = (typeof ROUTER_CAPABILITIES)[number];
export type SeatingArrangement = (typeof SEATING_ARRANGEMENTS)[number];
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

export interface Label {
  readonly zh: string;
  readonly en: string;
}

/**
 * Labels of every field, keyed by dotted path with `*` for an array index
 * (`examRooms.*.candidatePc.ramGb`). JSON-friendly: the portal loads it as is;
 * findings and validation issues resolve their paths with `labelForPath`.
 */
export const fieldLabels: Readonly<Record<string, Label>> = Object.freeze(buildLabels());

/** The label of a concrete path (`examRooms.3.seats`), or undefined. */
export function labelForPath(path: string): Label | undefined {
  return fieldLabels[path.replace(/\.\d+(?=\.|$)/g, '.*')];
}

function buildLabels(): Record<string, Label> {
  const labels: Record<string, Label> = {};
  const add = (prefix: string, entries: Record<string, [string, string]>) => {
    for (const [key, [zh, en]] of Object.entries(entries)) labels[key === '' ? prefix : `${prefix}.${key}`] = { zh, en };
  };
  add('institution', {
    '': ['申请单位信息', 'Institution'],
    name: ['单位名称', 'Institution name'],
    creditCode: ['统一社会信用代码', 'Unified social credit code'],
    type: ['单位类型', 'Institution type'],
    provinceCode: ['所在省份', 'Province'],
    cityCode: ['所在地级市', 'Prefecture-level city'],
    address: ['详细地址', 'Address'],
    legalEntity: ['具备法人资格', 'Legal entity'],
    schoolRunningLicence: ['办学许可', 'School-running licence'],
    'schoolRunningLicence.held': ['具备办学许可', 'Holds a school-running licence'],
    'schoolRunningLicence.number': ['办学许可证号', 'Licence number'],
    'schoolRunningLicence.issuedBy': ['发证机关', 'Issued by'],
  });
  add('majors', {
    '': ['相关专业', 'Related majors'],
    items: ['开设专业', 'Majors'],
    'items.*': ['专业', 'Major'],
    'items.*.majorCode': ['专业（专业目录代码）', 'Major (catalogue code)'],
    'items.*.annualEnrolment': ['年招生人数', 'Annual enrolment'],
    certificationExperience: ['职业技能认证考评经验', 'Certification experience'],
    'certificationExperience.has': ['具备认证考评经验', 'Has certification experience'],
    'certificationExperience.description': ['认证考评经验说明', 'Description of the certification experience'],
  });
  add('siteManager', {
    '': ['考核站点负责人', 'Site manager'],
    name: ['姓名', 'Name'],
    phone: ['联系电话', 'Phone'],
    email: ['电子邮箱', 'E-mail'],
    idNumber: ['身份证号码', 'ID number'],
    position: ['职务', 'Position'],
  });
  add('staff', {
    '': ['考务管理团队', 'Exam staff team'],
    '*': ['团队成员', 'Team member'],
    '*.role': ['岗位', 'Role'],
    '*.name': ['姓名', 'Name'],
    '*.phone': ['联系电话', 'Phone'],
    '*.examExperience': ['具备考务组织管理经验', 'Exam organisation experience'],
    '*.experienceDescription': ['考务经验说明', 'Description of the experience'],
  });
  const pc = (prefix: string, zhPc: string, enPc: string) =>
    add(prefix, {
      '': [zhPc, enPc],
      cpu: ['CPU', 'CPU'],
      'cpu.family': ['CPU 系列', 'CPU family'],
      'cpu.generation': ['CPU 代数', 'CPU generation'],
      'cpu.model': ['CPU 型号', 'CPU model'],
      ramGb: ['内存（GB）', 'RAM (GB)'],
      diskGb: ['硬盘（GB）', 'Disk (GB)'],
      ssd: ['固态硬盘', 'SSD'],
      nicMbps: ['有线网卡（Mbps）', 'Wired NIC (Mbps)'],
      screen: ['显示器', 'Screen'],
      'screen.inches': ['显示器尺寸（英寸）', 'Screen size (inches)'],
      'screen.aspect': ['显示器宽高比', 'Screen aspect ratio'],
      'screen.resolution': ['显示器分辨率', 'Screen resolution'],
      'screen.resolution.width': ['水平分辨率', 'Horizontal resolution'],
      'screen.resolution.height': ['垂直分辨率', 'Vertical resolution'],
      os: ['操作系统', 'Operating system'],
      'os.name': ['操作系统版本', 'Operating system version'],
      'os.language': ['操作系统语言', 'Operating system language'],
      'os.bits': ['操作系统位数', 'Operating system bits'],
      chromeVersion: ['谷歌浏览器版本', 'Chrome version'],
      firefoxVersion: ['火狐浏览器版本（备用）', 'Firefox version (spare)'],
      sogouInput: ['搜狗输入法', 'Sogou input method'],
      usbCanBeDisabled: ['考试时可关闭 USB 接口', 'USB ports can be closed during exams'],
      networkSyncRestore: ['可网络同传考试环境并停止还原', 'Network sync of the exam environment, restore stoppable'],
    });
  add('examRooms', {
    '': ['考场（机房）', 'Exam rooms'],
    '*': ['考场', 'Exam room'],
    '*.name': ['考场名称', 'Room name'],
    '*.seats': ['考位数', 'Seats'],
    '*.seatingArrangement': ['就座方式', 'Seating arrangement'],
    '*.seatSpacingM': ['考位间距（米）', 'Seat spacing (m)'],
    '*.candidatePcCount': ['考生机数量', 'Number of candidate PCs'],
    '*.candidateSubnet': ['考生机网段', 'Candidate PC subnet'],
    '*.upsHours': ['不间断电源供电时长（小时）', 'UPS runtime (hours)'],
    '*.cameras': ['监控设备', 'Surveillance cameras'],
    '*.cameras.count': ['摄像头数量', 'Number of cameras'],
    '*.cameras.megapixels': ['摄像头像素（百万）', 'Camera megapixels'],
    '*.cameras.resolution': ['摄像头分辨率', 'Camera resolution'],
    '*.cameras.resolution.width': ['摄像头水平分辨率', 'Camera horizontal resolution'],
    '*.cameras.resolution.height': ['摄像头垂直分辨率', 'Camera vertical resolution'],
    '*.cameras.recordsAudio': ['采集音频', 'Records audio'],
    '*.cameras.storesRecordings': ['存储音视频', 'Stores recordings'],
  });
  pc('examRooms.*.candidatePc', '考生机', 'Candidate PC');
  add('examRooms.*.candidatePc', {
    officeVersion: ['Microsoft Office 版本', 'Microsoft Office version'],
    winrarVersion: ['WinRAR 版本', 'WinRAR version'],
    messagingSoftwareInstalled: ['安装了通讯软件', 'Messaging software installed'],
  });
  pc('examRooms.*.invigilatorPc', '监考机', 'Invigilator PC');
  add('examRooms.*.invigilatorPc', {
    fixedIp: ['固定 IP 地址', 'Fixed IP address'],
    subnetMask: ['子网掩码', 'Subnet mask'],
    electronicClassroomSoftware: ['电子教室软件', 'Electronic classroom software'],
    electronicClassroomSoftwareName: ['电子教室软件名称', 'Electronic classroom software name'],
  });
  add('examOffice', {
    '': ['考务办公室', 'Exam-affairs office'],
    count: ['考务办公室数量', 'Number of exam-affairs offices'],
    description: ['考务办公室说明', 'Description'],
  });
  add('equipment', {
    '': ['其他设备', 'Other equipment'],
    multimediaSet: ['多媒体设备（全站 1 套）', 'Multimedia set (one for the site)'],
    multimediaDescription: ['多媒体设备说明', 'Multimedia set description'],
  });
  add('network', {
    '': ['网络环境', 'Network'],
    lanMbps: ['局域网速率（Mbps）', 'LAN speed (Mbps)'],
    uplinkMbps: ['外网带宽（Mbps）', 'Uplink bandwidth (Mbps)'],
    router: ['上网行为管理路由器', 'Behaviour-management router'],
    'router.model': ['路由器型号', 'Router model'],
    'router.capabilities': ['路由器功能', 'Router capabilities'],
    examSiteReachable: ['考生机可访问考试网站', 'Candidate PCs reach the exam website'],
    nonExamSitesBlocked: ['考试时禁止访问非考试网站', 'Non-exam sites blocked during exams'],
  });
  add('safety', {
    '': ['安全保障', 'Safety'],
    building: ['建筑安全等设施', 'Building facilities'],
    'building.structure': ['建筑安全', 'Building safety'],
    'building.fire': ['消防', 'Fire protection'],
    'building.lighting': ['照明', 'Lighting'],
    'building.ventilation': ['通风', 'Ventilation'],
    'building.sanitation': ['卫生', 'Sanitation'],
    roomsCentralised: ['考场设置相对集中', 'Rooms grouped together'],
    evacuationRoutesCertified: ['安全区域和应急疏散通道经鉴定合格', 'Safe areas and evacuation routes certified'],
    safetyManagementSystem: ['健全的安全管理机制', 'Safety management system'],
    incidents: ['安全事故记录', 'Safety incidents'],
    'incidents.*': ['安全事故', 'Safety incident'],
    'incidents.*.kind': ['事故类型', 'Incident kind'],
    'incidents.*.date': ['发生日期', 'Date'],
    'incidents.*.description': ['事故说明', 'Description'],
    power: ['供电', 'Power supply'],
    'power.stableSupply': ['稳定的供电系统', 'Stable power supply'],
    'power.dualSupply': ['双路供电', 'Dual power supply'],
    support: ['服务保障', 'Support services'],
    'support.security': ['安保', 'Security'],
    'support.logistics': ['后勤', 'Logistics'],
    'support.medical': ['医疗', 'Medical'],
  });
  add('nationalExams', {
    '': ['国家级统一考试组织经验', 'National unified exams organised'],
    '*': ['考试', 'Exam'],
    '*.name': ['考试名称', 'Exam name'],
    '*.year': ['年份', 'Year'],
    '*.candidates': ['考生人数', 'Candidates'],
  });
  return labels;
}

/** The form's small parts live in form-fields.ts (a handler that needs only them does not carry the form); re-exported here. */
export * from './form-fields.ts';

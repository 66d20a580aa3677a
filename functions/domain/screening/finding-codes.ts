import type { Finding, FindingSeverity } from '../../../schemas/findings.schema.ts';

/**
 * Every finding the screening rules can give, with its article and severity.
 * Codes are stable (stored with applications, matched by the portal) and carry
 * no threshold: thresholds belong to a standard version, the messages name
 * them. `refuses` marks findings that make the applicant ineligible (the
 * application is refused, not returned for correction).
 */
export interface FindingDefinition {
  /** Absent for data-integrity checks, which no article asks for. */
  readonly article?: string;
  readonly severity: FindingSeverity;
  readonly refuses?: true;
  readonly zh: string;
  readonly en: string;
}

const blocking = (article: string, zh: string, en: string): FindingDefinition => ({ article, severity: 'blocking', zh, en });
const advisory = (article: string, zh: string, en: string): FindingDefinition => ({ article, severity: 'advisory', zh, en });
/** A check of the data's own consistency: no article (mark it `integrity` in the standard's rules). */
const integrity = (severity: FindingSeverity, zh: string, en: string): FindingDefinition => ({ severity, zh, en });

/** The checks both PCs share; candidate PCs cite Art.11(2)1, invigilator PCs Art.11(2)2. */
const pcDefinitions = <P extends string>(prefix: P, article: string, zhPc: string, enPc: string) => {
  const entries = {
    CPU_BELOW_MINIMUM: blocking(article, `${zhPc} CPU 低于最低配置`, `${enPc} CPU below the minimum`),
    CPU_BELOW_RECOMMENDED: advisory(article, `${zhPc} CPU 低于推荐配置`, `${enPc} CPU below the recommended`),
    CPU_UNLISTED: advisory(article, `${zhPc} CPU 不在标准所列系列中，需评审确认`, `${enPc} CPU not in the listed families; reviewer to confirm`),
    RAM_BELOW_MINIMUM: blocking(article, `${zhPc}内存低于最低配置`, `${enPc} RAM below the minimum`),
    RAM_BELOW_RECOMMENDED: advisory(article, `${zhPc}内存低于推荐配置`, `${enPc} RAM below the recommended`),
    DISK_BELOW_MINIMUM: blocking(article, `${zhPc}硬盘容量低于最低配置`, `${enPc} disk below the minimum`),
    NO_SSD: advisory(article, `${zhPc}未使用推荐的固态硬盘`, `${enPc} has no SSD (recommended)`),
    NIC_BELOW_MINIMUM: blocking(article, `${zhPc}网卡低于最低配置`, `${enPc} NIC below the minimum`),
    NIC_BELOW_RECOMMENDED: advisory(article, `${zhPc}网卡低于推荐的千兆`, `${enPc} NIC below the recommended gigabit`),
    SCREEN_TOO_SMALL: blocking(article, `${zhPc}显示器尺寸不足`, `${enPc} screen too small`),
    SCREEN_NOT_WIDESCREEN: blocking(article, `${zhPc}显示器不是宽屏`, `${enPc} screen not widescreen`),
    RESOLUTION_BELOW_MINIMUM: blocking(article, `${zhPc}分辨率不足`, `${enPc} resolution too low`),
    OS_NOT_SUPPORTED: blocking(article, `${zhPc}操作系统不符合要求`, `${enPc} operating system not supported`),
    OS_NEWER_THAN_STANDARD: advisory(article, `${zhPc}操作系统新于标准所列版本，需评审确认兼容性`, `${enPc} operating system newer than the standard lists; reviewer to confirm`),
    OS_NOT_CHINESE: blocking(article, `${zhPc}操作系统不是中文版`, `${enPc} operating system not Chinese`),
    OS_NOT_64_BIT: blocking(article, `${zhPc}操作系统不是 64 位`, `${enPc} operating system not 64-bit`),
    CHROME_TOO_OLD: blocking(article, `${zhPc}谷歌浏览器版本过低`, `${enPc} Chrome too old`),
    FIREFOX_MISSING: blocking(article, `${zhPc}未安装备用火狐浏览器`, `${enPc} has no spare Firefox`),
    FIREFOX_TOO_OLD: blocking(article, `${zhPc}备用火狐浏览器版本过低`, `${enPc} spare Firefox too old`),
    NO_SOGOU_INPUT: blocking(article, `${zhPc}未安装搜狗输入法`, `${enPc} has no Sogou input method`),
    USB_CANNOT_BE_DISABLED: blocking(article, `${zhPc}考试时无法关闭 USB 接口`, `${enPc} USB ports cannot be closed`),
    NO_NETWORK_SYNC_RESTORE: blocking(article, `${zhPc}不能网络同传考试环境或停止还原`, `${enPc} cannot sync the exam environment or stop restore`),
  };
  return Object.fromEntries(Object.entries(entries).map(([k, v]) => [`${prefix}_${k}`, v])) as {
    [K in keyof typeof entries as `${P}_${K}`]: FindingDefinition;
  };
};

export const FINDING_DEFINITIONS = Object.freeze({
  // Eligibility: the pilot register, never a form field (Art.3(2)).
  NOT_A_PILOT_COLLEGE: { ...blocking('Art.3(2)', '不在试点院校名单中', 'Not on the pilot register'), refuses: true },
  PILOT_COLLEGE_INACTIVE: { ...blocking('Art.3(2)', '试点院校资格已停用', 'Pilot-register entry inactive'), refuses: true },
  // The applicant and its form.
  INSTITUTION_CREDIT_CODE_MISMATCH: integrity('blocking', '申请表统一社会信用代码与申请单位不符', 'Credit code on the form differs from the applicant'),
  INSTITUTION_NAME_DIFFERS_FROM_REGISTER: integrity('advisory', '单位名称与试点院校名单不一致', 'Name differs from the pilot register'),
  INSTITUTION_CITY_DIFFERS_FROM_REGISTER: integrity('advisory', '所在地级市与试点院校名单不一致', 'City differs from the pilot register'),
  NOT_A_LEGAL_ENTITY: blocking('Art.9(1)', '申请单位不具备法人资格', 'Not a legal entity'),
  NO_SCHOOL_RUNNING_LICENCE: blocking('Art.9(1)', '申请单位不具备办学许可', 'No school-running licence'),
  NO_RELATED_MAJOR: blocking('Art.9(1)', '未开设相关专业', 'No related major'),
  MAJOR_DUPLICATE: integrity('blocking', '同一专业填报了两次', 'The same major listed twice'),
  RELATED_ENROLMENT_BELOW_MINIMUM: blocking('Art.9(1)', '相关专业年招生人数不足', 'Related-major enrolment below the minimum'),
  NO_CERTIFICATION_EXPERIENCE: blocking('Art.9(1)', '不具备职业技能认证考评经验', 'No certification experience'),
  CERTIFICATION_EXPERIENCE_NOT_DESCRIBED: blocking('Art.9(1)', '未说明认证考评经验', 'Certification experience not described'),
  // The team.
  STAFF_TEAM_TOO_SMALL: blocking('Art.10(1)', '考务管理团队人数不足', 'Exam staff team too small'),
  STAFF_LEADER_MISSING: blocking('Art.10(1)', '考务管理团队没有组长', 'No team leader'),
  STAFF_LEADER_NOT_UNIQUE: blocking('Art.10(2)1', '考务工作组组长只能设一名', 'More than one team leader'),
  STAFF_PATROL_MISSING: blocking('Art.10(2)2', '考点院校未设巡考人员', 'No patrol inspector for the college'),
  STAFF_INVIGILATORS_FEWER_THAN_ROOMS: blocking('Art.10(2)3', '监考人员少于标准考场数', 'Fewer invigilators than standard exam rooms'),
  STAFF_EXAM_EXECUTOR_MISSING: blocking('Art.10(2)4', '未设考务执行人员', 'No exam executor'),
  STAFF_TECHNICAL_SUPPORT_MISSING: blocking('Art.10(2)5', '未设技术支持人员', 'No technical support'),
  STAFF_LOGISTICS_MISSING: blocking('Art.10(2)6', '未设考务后勤保障人员', 'No logistics'),
  STAFF_LEADER_WITHOUT_EXPERIENCE: blocking('Art.10(1)', '团队负责人不具备考务组织管理经验', 'Team leader lacks exam organisation experience'),
  STAFF_MEMBER_WITHOUT_EXPERIENCE: blocking('Art.9(3)', '团队成员不具备考务组织管理经验', 'Team member lacks exam organisation experience'),
  // Rooms and offices.
  NO_EXAM_ROOM: blocking('Art.9(2)', '未填报考场', 'No exam room'),
  NO_STANDARD_ROOM: blocking('Art.9(2)', '没有一间考场满足条件', 'No exam room meets the standard'),
  ROOM_NOT_ACCREDITED: advisory('Art.9(2)', '该考场不满足条件，不列入认证考场', 'Room below the standard; not accredited'),
  ROOM_NAME_DUPLICATE: integrity('blocking', '考场名称重复', 'Duplicate exam-room name'),
  ROOM_CAPACITY_BELOW_MINIMUM: blocking('Art.9(2)', '考场不能同时容纳规定人数考试', 'Room cannot seat the required candidates at once'),
  ROOM_SEAT_SPACING_BELOW_MINIMUM: blocking('Art.9(2)', '考位间距不足且未隔位而坐', 'Seats too close and not alternate'),
  ROOM_CANDIDATE_PCS_BELOW_MINIMUM: blocking('Art.11(2)1', '考场考生机不足', 'Too few candidate PCs in the exam room'),
  ROOM_UPS_BELOW_MINIMUM: blocking('Art.9(6)', '不间断电源供电时长不足', 'UPS runtime below the minimum'),
  ROOM_CAMERAS_BELOW_MINIMUM: blocking('Art.11(2)4', '监控摄像头数量不足', 'Too few cameras'),
  ROOM_CAMERA_MEGAPIXELS_BELOW_MINIMUM: blocking('Art.11(2)4', '摄像头像素不足', 'Camera megapixels below the minimum'),
  ROOM_CAMERA_RESOLUTION_BELOW_MINIMUM: blocking('Art.11(2)4', '摄像头分辨率不足', 'Camera resolution below the minimum'),
  ROOM_CAMERA_AUDIO_NOT_RECORDED: blocking('Art.11(2)4', '监控不能采集音频', 'Cameras record no audio'),
  ROOM_RECORDINGS_NOT_STORED: blocking('Art.11(2)4', '监控音视频不能存储', 'Recordings not stored'),
  ...pcDefinitions('CANDIDATE_PC', 'Art.11(2)1', '考生机', 'Candidate PC'),
  CANDIDATE_PC_OFFICE_NOT_SUPPORTED: blocking('Art.11(2)1', '考生机办公软件版本不符合要求', 'Candidate PC Office version not supported'),
  CANDIDATE_PC_OFFICE_NEWER_THAN_STANDARD: advisory('Art.11(2)1', '考生机办公软件新于标准所列版本，需评审确认', 'Candidate PC Office newer than the standard lists; reviewer to confirm'),
  CANDIDATE_PC_WINRAR_TOO_OLD: blocking('Art.11(2)1', '考生机 WinRAR 未安装或版本过低', 'Candidate PC WinRAR missing or too old'),
  CANDIDATE_PC_MESSAGING_SOFTWARE_INSTALLED: blocking('Art.11(2)1', '考生机安装了通讯软件', 'Messaging software on candidate PCs'),
  ...pcDefinitions('INVIGILATOR_PC', 'Art.11(2)2', '监考机', 'Invigilator PC'),
  INVIGILATOR_PC_NOT_ON_CANDIDATE_SUBNET: blocking('Art.11(2)2', '监考机 IP 不在考生机网段内', 'Invigilator PC not on the candidate subnet'),
  INVIGILATOR_PC_SUBNET_MASK_MISMATCH: blocking('Art.11(2)2', '监考机子网掩码与考生机网段不一致', 'Invigilator PC subnet mask differs from the candidate subnet'),
  INVIGILATOR_PC_NO_ELECTRONIC_CLASSROOM: blocking('Art.11(2)2', '监考机未安装电子教室软件', 'No electronic classroom software'),
  NO_EXAM_OFFICE: blocking('Art.9(2)', '未设立考务办公室', 'No exam-affairs office'),
  NO_MULTIMEDIA_SET: blocking('Art.11(2)4', '考点无多媒体设备', 'No multimedia set for the site'),
  // Network.
  NETWORK_LAN_BELOW_MINIMUM: blocking('Art.11(2)3', '局域网速率低于百兆', 'LAN below the minimum'),
  NETWORK_LAN_BELOW_RECOMMENDED: advisory('Art.11(2)3', '局域网速率低于推荐的千兆', 'LAN below the recommended gigabit'),
  NETWORK_UPLINK_BELOW_MINIMUM: blocking('Art.11(2)3', '外网带宽不足', 'Uplink below the minimum'),
  NETWORK_EXAM_SITE_UNREACHABLE: blocking('Art.11(2)3', '考生机不能访问考试网站', 'Exam website unreachable'),
  NETWORK_NON_EXAM_SITES_NOT_BLOCKED: blocking('Art.11(2)3', '考试时不能禁止访问非考试网站', 'Non-exam sites not blocked'),
  ROUTER_CAPABILITIES_MISSING: blocking('Art.11(2)4', '上网行为管理路由器功能不全', 'Router capabilities missing'),
  // Safety.
  BUILDING_NOT_COMPLIANT: blocking('Art.9(4)', '建筑安全等设施不符合国家标准', 'Building facilities not compliant'),
  ROOMS_NOT_CENTRALISED: blocking('Art.9(4)', '考场设置不集中', 'Exam rooms not grouped together'),
  EVACUATION_NOT_CERTIFIED: blocking('Art.9(5)', '安全区域和应急疏散通道未经鉴定合格', 'Evacuation routes not certified'),
  NO_SAFETY_MANAGEMENT_SYSTEM: blocking('Art.9(5)', '安全管理机制不健全', 'No safety management system'),
  PAST_SAFETY_INCIDENT: blocking('Art.9(5)', '发生过考题泄露、考场踩踏等安全事故', 'Past safety incident (exam-paper leak, stampede or the like)'),
  POWER_SUPPLY_NOT_STABLE: blocking('Art.9(6)', '供电系统不稳定', 'Power supply not stable'),
  SUPPORT_SERVICES_MISSING: blocking('Art.9(7)', '不具备安保、后勤、医疗等服务条件', 'Security, logistics or medical support missing'),
  NO_NATIONAL_EXAM_EXPERIENCE: blocking('Art.3(4)', '无国家级统一考试组织经验', 'No experience organising national unified exams'),
  // Supporting evidence: the finding cites the article of the kind (Art.3(1)…Art.3(4)).
  EVIDENCE_MISSING: blocking('Art.3', '缺少支撑材料', 'Evidence missing'),
  EVIDENCE_PENDING: blocking('Art.3', '支撑材料尚在校验中', 'Evidence still being validated'),
  EVIDENCE_INVALID: blocking('Art.3', '支撑材料不合格', 'Evidence invalid'),
  EVIDENCE_TOO_FEW: blocking('Art.3', '支撑材料数量不足', 'Too few evidence files'),
  EVIDENCE_TAG_MISSING: blocking('Art.3', '支撑材料未覆盖所需内容', 'Evidence does not cover every required subject'),
} satisfies Record<string, FindingDefinition>);

export type FindingCode = keyof typeof FINDING_DEFINITIONS;

/** Every finding code, for documentation and for the portal. */
export const FINDING_CODES = Object.freeze(Object.keys(FINDING_DEFINITIONS) as FindingCode[]);

export type FindingParams = NonNullable<Finding['params']>;

/**
 * Builds a finding from its definition; `article` overrides the definition's
 * for the evidence findings, which cite the clause of the evidence kind.
 */
export function makeFinding(
  code: FindingCode,
  path: string,
  message: { zh: string; en: string },
  params?: FindingParams,
  article?: string,
): Finding {
  const definition: FindingDefinition = FINDING_DEFINITIONS[code];
  const cited = article ?? definition.article;
  return {
    code,
    ...(cited ? { article: cited } : {}),
    severity: definition.severity,
    path,
    zh: message.zh,
    en: message.en,
    ...(params ? { params } : {}),
  };
}

/** True when the finding makes the applicant ineligible. */
export function isRefusal(finding: Finding): boolean {
  const definition = (FINDING_DEFINITIONS as Record<string, FindingDefinition>)[finding.code];
  return definition?.refuses === true;
}

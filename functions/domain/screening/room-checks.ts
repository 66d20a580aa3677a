import type { CandidatePc, ExamRoom, InvigilatorPc, PcBase, SeatingArrangement } from '../../../schemas/application-form.schema.ts';
import type { Finding } from '../../../schemas/findings.schema.ts';
import { formatIpv4, isHostInCidr, maskToPrefix, parseCidr, prefixToMask } from '../../../schemas/validators/ipv4.ts';
import { type FindingCode, type FindingParams, makeFinding } from './finding-codes.ts';
import { type AccreditationStandard, CPU_RANK, type PcStandard } from './standard-versions.ts';

type Message = { zh: string; en: string };
type PcKind = 'CANDIDATE_PC' | 'INVIGILATOR_PC';
type PcSuffix<K extends PcKind> = FindingCode extends infer C ? (C extends `${K}_${infer S}` ? S : never) : never;
type SharedSuffix = PcSuffix<'CANDIDATE_PC'> & PcSuffix<'INVIGILATOR_PC'>;

/** A room the site is accredited for (Art.9(2)): exam sessions are scheduled only in these. */
export interface AccreditedRoom {
  readonly name: string;
  readonly seats: number;
  readonly seatingArrangement: SeatingArrangement;
  /** Candidates who can sit at once. */
  readonly capacity: number;
}

/**
 * Art.9(2) 能够同时满足 40 人…（或隔位而坐）: the candidates a room seats at
 * once. With alternate seating every other seat stays empty, so 40 seats
 * hold 20; and every candidate sits at a candidate PC (the exams are taken
 * on PCs, Art.11(1)), so the PCs bound it too.
 */
export function roomCapacity(room: Pick<ExamRoom, 'seats' | 'seatingArrangement' | 'candidatePcCount'>): number {
  const bySeating = room.seatingArrangement === 'alternate-seat' ? Math.floor(room.seats / 2) : room.seats;
  return Math.min(bySeating, room.candidatePcCount);
}

/**
 * Art.9(2) 满足条件的考试场地…不少于 1 间: each room is judged on its own
 * (Art.9(2), Art.9(6), Art.11). When at least the minimum number of rooms
 * meets the standard, a room that does not is no reason to return the
 * application: it gets one advisory finding naming it and why, and the site
 * is accredited for the rooms that pass. When too few pass, every shortfall
 * of every room blocks.
 */
export function assessRooms(rooms: readonly ExamRoom[], standard: AccreditationStandard): { findings: Finding[]; standardRooms: AccreditedRoom[] } {
  if (rooms.length === 0) {
    return {
      findings: [
        makeFinding(
          'NO_EXAM_ROOM',
          'examRooms',
          {
            zh: `未填报考场，满足条件的考场至少需要 ${standard.minExamRooms} 间`,
            en: `No exam room is listed; at least ${standard.minExamRooms} meeting the standard is required`,
          },
          { actual: 0, required: standard.minExamRooms },
        ),
      ],
      standardRooms: [],
    };
  }
  const integrity: Finding[] = [];
  const seen = new Map<string, number>();
  const judged = rooms.map((room, index) => {
    const key = room.name.trim();
    const first = seen.get(key);
    const duplicate = first !== undefined;
    if (duplicate) {
      integrity.push(
        makeFinding('ROOM_NAME_DUPLICATE', `examRooms.${index}.name`, {
          zh: `考场名称「${room.name}」重复（第 ${first + 1} 与第 ${index + 1} 个考场）`,
          en: `Exam rooms ${first + 1} and ${index + 1} are both named ${room.name}`,
        }),
      );
    } else {
      seen.set(key, index);
    }
    const findings = checkRoom(room, `examRooms.${index}`, standard);
    return { room, index, duplicate, findings, meets: !findings.some((f) => f.severity === 'blocking') };
  });
  const passing = judged.filter((r) => r.meets && !r.duplicate);
  const standardRooms = passing.map(({ room }) => ({ name: room.name.trim(), seats: room.seats, seatingArrangement: room.seatingArrangement, capacity: roomCapacity(room) }));
  if (passing.length < standard.minExamRooms) {
    return {
      findings: [
        ...integrity,
        makeFinding(
          'NO_STANDARD_ROOM',
          'examRooms',
          {
            zh: `满足条件的考场 ${passing.length} 间，至少需要 ${standard.minExamRooms} 间（见各考场的问题）`,
            en: `${passing.length} exam rooms meet the standard; at least ${standard.minExamRooms} is required (see each room's findings)`,
          },
          { actual: passing.length, required: standard.minExamRooms },
        ),
        ...judged.flatMap((r) => r.findings),
      ],
      standardRooms: [],
    };
  }
  const findings = [...integrity];
  for (const r of judged) {
    const blocking = r.findings.filter((f) => f.severity === 'blocking');
    findings.push(...r.findings.filter((f) => f.severity !== 'blocking'));
    if (blocking.length === 0) continue;
    findings.push(
      makeFinding(
        'ROOM_NOT_ACCREDITED',
        `examRooms.${r.index}`,
        {
          zh: `考场「${r.room.name}」不满足条件，不列入认证考场（本站点以其余 ${passing.length} 间满足条件的考场认证）：${blocking.map((f) => f.zh).join('；')}`,
          en: `Exam room ${r.room.name} is below the standard and will not be accredited (the site is accredited for the other ${passing.length} room(s) that meet it): ${blocking.map((f) => f.en).join('; ')}`,
        },
        { room: r.room.name, codes: blocking.map((f) => f.code).join(',') },
      ),
    );
  }
  return { findings, standardRooms };
}

/** The findings of `assessRooms`. */
export function checkRooms(rooms: readonly ExamRoom[], standard: AccreditationStandard): Finding[] {
  return assessRooms(rooms, standard).findings;
}

/** The rooms a site is accredited for: those meeting the standard, when enough do (none otherwise). */
export function accreditedRooms(rooms: readonly ExamRoom[], standard: AccreditationStandard): AccreditedRoom[] {
  return assessRooms(rooms, standard).standardRooms;
}

function checkRoom(room: ExamRoom, path: string, s: AccreditationStandard): Finding[] {
  const findings: Finding[] = [];
  const zhRoom = `考场「${room.name}」`;
  const enRoom = `Exam room ${room.name}`;
  const push = (code: FindingCode, field: string, message: Message, params?: FindingParams) =>
    findings.push(makeFinding(code, `${path}.${field}`, message, params));

  const capacity = roomCapacity(room);
  if (capacity < s.minCandidatesAtOnce) {
    const alternate = room.seatingArrangement === 'alternate-seat';
    push(
      'ROOM_CAPACITY_BELOW_MINIMUM',
      'seats',
      {
        zh: `${zhRoom}${alternate ? '隔位而坐，' : ''}${room.seats} 个考位、${room.candidatePcCount} 台考生机，同时只能容纳 ${capacity} 人考试，须能同时容纳 ${s.minCandidatesAtOnce} 人`,
        en: `${enRoom}${alternate ? ' (alternate seating)' : ''} with ${room.seats} seats and ${room.candidatePcCount} candidate PCs seats ${capacity} candidates at once; ${s.minCandidatesAtOnce} must sit at once`,
      },
      { actual: capacity, required: s.minCandidatesAtOnce, seats: room.seats, seatingArrangement: room.seatingArrangement },
    );
  }
  if (room.seatingArrangement === 'every-seat' && (room.seatSpacingM === undefined || room.seatSpacingM < s.minSeatSpacingM)) {
    const spacing = room.seatSpacingM === undefined ? { zh: '未填写', en: 'not given' } : { zh: `${room.seatSpacingM} 米`, en: `${room.seatSpacingM} m` };
    push(
      'ROOM_SEAT_SPACING_BELOW_MINIMUM',
      'seatSpacingM',
      {
        zh: `${zhRoom}每个考位就座，考位间距${spacing.zh}，须不小于 ${s.minSeatSpacingM} 米，或隔位而坐`,
        en: `${enRoom} uses every seat and its seat spacing is ${spacing.en}; it must be at least ${s.minSeatSpacingM} m, or candidates sit every other seat`,
      },
      { actual: room.seatSpacingM ?? 'none', required: s.minSeatSpacingM },
    );
  }
  if (room.candidatePcCount < s.minCandidatePcsPerRoom) {
    push(
      'ROOM_CANDIDATE_PCS_BELOW_MINIMUM',
      'candidatePcCount',
      {
        zh: `${zhRoom}考生机 ${room.candidatePcCount} 台，少于 ${s.minCandidatePcsPerRoom} 台`,
        en: `${enRoom} has ${room.candidatePcCount} candidate PCs; at least ${s.minCandidatePcsPerRoom} are required`,
      },
      { actual: room.candidatePcCount, required: s.minCandidatePcsPerRoom },
    );
  }
  if (room.upsHours < s.minUpsHours) {
    push(
      'ROOM_UPS_BELOW_MINIMUM',
      'upsHours',
      {
        zh: `${zhRoom}不间断电源可供电 ${room.upsHours} 小时，少于 ${s.minUpsHours} 小时`,
        en: `${enRoom} UPS keeps the candidate PCs running ${room.upsHours} h; at least ${s.minUpsHours} h is required`,
      },
      { actual: room.upsHours, required: s.minUpsHours },
    );
  }
  const cam = room.cameras;
  if (cam.count < s.minCameras) {
    push(
      'ROOM_CAMERAS_BELOW_MINIMUM',
      'cameras.count',
      {
        zh: `${zhRoom}监控摄像头 ${cam.count} 个，少于 ${s.minCameras} 个`,
        en: `${enRoom} has ${cam.count} cameras; at least ${s.minCameras} are required`,
      },
      { actual: cam.count, required: s.minCameras },
    );
  }
  if (cam.megapixels < s.minCameraMp) {
    push(
      'ROOM_CAMERA_MEGAPIXELS_BELOW_MINIMUM',
      'cameras.megapixels',
      {
        zh: `${zhRoom}摄像头 ${cam.megapixels * 100} 万像素，低于 ${s.minCameraMp * 100} 万像素`,
        en: `${enRoom} cameras have ${cam.megapixels} MP; at least ${s.minCameraMp} MP is required`,
      },
      { actual: cam.megapixels, required: s.minCameraMp },
    );
  }
  if (belowResolution(cam.resolution, s.minCameraResolution)) {
    push(
      'ROOM_CAMERA_RESOLUTION_BELOW_MINIMUM',
      'cameras.resolution',
      {
        zh: `${zhRoom}摄像头分辨率 ${res(cam.resolution)}，低于 ${res(s.minCameraResolution)}`,
        en: `${enRoom} cameras record ${res(cam.resolution)}; at least ${res(s.minCameraResolution)} is required`,
      },
      { actual: res(cam.resolution), required: res(s.minCameraResolution) },
    );
  }
  if (!cam.recordsAudio) {
    push('ROOM_CAMERA_AUDIO_NOT_RECORDED', 'cameras.recordsAudio', {
      zh: `${zhRoom}监控不能采集音频，须实现考试全过程音视频采集`,
      en: `${enRoom} cameras record no audio; the whole exam must be recorded in sound and picture`,
    });
  }
  if (!cam.storesRecordings) {
    push('ROOM_RECORDINGS_NOT_STORED', 'cameras.storesRecordings', {
      zh: `${zhRoom}监控音视频不能存储`,
      en: `${enRoom} recordings are not stored`,
    });
  }
  findings.push(...checkCandidatePc(room.candidatePc, `${path}.candidatePc`, zhRoom, enRoom, s));
  findings.push(...checkInvigilatorPc(room, `${path}.invigilatorPc`, zhRoom, enRoom, s));
  return findings;
}

function checkCandidatePc(pc: CandidatePc, path: string, zhRoom: string, enRoom: string, s: AccreditationStandard): Finding[] {
  const zhPc = `${zhRoom}考生机`;
  const enPc = `${enRoom}, candidate PCs`;
  const findings = checkPcBase('CANDIDATE_PC', pc, path, zhPc, enPc, s.candidatePc);
  const push = (code: FindingCode, field: string, message: Message, params?: FindingParams) =>
    findings.push(makeFinding(code, `${path}.${field}`, message, params));
  const allowed = s.officeAllowed.join('/');
  if (s.officeTolerated.includes(pc.officeVersion)) {
    push(
      'CANDIDATE_PC_OFFICE_NEWER_THAN_STANDARD',
      'officeVersion',
      {
        zh: `${zhPc}办公软件为 Office ${pc.officeVersion}，标准要求 Office ${allowed}，需评审确认兼容性`,
        en: `${enPc}: Office ${pc.officeVersion}; the standard names Office ${allowed}, a reviewer will confirm compatibility`,
      },
      { actual: pc.officeVersion, required: allowed },
    );
  } else if (!s.officeAllowed.includes(pc.officeVersion)) {
    push(
      'CANDIDATE_PC_OFFICE_NOT_SUPPORTED',
      'officeVersion',
      {
        zh: `${zhPc}办公软件为 ${pc.officeVersion === 'none' ? '未安装' : `Office ${pc.officeVersion}`}，须为 Microsoft Office ${allowed}`,
        en: `${enPc}: ${pc.officeVersion === 'none' ? 'no Office' : `Office ${pc.officeVersion}`}; Microsoft Office ${allowed} is required`,
      },
      { actual: pc.officeVersion, required: allowed },
    );
  }
  if (pc.winrarVersion === undefined || pc.winrarVersion < s.winrarMin) {
    const actual = pc.winrarVersion === undefined ? { zh: '未安装', en: 'is not installed' } : { zh: `版本 ${pc.winrarVersion}`, en: `is version ${pc.winrarVersion}` };
    push(
      'CANDIDATE_PC_WINRAR_TOO_OLD',
      'winrarVersion',
      {
        zh: `${zhPc} WinRAR ${actual.zh}，须为 ${s.winrarMin.toFixed(1)} 或以上版本`,
        en: `${enPc}: WinRAR ${actual.en}; ${s.winrarMin.toFixed(1)} or later is required`,
      },
      { actual: pc.winrarVersion ?? 'none', required: s.winrarMin },
    );
  }
  if (pc.messagingSoftwareInstalled) {
    push('CANDIDATE_PC_MESSAGING_SOFTWARE_INSTALLED', 'messagingSoftwareInstalled', {
      zh: `${zhPc}安装了通讯软件，考生机禁止安装任何通讯软件`,
      en: `${enPc}: messaging software installed; none is allowed`,
    });
  }
  return findings;
}

function checkInvigilatorPc(room: ExamRoom, path: string, zhRoom: string, enRoom: string, s: AccreditationStandard): Finding[] {
  const pc: InvigilatorPc = room.invigilatorPc;
  const zhPc = `${zhRoom}监考机`;
  const enPc = `${enRoom}, invigilator PC`;
  const findings = checkPcBase('INVIGILATOR_PC', pc, path, zhPc, enPc, s.invigilatorPc);
  const subnet = parseCidr(room.candidateSubnet);
  if (subnet && !isHostInCidr(pc.fixedIp, subnet)) {
    findings.push(
      makeFinding(
        'INVIGILATOR_PC_NOT_ON_CANDIDATE_SUBNET',
        `${path}.fixedIp`,
        {
          zh: `${zhPc} IP 地址 ${pc.fixedIp} 不在考生机网段 ${room.candidateSubnet} 的可用地址内`,
          en: `${enPc}: IP ${pc.fixedIp} is not a host address of the candidate subnet ${room.candidateSubnet}`,
        },
        { actual: pc.fixedIp, required: room.candidateSubnet },
      ),
    );
  }
  if (subnet && maskToPrefix(pc.subnetMask) !== subnet.prefix) {
    const expected = formatIpv4(prefixToMask(subnet.prefix));
    findings.push(
      makeFinding(
        'INVIGILATOR_PC_SUBNET_MASK_MISMATCH',
        `${path}.subnetMask`,
        {
          zh: `${zhPc}子网掩码 ${pc.subnetMask} 与考生机网段 ${room.candidateSubnet} 不一致（应为 ${expected}）`,
          en: `${enPc}: subnet mask ${pc.subnetMask}, but the candidate subnet ${room.candidateSubnet} needs ${expected}`,
        },
        { actual: pc.subnetMask, required: expected },
      ),
    );
  }
  if (!pc.electronicClassroomSoftware) {
    findings.push(
      makeFinding('INVIGILATOR_PC_NO_ELECTRONIC_CLASSROOM', `${path}.electronicClassroomSoftware`, {
        zh: `${zhPc}未安装电子教室软件`,
        en: `${enPc}: no electronic classroom software`,
      }),
    );
  }
  return findings;
}

/** The hardware and common software of Art.11(2)1 and Art.11(2)2, against minimum and recommended. */
function checkPcBase(kind: PcKind, pc: PcBase, path: string, zhPc: string, enPc: string, s: PcStandard): Finding[] {
  const findings: Finding[] = [];
  const push = (suffix: SharedSuffix, field: string, message: Message, params?: FindingParams) =>
    findings.push(makeFinding(`${kind}_${suffix}` as FindingCode, `${path}.${field}`, message, params));

  const rank = CPU_RANK[pc.cpu.family];
  const cpu = cpuName(pc.cpu.family);
  if (rank === undefined) {
    push('CPU_UNLISTED', 'cpu.family', {
      zh: `${zhPc} CPU 不在英特尔酷睿系列中${pc.cpu.model ? `（${pc.cpu.model}）` : ''}，需评审确认不低于 ${cpuName(s.minCpu)}`,
      en: `${enPc}: CPU is not an Intel Core${pc.cpu.model ? ` (${pc.cpu.model})` : ''}; a reviewer will confirm it matches at least a ${cpuName(s.minCpu)}`,
    });
  } else if (rank < CPU_RANK[s.minCpu]!) {
    push(
      'CPU_BELOW_MINIMUM',
      'cpu.family',
      { zh: `${zhPc} CPU 为 ${cpu}，最低要求 ${cpuName(s.minCpu)}`, en: `${enPc}: CPU is ${cpu}; at least ${cpuName(s.minCpu)} is required` },
      { actual: pc.cpu.family, required: s.minCpu },
    );
  } else if (rank < CPU_RANK[s.recCpu]!) {
    push(
      'CPU_BELOW_RECOMMENDED',
      'cpu.family',
      { zh: `${zhPc} CPU 为 ${cpu}，推荐 ${cpuName(s.recCpu)} 或以上`, en: `${enPc}: CPU is ${cpu}; ${cpuName(s.recCpu)} or better is recommended` },
      { actual: pc.cpu.family, recommended: s.recCpu },
    );
  }
  minRec(push, 'RAM', 'ramGb', pc.ramGb, s.minRamGb, s.recRamGb, { zh: `${zhPc}内存`, en: `${enPc}: RAM is` }, 'GB');
  if (pc.diskGb < s.minDiskGb) {
    push(
      'DISK_BELOW_MINIMUM',
      'diskGb',
      { zh: `${zhPc}硬盘 ${pc.diskGb} GB，低于 ${s.minDiskGb} GB`, en: `${enPc}: disk is ${pc.diskGb} GB; at least ${s.minDiskGb} GB is required` },
      { actual: pc.diskGb, required: s.minDiskGb },
    );
  }
  if (s.recSsd && !pc.ssd) {
    push('NO_SSD', 'ssd', { zh: `${zhPc}未使用固态硬盘（推荐）`, en: `${enPc}: no SSD (recommended)` });
  }
  minRec(push, 'NIC', 'nicMbps', pc.nicMbps, s.minNicMbps, s.recNicMbps, { zh: `${zhPc}有线网卡`, en: `${enPc}: wired NIC is` }, 'Mbps');
  if (pc.screen.inches < s.minScreenInches) {
    push(
      'SCREEN_TOO_SMALL',
      'screen.inches',
      {
        zh: `${zhPc}显示器 ${pc.screen.inches} 寸，须 ${s.minScreenInches} 寸以上`,
        en: `${enPc}: screen is ${pc.screen.inches}"; at least ${s.minScreenInches}" is required`,
      },
      { actual: pc.screen.inches, required: s.minScreenInches },
    );
  }
  if (!s.screenAspects.includes(pc.screen.aspect)) {
    push(
      'SCREEN_NOT_WIDESCREEN',
      'screen.aspect',
      {
        zh: `${zhPc}显示器宽高比 ${pc.screen.aspect}，须为宽屏（${s.screenAspects.join('/')}）`,
        en: `${enPc}: screen is ${pc.screen.aspect}; a widescreen (${s.screenAspects.join('/')}) is required`,
      },
      { actual: pc.screen.aspect, required: s.screenAspects.join('/') },
    );
  }
  if (belowResolution(pc.screen.resolution, s.minResolution)) {
    push(
      'RESOLUTION_BELOW_MINIMUM',
      'screen.resolution',
      {
        zh: `${zhPc}分辨率 ${res(pc.screen.resolution)}，低于 ${res(s.minResolution)}`,
        en: `${enPc}: resolution is ${res(pc.screen.resolution)}; at least ${res(s.minResolution)} is required`,
      },
      { actual: res(pc.screen.resolution), required: res(s.minResolution) },
    );
  }
  const osRange = `${osName(s.osAllowed[0]!)}–${osName(s.osAllowed[s.osAllowed.length - 1]!)}`;
  if (s.osTolerated.includes(pc.os.name)) {
    push(
      'OS_NEWER_THAN_STANDARD',
      'os.name',
      {
        zh: `${zhPc}操作系统为 ${osName(pc.os.name)}，标准要求 ${osRange}，需评审确认兼容性`,
        en: `${enPc}: ${osName(pc.os.name)}; the standard names ${osRange}, a reviewer will confirm compatibility`,
      },
      { actual: pc.os.name, required: s.osAllowed.join('/') },
    );
  } else if (!s.osAllowed.includes(pc.os.name)) {
    push(
      'OS_NOT_SUPPORTED',
      'os.name',
      {
        zh: `${zhPc}操作系统为 ${osName(pc.os.name)}，须为 ${osRange}`,
        en: `${enPc}: ${osName(pc.os.name)}; ${osRange} is required`,
      },
      { actual: pc.os.name, required: s.osAllowed.join('/') },
    );
  }
  if (pc.os.language !== s.osLanguage) {
    push(
      'OS_NOT_CHINESE',
      'os.language',
      { zh: `${zhPc}操作系统语言为 ${pc.os.language}，须为中文版`, en: `${enPc}: operating system is in ${pc.os.language}; the Chinese edition is required` },
      { actual: pc.os.language, required: s.osLanguage },
    );
  }
  if (pc.os.bits !== s.osBits) {
    push(
      'OS_NOT_64_BIT',
      'os.bits',
      { zh: `${zhPc}操作系统为 ${pc.os.bits} 位，须为 ${s.osBits} 位`, en: `${enPc}: operating system is ${pc.os.bits}-bit; ${s.osBits}-bit is required` },
      { actual: pc.os.bits, required: s.osBits },
    );
  }
  if (pc.chromeVersion < s.chromeMin) {
    push(
      'CHROME_TOO_OLD',
      'chromeVersion',
      {
        zh: `${zhPc}谷歌浏览器版本 ${pc.chromeVersion}，须为稳定版 ${s.chromeMin} 或以上`,
        en: `${enPc}: Chrome is version ${pc.chromeVersion}; stable ${s.chromeMin} or later is required`,
      },
      { actual: pc.chromeVersion, required: s.chromeMin },
    );
  }
  if (pc.firefoxVersion === undefined) {
    push('FIREFOX_MISSING', 'firefoxVersion', {
      zh: `${zhPc}未安装备用火狐浏览器（须为稳定版 ${s.firefoxMin} 或以上）`,
      en: `${enPc}: no spare Firefox (stable ${s.firefoxMin} or later is required)`,
    });
  } else if (pc.firefoxVersion < s.firefoxMin) {
    push(
      'FIREFOX_TOO_OLD',
      'firefoxVersion',
      {
        zh: `${zhPc}备用火狐浏览器版本 ${pc.firefoxVersion}，须为稳定版 ${s.firefoxMin} 或以上`,
        en: `${enPc}: spare Firefox is version ${pc.firefoxVersion}; stable ${s.firefoxMin} or later is required`,
      },
      { actual: pc.firefoxVersion, required: s.firefoxMin },
    );
  }
  if (!pc.sogouInput) {
    push('NO_SOGOU_INPUT', 'sogouInput', { zh: `${zhPc}未安装搜狗拼音、搜狗五笔输入法`, en: `${enPc}: no Sogou Pinyin / Wubi input method` });
  }
  if (!pc.usbCanBeDisabled) {
    push('USB_CANNOT_BE_DISABLED', 'usbCanBeDisabled', { zh: `${zhPc}考试时不能关闭 USB 接口`, en: `${enPc}: USB ports cannot be closed during exams` });
  }
  if (!pc.networkSyncRestore) {
    push('NO_NETWORK_SYNC_RESTORE', 'networkSyncRestore', {
      zh: `${zhPc}不能网络同传考试环境或停止软硬件还原`,
      en: `${enPc}: cannot receive the exam environment over the network or stop hardware/software restore`,
    });
  }
  return findings;
}

function minRec(
  push: (suffix: SharedSuffix, field: string, message: Message, params?: FindingParams) => void,
  what: 'RAM' | 'NIC',
  field: string,
  actual: number,
  min: number,
  rec: number,
  subject: Message,
  unit: string,
): void {
  if (actual < min) {
    push(
      `${what}_BELOW_MINIMUM`,
      field,
      { zh: `${subject.zh} ${actual} ${unit}，低于最低配置 ${min} ${unit}`, en: `${subject.en} ${actual} ${unit}; at least ${min} ${unit} is required` },
      { actual, required: min },
    );
  } else if (actual < rec) {
    push(
      `${what}_BELOW_RECOMMENDED`,
      field,
      { zh: `${subject.zh} ${actual} ${unit}，推荐 ${rec} ${unit}`, en: `${subject.en} ${actual} ${unit}; ${rec} ${unit} is recommended` },
      { actual, recommended: rec },
    );
  }
}

function belowResolution(actual: { width: number; height: number }, min: { width: number; height: number }): boolean {
  return actual.width < min.width || actual.height < min.height;
}

function res(r: { width: number; height: number }): string {
  return `${r.width}×${r.height}`;
}

function cpuName(family: string): string {
  const names: Record<string, string> = {
    'celeron-pentium': 'Celeron/Pentium',
    'core-i3': 'Core i3',
    'core-i5': 'Core i5',
    'core-i7': 'Core i7',
    'core-i9': 'Core i9',
  };
  return names[family] ?? family;
}

function osName(name: string): string {
  return name.startsWith('windows-') ? `Windows ${name.slice('windows-'.length)}` : name;
}

import type { ApplicationForm, StaffRole } from '../../../schemas/application-form.schema.ts';
import type { Finding } from '../../../schemas/findings.schema.ts';
import { findRelatedMajor } from '../../../schemas/validators/related-majors.ts';
import { type FindingCode, makeFinding } from './finding-codes.ts';
import type { AccreditationStandard, CountedRole } from './standard-versions.ts';

/** Zh / en names of the staff roles, as Art.10(1) names them. */
export const STAFF_ROLE_LABELS: Readonly<Record<StaffRole, { zh: string; en: string }>> = Object.freeze({
  leader: { zh: '考务工作组组长', en: 'leader' },
  'patrol-inspector': { zh: '巡考人员', en: 'patrol inspector' },
  invigilator: { zh: '监考人员', en: 'invigilator' },
  'exam-executor': { zh: '考务执行人员', en: 'exam executor' },
  'technical-support': { zh: '技术支持人员', en: 'technical support' },
  logistics: { zh: '考务后勤保障人员', en: 'logistics' },
});

/** Art.9(1): legal entity with a school-running licence. */
export function checkInstitution(form: ApplicationForm): Finding[] {
  const findings: Finding[] = [];
  const { institution } = form;
  if (!institution.legalEntity) {
    findings.push(
      makeFinding('NOT_A_LEGAL_ENTITY', 'institution.legalEntity', {
        zh: `「${institution.name}」不是法人单位，考核站点须由具备办学许可的法人单位申报`,
        en: `${institution.name} is not a legal entity; an exam site must be a licensed legal entity`,
      }),
    );
  }
  if (!institution.schoolRunningLicence.held) {
    findings.push(
      makeFinding('NO_SCHOOL_RUNNING_LICENCE', 'institution.schoolRunningLicence.held', {
        zh: `「${institution.name}」未具备办学许可`,
        en: `${institution.name} holds no school-running licence`,
      }),
    );
  }
  return findings;
}

/**
 * Art.9(1): related majors enrolling at least the minimum a year. The majors
 * are chosen from the catalogue of the majors the article names (the form's
 * schema admits no other), so every listed major is related. The text reads
 * "相关专业年招生人数不少于40人": the related majors are taken together
 * (policy), so the sum over them is compared.
 */
export function checkMajors(form: ApplicationForm, standard: AccreditationStandard): Finding[] {
  const findings: Finding[] = [];
  const items = form.majors.items;
  const seen = new Map<string, number>();
  items.forEach((m, index) => {
    const first = seen.get(m.majorCode);
    if (first === undefined) {
      seen.set(m.majorCode, index);
      return;
    }
    const name = findRelatedMajor(m.majorCode)?.zh ?? m.majorCode;
    findings.push(
      makeFinding('MAJOR_DUPLICATE', `majors.items.${index}.majorCode`, {
        zh: `专业「${name}」（${m.majorCode}）填报了两次（第 ${first + 1} 与第 ${index + 1} 项）`,
        en: `Major ${m.majorCode} is listed twice (items ${first + 1} and ${index + 1})`,
      }, { majorCode: m.majorCode }),
    );
  });
  if (items.length === 0) {
    findings.push(
      makeFinding('NO_RELATED_MAJOR', 'majors.items', {
        zh: '未填报财经商贸类、经济贸易类、语言类或工商管理类相关专业',
        en: 'No related major (finance and commerce, economics and trade, language, or business administration) is listed',
      }),
    );
  } else {
    const total = [...seen.values()].reduce((sum, index) => sum + items[index]!.annualEnrolment, 0);
    if (total < standard.minEnrolment) {
      findings.push(
        makeFinding(
          'RELATED_ENROLMENT_BELOW_MINIMUM',
          'majors.items',
          {
            zh: `相关专业年招生人数合计 ${total} 人，少于 ${standard.minEnrolment} 人`,
            en: `The related majors enrol ${total} students a year in total; at least ${standard.minEnrolment} are required`,
          },
          { actual: total, required: standard.minEnrolment },
        ),
      );
    }
  }
  const experience = form.majors.certificationExperience;
  if (!experience.has) {
    findings.push(
      makeFinding('NO_CERTIFICATION_EXPERIENCE', 'majors.certificationExperience.has', {
        zh: '不具备相关职业技能认证考评经验',
        en: 'The institution has no experience running vocational certification exams',
      }),
    );
  } else if (!experience.description?.trim()) {
    findings.push(
      makeFinding('CERTIFICATION_EXPERIENCE_NOT_DESCRIBED', 'majors.certificationExperience.description', {
        zh: '请说明相关职业技能认证考评经验',
        en: 'Describe the certification experience',
      }),
    );
  }
  return findings;
}

/** Art.10(1)–(2): the finding and clause of each role held by a fixed number of people. */
const ROLE_RULES: Readonly<Record<CountedRole, { code: FindingCode; clause: string }>> = {
  leader: { code: 'STAFF_LEADER_MISSING', clause: '第十条第一款' },
  'patrol-inspector': { code: 'STAFF_PATROL_MISSING', clause: '第十条第二款第 2 项（每个考点院校 1 名）' },
  'exam-executor': { code: 'STAFF_EXAM_EXECUTOR_MISSING', clause: '第十条第二款第 4 项' },
  'technical-support': { code: 'STAFF_TECHNICAL_SUPPORT_MISSING', clause: '第十条第二款第 5 项' },
  logistics: { code: 'STAFF_LOGISTICS_MISSING', clause: '第十条第二款第 6 项' },
};

/**
 * Art.9(3), Art.10: a team of at least six people; one leader (the one first
 * responsible, Art.10(2)1); one patrol inspector for the college; one
 * invigilator per standard room (the rooms that meet the standard); one
 * exam executor, one technical support, one logistics; every member with
 * experience organising exams (Art.9(3), the leader Art.10(1)). Each rule has
 * its own finding and clause.
 */
export function checkStaff(form: ApplicationForm, standard: AccreditationStandard, standardRoomCount = form.examRooms.length): Finding[] {
  const findings: Finding[] = [];
  // One person may hold two roles; Art.9(3) counts people, so count distinct names and phones.
  const people = new Set(form.staff.map((m) => `${m.name.trim()}|${m.phone.replace(/\D/g, '')}`));
  if (people.size < standard.minTeam) {
    findings.push(
      makeFinding(
        'STAFF_TEAM_TOO_SMALL',
        'staff',
        {
          zh: `考务管理团队 ${people.size} 人，少于 ${standard.minTeam} 人`,
          en: `The exam staff team has ${people.size} people; at least ${standard.minTeam} are required`,
        },
        { actual: people.size, required: standard.minTeam },
      ),
    );
  }
  const byRole = (role: StaffRole) => form.staff.flatMap((m, index) => (m.role === role ? [{ m, index }] : []));
  for (const role of Object.keys(ROLE_RULES) as CountedRole[]) {
    const held = byRole(role).length;
    const required = standard.roleMinimums[role];
    if (held >= required) continue;
    const label = STAFF_ROLE_LABELS[role];
    findings.push(
      makeFinding(
        ROLE_RULES[role].code,
        'staff',
        {
          zh: `考务管理团队${label.zh} ${held} 名，须设 ${required} 名（${ROLE_RULES[role].clause}）`,
          en: `The exam staff team has ${held} ${label.en}; ${required} is required`,
        },
        { role, actual: held, required },
      ),
    );
  }
  const leaders = byRole('leader');
  if (leaders.length > standard.maxLeaders) {
    findings.push(
      makeFinding(
        'STAFF_LEADER_NOT_UNIQUE',
        `staff.${leaders[standard.maxLeaders]!.index}.role`,
        {
          zh: `考务管理团队有 ${leaders.length} 名${STAFF_ROLE_LABELS.leader.zh}，组长是考点考务工作的第一责任人，只能设 ${standard.maxLeaders} 名`,
          en: `The exam staff team has ${leaders.length} leaders; the leader is the one first responsible person, so there must be ${standard.maxLeaders}`,
        },
        { role: 'leader', actual: leaders.length, required: standard.maxLeaders },
      ),
    );
  }
  const invigilators = byRole('invigilator').length;
  const needed = Math.max(standardRoomCount, standard.minExamRooms) * standard.invigilatorsPerRoom;
  if (invigilators < needed) {
    findings.push(
      makeFinding(
        'STAFF_INVIGILATORS_FEWER_THAN_ROOMS',
        'staff',
        {
          zh: `监考人员 ${invigilators} 名，少于标准考场所需的 ${needed} 名（每个标准考场 ${standard.invigilatorsPerRoom} 名）`,
          en: `There are ${invigilators} invigilators; the standard rooms need at least ${needed} (${standard.invigilatorsPerRoom} per standard room)`,
        },
        { actual: invigilators, required: needed },
      ),
    );
  }
  for (const { m, index } of leaders) {
    if (!m.examExperience) {
      findings.push(
        makeFinding('STAFF_LEADER_WITHOUT_EXPERIENCE', `staff.${index}.examExperience`, {
          zh: `团队负责人「${m.name}」不具备考试考务组织实施的管理经验`,
          en: `The team leader ${m.name} has no experience organising exams`,
        }),
      );
    }
  }
  form.staff.forEach((m, index) => {
    if (m.role !== 'leader' && !m.examExperience) {
      findings.push(
        makeFinding('STAFF_MEMBER_WITHOUT_EXPERIENCE', `staff.${index}.examExperience`, {
          zh: `${STAFF_ROLE_LABELS[m.role].zh}「${m.name}」不具备考试考务组织实施的管理经验，团队人员应具备该经验`,
          en: `The ${STAFF_ROLE_LABELS[m.role].en} ${m.name} has no experience organising exams; team members must have it`,
        }),
      );
    }
  });
  return findings;
}

/** Art.11(2)4: one multimedia set for the site. */
export function checkEquipment(form: ApplicationForm, standard: AccreditationStandard): Finding[] {
  const sets = form.equipment.multimediaSet ? 1 : 0;
  if (sets >= standard.minMultimediaSets) return [];
  return [
    makeFinding('NO_MULTIMEDIA_SET', 'equipment.multimediaSet', {
      zh: `考点未配备多媒体设备（多媒体中控讲台、电子白板或投影仪、话筒、音响等，全站 ${standard.minMultimediaSets} 套）`,
      en: `The site has no multimedia set (control lectern, whiteboard or projector, microphones, speakers; ${standard.minMultimediaSets} for the site)`,
    }),
  ];
}

/** Art.9(2): at least one exam-affairs office. */
export function checkExamOffice(form: ApplicationForm, standard: AccreditationStandard): Finding[] {
  if (form.examOffice.count >= standard.minExamOffices) return [];
  return [
    makeFinding(
      'NO_EXAM_OFFICE',
      'examOffice.count',
      {
        zh: `考务办公室 ${form.examOffice.count} 间，至少需要 ${standard.minExamOffices} 间`,
        en: `${form.examOffice.count} exam-affairs offices; at least ${standard.minExamOffices} required`,
      },
      { actual: form.examOffice.count, required: standard.minExamOffices },
    ),
  ];
}

/** Art.11(2)3 network, Art.11(2)4 behaviour-management router. */
export function checkNetwork(form: ApplicationForm, standard: AccreditationStandard): Finding[] {
  const findings: Finding[] = [];
  const { network } = form;
  if (network.lanMbps < standard.minLanMbps) {
    findings.push(
      makeFinding(
        'NETWORK_LAN_BELOW_MINIMUM',
        'network.lanMbps',
        {
          zh: `局域网速率 ${network.lanMbps} Mbps，低于 ${standard.minLanMbps} Mbps`,
          en: `The LAN runs at ${network.lanMbps} Mbps; at least ${standard.minLanMbps} Mbps is required`,
        },
        { actual: network.lanMbps, required: standard.minLanMbps },
      ),
    );
  } else if (network.lanMbps < standard.recLanMbps) {
    findings.push(
      makeFinding(
        'NETWORK_LAN_BELOW_RECOMMENDED',
        'network.lanMbps',
        {
          zh: `局域网速率 ${network.lanMbps} Mbps，推荐 ${standard.recLanMbps} Mbps（千兆）`,
          en: `The LAN runs at ${network.lanMbps} Mbps; ${standard.recLanMbps} Mbps (gigabit) is recommended`,
        },
        { actual: network.lanMbps, recommended: standard.recLanMbps },
      ),
    );
  }
  if (network.uplinkMbps < standard.minUplinkMbps) {
    findings.push(
      makeFinding(
        'NETWORK_UPLINK_BELOW_MINIMUM',
        'network.uplinkMbps',
        {
          zh: `外网带宽 ${network.uplinkMbps} Mbps，低于 ${standard.minUplinkMbps} Mbps`,
          en: `The uplink is ${network.uplinkMbps} Mbps; at least ${standard.minUplinkMbps} Mbps is required`,
        },
        { actual: network.uplinkMbps, required: standard.minUplinkMbps },
      ),
    );
  }
  if (!network.examSiteReachable) {
    findings.push(
      makeFinding('NETWORK_EXAM_SITE_UNREACHABLE', 'network.examSiteReachable', {
        zh: '局域网内的考生机不能与考试网站互通',
        en: 'The candidate PCs on the LAN cannot reach the exam website',
      }),
    );
  }
  if (!network.nonExamSitesBlocked) {
    findings.push(
      makeFinding('NETWORK_NON_EXAM_SITES_NOT_BLOCKED', 'network.nonExamSitesBlocked', {
        zh: '考试时不能禁止访问非考试网站',
        en: 'Non-exam websites cannot be blocked during exams',
      }),
    );
  }
  const present = new Set(network.router.capabilities);
  const missing = standard.requiredRouterCapabilities.filter((c) => !present.has(c));
  if (missing.length > 0) {
    findings.push(
      makeFinding(
        'ROUTER_CAPABILITIES_MISSING',
        'network.router.capabilities',
        {
          zh: `上网行为管理路由器缺少功能：${missing.join('、')}`,
          en: `The behaviour-management router lacks: ${missing.join(', ')}`,
        },
        { missing: missing.join(',') },
      ),
    );
  }
  return findings;
}

const BUILDING_ASPECTS = {
  structure: { zh: '建筑安全', en: 'building safety' },
  fire: { zh: '消防', en: 'fire protection' },
  lighting: { zh: '照明', en: 'lighting' },
  ventilation: { zh: '通风', en: 'ventilation' },
  sanitation: { zh: '卫生', en: 'sanitation' },
} as const;

const SUPPORT_SERVICES = {
  security: { zh: '安保', en: 'security' },
  logistics: { zh: '后勤', en: 'logistics' },
  medical: { zh: '医疗', en: 'medical' },
} as const;

/** Art.9(4)–(7): building, rooms grouped together, evacuation, incident history, power, support services. */
export function checkSafety(form: ApplicationForm): Finding[] {
  const findings: Finding[] = [];
  const { safety } = form;
  const failing = (Object.keys(BUILDING_ASPECTS) as Array<keyof typeof BUILDING_ASPECTS>).filter((k) => !safety.building[k]);
  if (failing.length > 0) {
    findings.push(
      makeFinding(
        'BUILDING_NOT_COMPLIANT',
        `safety.building.${failing[0]}`,
        {
          zh: `${failing.map((k) => BUILDING_ASPECTS[k].zh).join('、')}不符合国家有关标准`,
          en: `Not compliant with national standards: ${failing.map((k) => BUILDING_ASPECTS[k].en).join(', ')}`,
        },
        { failing: failing.join(',') },
      ),
    );
  }
  if (!safety.roomsCentralised) {
    findings.push(
      makeFinding('ROOMS_NOT_CENTRALISED', 'safety.roomsCentralised', {
        zh: '考场设置不相对集中',
        en: 'The exam rooms are not grouped together',
      }),
    );
  }
  if (!safety.evacuationRoutesCertified) {
    findings.push(
      makeFinding('EVACUATION_NOT_CERTIFIED', 'safety.evacuationRoutesCertified', {
        zh: '安全区域和应急疏散通道未经有关部门鉴定合格',
        en: 'The safe areas and evacuation routes are not certified by the competent authority',
      }),
    );
  }
  if (!safety.safetyManagementSystem) {
    findings.push(
      makeFinding('NO_SAFETY_MANAGEMENT_SYSTEM', 'safety.safetyManagementSystem', {
        zh: '不具有健全的安全管理机制',
        en: 'There is no sound safety management system',
      }),
    );
  }
  // Art.9(5) 没有发生过考题泄露、考场踩踏等安全事故: 等 extends the list, so a declared incident of another kind counts too.
  safety.incidents.forEach((incident, index) => {
    const what =
      incident.kind === 'exam-paper-leak'
        ? { zh: '考题泄露', en: 'an exam-paper leak' }
        : incident.kind === 'stampede'
          ? { zh: '考场踩踏', en: 'a stampede' }
          : { zh: `安全事故${incident.description ? `（${incident.description}）` : ''}`, en: `a safety incident${incident.description ? ` (${incident.description})` : ''}` };
    findings.push(
      makeFinding(
        'PAST_SAFETY_INCIDENT',
        `safety.incidents.${index}`,
        {
          zh: `${incident.date} 发生过${what.zh}${incident.kind === 'other' ? '' : '事故'}，考核站点须未发生过考题泄露、考场踩踏等安全事故`,
          en: `There was ${what.en} on ${incident.date}; an exam site must have had no exam-paper leak, stampede or similar safety incident`,
        },
        { kind: incident.kind, date: incident.date },
      ),
    );
  });
  if (!safety.power.stableSupply) {
    findings.push(
      makeFinding('POWER_SUPPLY_NOT_STABLE', 'safety.power.stableSupply', {
        zh: '不具有稳定的供电系统',
        en: 'There is no stable power supply',
      }),
    );
  }
  const missingSupport = (Object.keys(SUPPORT_SERVICES) as Array<keyof typeof SUPPORT_SERVICES>).filter((k) => !safety.support[k]);
  if (missingSupport.length > 0) {
    findings.push(
      makeFinding(
        'SUPPORT_SERVICES_MISSING',
        `safety.support.${missingSupport[0]}`,
        {
          zh: `不具备${missingSupport.map((k) => SUPPORT_SERVICES[k].zh).join('、')}服务条件`,
          en: `Missing support services: ${missingSupport.map((k) => SUPPORT_SERVICES[k].en).join(', ')}`,
        },
        { missing: missingSupport.join(',') },
      ),
    );
  }
  return findings;
}

/** Art.3(4): experience organising national unified exams. */
export function checkNationalExams(form: ApplicationForm): Finding[] {
  if (form.nationalExams.length > 0) return [];
  return [
    makeFinding('NO_NATIONAL_EXAM_EXPERIENCE', 'nationalExams', {
      zh: '未填报国家级统一考试的组织经验',
      en: 'No national unified exam organised by the institution is listed',
    }),
  ];
}

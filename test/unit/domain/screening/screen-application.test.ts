import { describe, expect, it } from 'vitest';
import type { ApplicationForm } from '../../../../schemas/application-form.schema.ts';
import type { EvidenceItem } from '../../../../schemas/evidence.schema.ts';
import { findingSchema, screeningResultSchema } from '../../../../schemas/findings.schema.ts';
import { UnknownStandardVersionError } from '../../../../functions/domain/accreditation-errors.ts';
import {
  CURRENT_STANDARD_VERSION,
  FINDING_CODES,
  FINDING_DEFINITIONS,
  STANDARD_VERSIONS,
  screenApplication,
} from '../../../../functions/domain/screening/index.ts';
import { accreditedRooms, checkRooms, roomCapacity } from '../../../../functions/domain/screening/room-checks.ts';
import { checkMajors, checkStaff } from '../../../../functions/domain/screening/form-checks.ts';
import { labelForPath } from '../../../../schemas/application-form.schema.ts';
import { APPLICANT_CREDIT_CODE, makeScreeningInput, makeValidForm } from '../fixtures/valid-form.ts';

type Input = ReturnType<typeof makeScreeningInput>;

function screenWith(mutate: (input: Input) => void) {
  const input = makeScreeningInput();
  mutate(input);
  return screenApplication(input);
}

const room0 = (input: Input) => input.form.examRooms[0]!;
/** Mutates every room, so that no room meets the standard and the room's shortfall blocks (Art.9(2)). */
const everyRoom = (input: Input, mutate: (room: Input['form']['examRooms'][number]) => void) => input.form.examRooms.forEach(mutate);
const standard = STANDARD_VERSIONS[CURRENT_STANDARD_VERSION]!;

describe('screening', () => {
  describe('screenApplication', () => {
    it('passes the complete valid form of a pilot college with no finding at all', () => {
      const result = screenApplication(makeScreeningInput());

      expect(result.findings).toEqual([]);
      expect(result).toMatchObject({ outcome: 'pass', eligible: true, standardVersion: '2020-1' });
      expect(screeningResultSchema.safeParse(result).success).toBe(true);
    });

    it('defaults to the current version of the standard when none is given', () => {
      const { standardVersion: _ignored, ...input } = makeScreeningInput();

      expect(screenApplication(input).standardVersion).toBe(CURRENT_STANDARD_VERSION);
    });

    it('throws UnknownStandardVersionError for a version the system does not know (Art.7)', () => {
      expect(() => screenWith((i) => (i.standardVersion = '1999-1'))).toThrow(UnknownStandardVersionError);
    });

    it('returns the application when its only room has 32 candidate PCs, fewer than the 40 of Art.11(2)1', () => {
      const result = screenWith((i) => {
        i.form.examRooms = [room0(i)];
        room0(i).candidatePcCount = 32;
        room0(i).seats = 32;
      });

      expect(result.outcome).toBe('return');
      expect(result.eligible).toBe(true);
      expect(result.findings.map((f) => f.code)).toEqual(['NO_STANDARD_ROOM', 'ROOM_CAPACITY_BELOW_MINIMUM', 'ROOM_CANDIDATE_PCS_BELOW_MINIMUM']);
      const finding = result.findings.find((f) => f.code === 'ROOM_CANDIDATE_PCS_BELOW_MINIMUM');
      expect(finding).toMatchObject({
        code: 'ROOM_CANDIDATE_PCS_BELOW_MINIMUM',
        article: 'Art.11(2)1',
        severity: 'blocking',
        path: 'examRooms.0.candidatePcCount',
        params: { actual: 32, required: 40 },
      });
      expect(finding!.zh).toContain('考场「A101」考生机 32 台，少于 40 台');
      expect(finding!.en).toContain('Exam room A101 has 32 candidate PCs; at least 40 are required');
    });

    describe('eligibility from the pilot register (Art.3(2))', () => {
      it('refuses an institution that is not on the pilot register, whatever its form says (Art.3(2))', () => {
        const result = screenWith((i) => {
          i.pilotRegister = i.pilotRegister.filter((entry) => entry.creditCode !== APPLICANT_CREDIT_CODE);
        });

        expect(result.outcome).toBe('refuse');
        expect(result.eligible).toBe(false);
        expect(result.findings[0]).toMatchObject({ code: 'NOT_A_PILOT_COLLEGE', article: 'Art.3(2)', severity: 'blocking' });
      });

      it('refuses an enterprise even when its form declares it a higher-vocational college (Art.3(2))', () => {
        const enterpriseCode = '91440101MA5CXY2K48';
        const result = screenWith((i) => {
          i.institution = { creditCode: enterpriseCode, name: '广州跨境云科技有限公司' };
          i.form.institution.creditCode = enterpriseCode;
          i.form.institution.type = 'higher-vocational-college';
        });

        expect(result.outcome).toBe('refuse');
        expect(result.findings.map((f) => f.code)).toContain('NOT_A_PILOT_COLLEGE');
      });

      it('refuses a college whose pilot-register entry is inactive (Art.3(2))', () => {
        const result = screenWith((i) => {
          i.pilotRegister = i.pilotRegister.map((e) => (e.creditCode === APPLICANT_CREDIT_CODE ? { ...e, active: false } : e));
        });

        expect(result.outcome).toBe('refuse');
        expect(result.findings.map((f) => f.code)).toContain('PILOT_COLLEGE_INACTIVE');
      });

      it('searches the register by the credit code of the applicant account, not the one typed in the form (Art.3(2))', () => {
        const result = screenWith((i) => {
          i.institution = { creditCode: '12350200MB01397659', name: '厦门海湾职业技术学院' };
        });

        expect(result.eligible).toBe(true);
        expect(result.outcome).toBe('return');
        expect(result.findings.map((f) => f.code)).toContain('INSTITUTION_CREDIT_CODE_MISMATCH');
      });

      it('requires the legal-person certificate from an institution that is not a pilot college (Art.3(2))', () => {
        const result = screenWith((i) => (i.pilotRegister = []));

        const certificate = result.findings.find((f) => f.path === 'evidence.legal-person-certificate');
        expect(certificate).toMatchObject({ code: 'EVIDENCE_MISSING', article: 'Art.3(2)', severity: 'blocking' });
      });

      it('waives the legal-person certificate for a pilot college (Art.3(2))', () => {
        const result = screenApplication(makeScreeningInput());

        expect(result.findings.some((f) => f.path === 'evidence.legal-person-certificate')).toBe(false);
      });

      it('notes, without blocking and citing no article, a name that differs from the register (data integrity)', () => {
        const result = screenWith((i) => (i.form.institution.name = '广州南方商贸职业学院'));

        expect(result.outcome).toBe('pass');
        expect(result.findings.map((f) => [f.code, f.severity, f.basis])).toEqual([['INSTITUTION_NAME_DIFFERS_FROM_REGISTER', 'advisory', 'integrity']]);
        expect(result.findings[0]!.article).toBeUndefined();
      });

      it('notes, without blocking, a city that differs from the register as a data-integrity check, not as Art.8', () => {
        const result = screenWith((i) => (i.form.institution.cityCode = '440300'));

        expect(result.outcome).toBe('pass');
        expect(result.findings.map((f) => f.code)).toEqual(['INSTITUTION_CITY_DIFFERS_FROM_REGISTER']);
        expect(result.findings[0]).toMatchObject({ basis: 'integrity', severity: 'advisory' });
        expect(result.findings[0]!.article).toBeUndefined();
      });

      it('cites no article when the credit code on the form differs from the applicant account (data integrity)', () => {
        const result = screenWith((i) => (i.institution = { creditCode: '12350200MB01397659', name: '厦门海湾职业技术学院' }));

        const finding = result.findings.find((f) => f.code === 'INSTITUTION_CREDIT_CODE_MISMATCH')!;
        expect(finding).toMatchObject({ severity: 'blocking', basis: 'integrity' });
        expect(finding.article).toBeUndefined();
      });
    });

    const blockingCases: Array<[string, string | undefined, string, string, (i: Input) => void]> = [
      ['the institution is not a legal entity', 'Art.9(1)', 'NOT_A_LEGAL_ENTITY', 'institution.legalEntity', (i) => (i.form.institution.legalEntity = false)],
      ['the institution holds no school-running licence', 'Art.9(1)', 'NO_SCHOOL_RUNNING_LICENCE', 'institution.schoolRunningLicence.held', (i) => (i.form.institution.schoolRunningLicence.held = false)],
      ['no related major is listed', 'Art.9(1)', 'NO_RELATED_MAJOR', 'majors.items', (i) => (i.form.majors.items = [])],
      ['the related majors enrol 39 students a year in total', 'Art.9(1)', 'RELATED_ENROLMENT_BELOW_MINIMUM', 'majors.items', (i) => {
        i.form.majors.items = [
          { majorCode: '530702', annualEnrolment: 20 },
          { majorCode: '570201', annualEnrolment: 19 },
        ];
      }],
      ['the same major is listed twice', undefined, 'MAJOR_DUPLICATE', 'majors.items.1.majorCode', (i) => (i.form.majors.items[1]!.majorCode = '530702')],
      ['the institution has no certification experience', 'Art.9(1)', 'NO_CERTIFICATION_EXPERIENCE', 'majors.certificationExperience.has', (i) => (i.form.majors.certificationExperience = { has: false })],
      ['the certification experience is claimed but not described', 'Art.9(1)', 'CERTIFICATION_EXPERIENCE_NOT_DESCRIBED', 'majors.certificationExperience.description', (i) => (i.form.majors.certificationExperience = { has: true, description: '  ' })],
      ['the team has five people', 'Art.10(1)', 'STAFF_TEAM_TOO_SMALL', 'staff', (i) => {
        const invigilator = i.form.staff.find((m) => m.role === 'invigilator')!;
        i.form.staff = i.form.staff.filter((m) => m.role !== 'logistics' && m.role !== 'invigilator');
        i.form.staff.push({ ...invigilator }, { ...invigilator, name: invigilator.name, role: 'invigilator' }, { ...invigilator, role: 'logistics' });
        i.form.examRooms = [i.form.examRooms[0]!];
      }],
      ['the team has no leader', 'Art.10(1)', 'STAFF_LEADER_MISSING', 'staff', (i) => (i.form.staff[0]!.role = 'exam-executor')],
      ['the team has two leaders', 'Art.10(2)1', 'STAFF_LEADER_NOT_UNIQUE', 'staff.1.role', (i) => (i.form.staff[1]!.role = 'leader')],
      ['the college has no patrol inspector', 'Art.10(2)2', 'STAFF_PATROL_MISSING', 'staff', (i) => (i.form.staff[1]!.role = 'exam-executor')],
      ['two standard rooms have one invigilator', 'Art.10(2)3', 'STAFF_INVIGILATORS_FEWER_THAN_ROOMS', 'staff', (i) => (i.form.staff[3]!.role = 'technical-support')],
      ['the team has no exam executor', 'Art.10(2)4', 'STAFF_EXAM_EXECUTOR_MISSING', 'staff', (i) => (i.form.staff[4]!.role = 'logistics')],
      ['the team has no technical support', 'Art.10(2)5', 'STAFF_TECHNICAL_SUPPORT_MISSING', 'staff', (i) => (i.form.staff[5]!.role = 'logistics')],
      ['the team has no logistics', 'Art.10(2)6', 'STAFF_LOGISTICS_MISSING', 'staff', (i) => (i.form.staff[6]!.role = 'technical-support')],
      ['a patrol inspector has no exam organisation experience', 'Art.9(3)', 'STAFF_MEMBER_WITHOUT_EXPERIENCE', 'staff.1.examExperience', (i) => (i.form.staff[1]!.examExperience = false)],
      ['the team leader has no exam organisation experience', 'Art.10(1)', 'STAFF_LEADER_WITHOUT_EXPERIENCE', 'staff.0.examExperience', (i) => (i.form.staff[0]!.examExperience = false)],
      ['no exam room is listed', 'Art.9(2)', 'NO_EXAM_ROOM', 'examRooms', (i) => {
        i.form.examRooms = [];
      }],
      ['no exam room meets the standard', 'Art.9(2)', 'NO_STANDARD_ROOM', 'examRooms', (i) => everyRoom(i, (r) => (r.upsHours = 1))],
      ['two exam rooms have the same name', undefined, 'ROOM_NAME_DUPLICATE', 'examRooms.1.name', (i) => (i.form.examRooms[1]!.name = 'A101')],
      ['every room seats 36 candidates at once', 'Art.9(2)', 'ROOM_CAPACITY_BELOW_MINIMUM', 'examRooms.0.seats', (i) => everyRoom(i, (r) => (r.seats = 36))],
      ['every room has 45 seats used alternately, so 22 sit at once', 'Art.9(2)', 'ROOM_CAPACITY_BELOW_MINIMUM', 'examRooms.0.seats', (i) => everyRoom(i, (r) => (r.seatingArrangement = 'alternate-seat'))],
      ['seats are 0.8 m apart and not alternate', 'Art.9(2)', 'ROOM_SEAT_SPACING_BELOW_MINIMUM', 'examRooms.0.seatSpacingM', (i) => everyRoom(i, (r) => (r.seatSpacingM = 0.8))],
      ['the seat spacing is not given and seating is not alternate', 'Art.9(2)', 'ROOM_SEAT_SPACING_BELOW_MINIMUM', 'examRooms.0.seatSpacingM', (i) => everyRoom(i, (r) => delete r.seatSpacingM)],
      ['the UPS lasts 2 hours', 'Art.9(6)', 'ROOM_UPS_BELOW_MINIMUM', 'examRooms.0.upsHours', (i) => everyRoom(i, (r) => (r.upsHours = 2))],
      ['an exam room has one camera', 'Art.11(2)4', 'ROOM_CAMERAS_BELOW_MINIMUM', 'examRooms.0.cameras.count', (i) => everyRoom(i, (r) => (r.cameras.count = 1))],
      ['the cameras have 1.3 megapixels', 'Art.11(2)4', 'ROOM_CAMERA_MEGAPIXELS_BELOW_MINIMUM', 'examRooms.0.cameras.megapixels', (i) => everyRoom(i, (r) => (r.cameras.megapixels = 1.3))],
      ['the cameras record 1280×720', 'Art.11(2)4', 'ROOM_CAMERA_RESOLUTION_BELOW_MINIMUM', 'examRooms.0.cameras.resolution', (i) => everyRoom(i, (r) => (r.cameras.resolution = { width: 1280, height: 720 }))],
      ['the cameras record no audio', 'Art.11(2)4', 'ROOM_CAMERA_AUDIO_NOT_RECORDED', 'examRooms.0.cameras.recordsAudio', (i) => everyRoom(i, (r) => (r.cameras.recordsAudio = false))],
      ['recordings are not stored', 'Art.11(2)4', 'ROOM_RECORDINGS_NOT_STORED', 'examRooms.0.cameras.storesRecordings', (i) => everyRoom(i, (r) => (r.cameras.storesRecordings = false))],
      ['the site has no multimedia set', 'Art.11(2)4', 'NO_MULTIMEDIA_SET', 'equipment.multimediaSet', (i) => (i.form.equipment.multimediaSet = false)],
      ['candidate PCs have a Celeron CPU', 'Art.11(2)1', 'CANDIDATE_PC_CPU_BELOW_MINIMUM', 'examRooms.0.candidatePc.cpu.family', (i) => everyRoom(i, (r) => (r.candidatePc.cpu.family = 'celeron-pentium'))],
      ['candidate PCs have 2 GB of RAM', 'Art.11(2)1', 'CANDIDATE_PC_RAM_BELOW_MINIMUM', 'examRooms.0.candidatePc.ramGb', (i) => everyRoom(i, (r) => (r.candidatePc.ramGb = 2))],
      ['candidate PCs have a 256 GB disk', 'Art.11(2)1', 'CANDIDATE_PC_DISK_BELOW_MINIMUM', 'examRooms.0.candidatePc.diskGb', (i) => everyRoom(i, (r) => (r.candidatePc.diskGb = 256))],
      ['candidate PCs have a 10 Mbps NIC', 'Art.11(2)1', 'CANDIDATE_PC_NIC_BELOW_MINIMUM', 'examRooms.0.candidatePc.nicMbps', (i) => everyRoom(i, (r) => (r.candidatePc.nicMbps = 10))],
      ['candidate PCs have 17-inch screens', 'Art.11(2)1', 'CANDIDATE_PC_SCREEN_TOO_SMALL', 'examRooms.0.candidatePc.screen.inches', (i) => everyRoom(i, (r) => (r.candidatePc.screen.inches = 17))],
      ['candidate PCs have 4:3 screens', 'Art.11(2)1', 'CANDIDATE_PC_SCREEN_NOT_WIDESCREEN', 'examRooms.0.candidatePc.screen.aspect', (i) => everyRoom(i, (r) => (r.candidatePc.screen.aspect = '4:3'))],
      ['candidate PCs show 1366×768', 'Art.11(2)1', 'CANDIDATE_PC_RESOLUTION_BELOW_MINIMUM', 'examRooms.0.candidatePc.screen.resolution', (i) => everyRoom(i, (r) => (r.candidatePc.screen.resolution = { width: 1366, height: 768 }))],
      ['candidate PCs run an unlisted system', 'Art.11(2)1', 'CANDIDATE_PC_OS_NOT_SUPPORTED', 'examRooms.0.candidatePc.os.name', (i) => everyRoom(i, (r) => (r.candidatePc.os.name = 'other'))],
      ['candidate PCs run an English Windows', 'Art.11(2)1', 'CANDIDATE_PC_OS_NOT_CHINESE', 'examRooms.0.candidatePc.os.language', (i) => everyRoom(i, (r) => (r.candidatePc.os.language = 'en'))],
      ['candidate PCs run a 32-bit Windows', 'Art.11(2)1', 'CANDIDATE_PC_OS_NOT_64_BIT', 'examRooms.0.candidatePc.os.bits', (i) => everyRoom(i, (r) => (r.candidatePc.os.bits = 32))],
      ['candidate PCs run Chrome 86', 'Art.11(2)1', 'CANDIDATE_PC_CHROME_TOO_OLD', 'examRooms.0.candidatePc.chromeVersion', (i) => everyRoom(i, (r) => (r.candidatePc.chromeVersion = 86))],
      ['candidate PCs have no Sogou input method', 'Art.11(2)1', 'CANDIDATE_PC_NO_SOGOU_INPUT', 'examRooms.0.candidatePc.sogouInput', (i) => everyRoom(i, (r) => (r.candidatePc.sogouInput = false))],
      ['candidate PC USB ports cannot be closed', 'Art.11(2)1', 'CANDIDATE_PC_USB_CANNOT_BE_DISABLED', 'examRooms.0.candidatePc.usbCanBeDisabled', (i) => everyRoom(i, (r) => (r.candidatePc.usbCanBeDisabled = false))],
      ['candidate PCs cannot receive the exam environment over the network', 'Art.11(2)1', 'CANDIDATE_PC_NO_NETWORK_SYNC_RESTORE', 'examRooms.0.candidatePc.networkSyncRestore', (i) => everyRoom(i, (r) => (r.candidatePc.networkSyncRestore = false))],
      ['candidate PCs run Office 2007', 'Art.11(2)1', 'CANDIDATE_PC_OFFICE_NOT_SUPPORTED', 'examRooms.0.candidatePc.officeVersion', (i) => everyRoom(i, (r) => (r.candidatePc.officeVersion = '2007'))],
      ['candidate PCs have no Office', 'Art.11(2)1', 'CANDIDATE_PC_OFFICE_NOT_SUPPORTED', 'examRooms.0.candidatePc.officeVersion', (i) => everyRoom(i, (r) => (r.candidatePc.officeVersion = 'none'))],
      ['candidate PCs run WinRAR 5.91', 'Art.11(2)1', 'CANDIDATE_PC_WINRAR_TOO_OLD', 'examRooms.0.candidatePc.winrarVersion', (i) => everyRoom(i, (r) => (r.candidatePc.winrarVersion = 5.91))],
      ['candidate PCs have no WinRAR', 'Art.11(2)1', 'CANDIDATE_PC_WINRAR_TOO_OLD', 'examRooms.0.candidatePc.winrarVersion', (i) => everyRoom(i, (r) => delete r.candidatePc.winrarVersion)],
      ['candidate PCs have no spare Firefox', 'Art.11(2)1', 'CANDIDATE_PC_FIREFOX_MISSING', 'examRooms.0.candidatePc.firefoxVersion', (i) => everyRoom(i, (r) => delete r.candidatePc.firefoxVersion)],
      ['candidate PCs have Firefox 78 as spare', 'Art.11(2)1', 'CANDIDATE_PC_FIREFOX_TOO_OLD', 'examRooms.0.candidatePc.firefoxVersion', (i) => everyRoom(i, (r) => (r.candidatePc.firefoxVersion = 78))],
      ['the invigilator PC has no spare Firefox', 'Art.11(2)2', 'INVIGILATOR_PC_FIREFOX_MISSING', 'examRooms.0.invigilatorPc.firefoxVersion', (i) => everyRoom(i, (r) => delete r.invigilatorPc.firefoxVersion)],
      ['candidate PCs have messaging software installed', 'Art.11(2)1', 'CANDIDATE_PC_MESSAGING_SOFTWARE_INSTALLED', 'examRooms.0.candidatePc.messagingSoftwareInstalled', (i) => everyRoom(i, (r) => (r.candidatePc.messagingSoftwareInstalled = true))],
      ['the invigilator PC has 2 GB of RAM', 'Art.11(2)2', 'INVIGILATOR_PC_RAM_BELOW_MINIMUM', 'examRooms.0.invigilatorPc.ramGb', (i) => everyRoom(i, (r) => (r.invigilatorPc.ramGb = 2))],
      ['the invigilator PC runs Windows XP-era “other”', 'Art.11(2)2', 'INVIGILATOR_PC_OS_NOT_SUPPORTED', 'examRooms.0.invigilatorPc.os.name', (i) => everyRoom(i, (r) => (r.invigilatorPc.os.name = 'other'))],
      ['the invigilator PC is on another subnet than the candidate PCs', 'Art.11(2)2', 'INVIGILATOR_PC_NOT_ON_CANDIDATE_SUBNET', 'examRooms.0.invigilatorPc.fixedIp', (i) => everyRoom(i, (r) => (r.invigilatorPc.fixedIp = '192.168.201.200'))],
      ['the invigilator PC uses the broadcast address of the candidate subnet', 'Art.11(2)2', 'INVIGILATOR_PC_NOT_ON_CANDIDATE_SUBNET', 'examRooms.0.invigilatorPc.fixedIp', (i) => everyRoom(i, (r) => (r.invigilatorPc.fixedIp = '192.168.101.255'))],
      ['the invigilator PC mask does not match the candidate subnet', 'Art.11(2)2', 'INVIGILATOR_PC_SUBNET_MASK_MISMATCH', 'examRooms.0.invigilatorPc.subnetMask', (i) => everyRoom(i, (r) => (r.invigilatorPc.subnetMask = '255.255.0.0'))],
      ['the invigilator PC has no electronic classroom software', 'Art.11(2)2', 'INVIGILATOR_PC_NO_ELECTRONIC_CLASSROOM', 'examRooms.0.invigilatorPc.electronicClassroomSoftware', (i) => everyRoom(i, (r) => (r.invigilatorPc.electronicClassroomSoftware = false))],
      ['there is no exam-affairs office', 'Art.9(2)', 'NO_EXAM_OFFICE', 'examOffice.count', (i) => (i.form.examOffice.count = 0)],
      ['the LAN runs at 10 Mbps', 'Art.11(2)3', 'NETWORK_LAN_BELOW_MINIMUM', 'network.lanMbps', (i) => (i.form.network.lanMbps = 10)],
      ['the uplink is 50 Mbps', 'Art.11(2)3', 'NETWORK_UPLINK_BELOW_MINIMUM', 'network.uplinkMbps', (i) => (i.form.network.uplinkMbps = 50)],
      ['the candidate PCs cannot reach the exam website', 'Art.11(2)3', 'NETWORK_EXAM_SITE_UNREACHABLE', 'network.examSiteReachable', (i) => (i.form.network.examSiteReachable = false)],
      ['non-exam sites cannot be blocked', 'Art.11(2)3', 'NETWORK_NON_EXAM_SITES_NOT_BLOCKED', 'network.nonExamSitesBlocked', (i) => (i.form.network.nonExamSitesBlocked = false)],
      ['the router cannot filter DNS', 'Art.11(2)4', 'ROUTER_CAPABILITIES_MISSING', 'network.router.capabilities', (i) => {
        i.form.network.router.capabilities = i.form.network.router.capabilities.filter((c) => c !== 'dns-filter');
      }],
      ['the fire protection does not meet national standards', 'Art.9(4)', 'BUILDING_NOT_COMPLIANT', 'safety.building.fire', (i) => (i.form.safety.building.fire = false)],
      ['the rooms are not grouped together', 'Art.9(4)', 'ROOMS_NOT_CENTRALISED', 'safety.roomsCentralised', (i) => (i.form.safety.roomsCentralised = false)],
      ['the evacuation routes are not certified', 'Art.9(5)', 'EVACUATION_NOT_CERTIFIED', 'safety.evacuationRoutesCertified', (i) => (i.form.safety.evacuationRoutesCertified = false)],
      ['there is no safety management system', 'Art.9(5)', 'NO_SAFETY_MANAGEMENT_SYSTEM', 'safety.safetyManagementSystem', (i) => (i.form.safety.safetyManagementSystem = false)],
      ['an exam paper leaked in 2022', 'Art.9(5)', 'PAST_SAFETY_INCIDENT', 'safety.incidents.0', (i) => (i.form.safety.incidents = [{ kind: 'exam-paper-leak', date: '2022-06-18' }])],
      ['a stampede happened in 2019', 'Art.9(5)', 'PAST_SAFETY_INCIDENT', 'safety.incidents.0', (i) => (i.form.safety.incidents = [{ kind: 'stampede', date: '2019-12-21' }])],
      ['another kind of safety incident is declared, since 等 extends the list', 'Art.9(5)', 'PAST_SAFETY_INCIDENT', 'safety.incidents.0', (i) => (i.form.safety.incidents = [{ kind: 'other', date: '2021-03-02', description: '考场火情' }])],
      ['the power supply is not stable', 'Art.9(6)', 'POWER_SUPPLY_NOT_STABLE', 'safety.power.stableSupply', (i) => (i.form.safety.power.stableSupply = false)],
      ['there is no medical support', 'Art.9(7)', 'SUPPORT_SERVICES_MISSING', 'safety.support.medical', (i) => (i.form.safety.support.medical = false)],
      ['no national unified exam organised is listed', 'Art.3(4)', 'NO_NATIONAL_EXAM_EXPERIENCE', 'nationalExams', (i) => (i.form.nationalExams = [])],
      ['the stamped application form is missing', 'Art.3(1)', 'EVIDENCE_MISSING', 'evidence.application-form', (i) => (i.evidence = i.evidence.filter((e) => e.kind !== 'application-form'))],
      ["the site manager's ID-card copy is missing", 'Art.3(2)', 'EVIDENCE_MISSING', 'evidence.manager-id-copy', (i) => (i.evidence = i.evidence.filter((e) => e.kind !== 'manager-id-copy'))],
      ["the site manager's ID-card copy is still being validated", 'Art.3(2)', 'EVIDENCE_PENDING', 'evidence.manager-id-copy', (i) => setStatus(i.evidence, 'ev-id', 'pending')],
      ['the application form has no official seal', 'Art.3(1)', 'EVIDENCE_INVALID', 'evidence.application-form', (i) => setStatus(i.evidence, 'ev-form', 'invalid', ['not-stamped'])],
      ['only two venue photos are valid', 'Art.3(3)', 'EVIDENCE_TOO_FEW', 'evidence.venue-photo', (i) => {
        i.evidence = i.evidence.filter((e) => e.evidenceId !== 'ev-photo-2');
        i.evidence.find((e) => e.evidenceId === 'ev-photo-1')!.tags = ['exam-room', 'equipment'];
      }],
      ['no venue photo shows the exam-affairs office', 'Art.3(3)', 'EVIDENCE_TAG_MISSING', 'evidence.venue-photo', (i) => (i.evidence.find((e) => e.evidenceId === 'ev-photo-3')!.tags = ['equipment'])],
      ['the confidentiality rules are missing', 'Art.3(4)', 'EVIDENCE_TAG_MISSING', 'evidence.policies', (i) => (i.evidence.find((e) => e.kind === 'policies')!.tags = ['management', 'safety'])],
      ['the exam-experience document is missing', 'Art.3(4)', 'EVIDENCE_MISSING', 'evidence.exam-experience', (i) => (i.evidence = i.evidence.filter((e) => e.kind !== 'exam-experience'))],
    ];

    it.each(blockingCases)('returns the application when %s (%s)', (_what, article, code, path, mutate) => {
      const result = screenWith(mutate);

      expect(result.outcome).toBe('return');
      const blocking = result.findings.filter((f) => f.severity === 'blocking');
      expect(blocking.map((f) => f.code)).toContain(code);
      const finding = blocking.find((f) => f.code === code)!;
      expect(finding.article).toBe(article);
      expect(finding.basis).toEqual(article ? expect.stringMatching(/^(regulation|policy)$/) : 'integrity');
      expect(finding.path).toBe(path);
      expect(findingSchema.safeParse(finding).success).toBe(true);
    });

    const advisoryCases: Array<[string, string, string, (i: Input) => void]> = [
      ['candidate PCs have a Core i3, below the recommended Core i5', 'Art.11(2)1', 'CANDIDATE_PC_CPU_BELOW_RECOMMENDED', (i) => (room0(i).candidatePc.cpu.family = 'core-i3')],
      ['candidate PCs have 4 GB of RAM, below the recommended 8 GB', 'Art.11(2)1', 'CANDIDATE_PC_RAM_BELOW_RECOMMENDED', (i) => (room0(i).candidatePc.ramGb = 4)],
      ['candidate PCs have a hard disk, not the recommended SSD', 'Art.11(2)1', 'CANDIDATE_PC_NO_SSD', (i) => (room0(i).candidatePc.ssd = false)],
      ['candidate PCs have a 100 Mbps NIC, below the recommended gigabit', 'Art.11(2)1', 'CANDIDATE_PC_NIC_BELOW_RECOMMENDED', (i) => (room0(i).candidatePc.nicMbps = 100)],
      ['the invigilator PC has a Core i3', 'Art.11(2)2', 'INVIGILATOR_PC_CPU_BELOW_RECOMMENDED', (i) => (room0(i).invigilatorPc.cpu.family = 'core-i3')],
      ['the LAN runs at 100 Mbps, below the recommended gigabit', 'Art.11(2)3', 'NETWORK_LAN_BELOW_RECOMMENDED', (i) => (i.form.network.lanMbps = 100)],
      ['candidate PCs run Windows 11, newer than the Windows 7–10 the standard names', 'Art.11(2)1', 'CANDIDATE_PC_OS_NEWER_THAN_STANDARD', (i) => (room0(i).candidatePc.os.name = 'windows-11')],
      ['candidate PCs run Office 2019, newer than the 2010–2016 the standard names', 'Art.11(2)1', 'CANDIDATE_PC_OFFICE_NEWER_THAN_STANDARD', (i) => (room0(i).candidatePc.officeVersion = '2019')],
      ['candidate PCs have an AMD CPU the reviewer must judge', 'Art.11(2)1', 'CANDIDATE_PC_CPU_UNLISTED', (i) => (room0(i).candidatePc.cpu = { family: 'other', model: 'AMD Ryzen 5 5600G' })],
    ];

    it.each(advisoryCases)('passes with an advisory finding only when %s (%s)', (_what, article, code, mutate) => {
      const result = screenWith(mutate);

      expect(result.outcome).toBe('pass');
      expect(result.findings.map((f) => f.code)).toEqual([code]);
      expect(result.findings[0]).toMatchObject({ severity: 'advisory', article });
      expect(['regulation', 'policy']).toContain(result.findings[0]!.basis);
    });

    it('passes with advisory findings only for a room at the minimum configuration everywhere (Art.11(2)1, Art.11(2)3)', () => {
      const result = screenWith((i) => {
        for (const room of i.form.examRooms) {
          Object.assign(room.candidatePc, { cpu: { family: 'core-i3' }, ramGb: 4, diskGb: 500, ssd: false, nicMbps: 100 });
          Object.assign(room.candidatePc.screen, { inches: 19, aspect: '16:10', resolution: { width: 1440, height: 900 } });
          Object.assign(room, { seats: 40, candidatePcCount: 40, seatSpacingM: 1, upsHours: 3 });
          Object.assign(room.cameras, { megapixels: 2, resolution: { width: 1920, height: 1080 } });
          room.candidatePc.chromeVersion = 87;
          room.candidatePc.winrarVersion = 6;
        }
        i.form.network.lanMbps = 100;
        i.form.network.uplinkMbps = 100;
        i.form.majors.items = [{ majorCode: '530702', annualEnrolment: 40 }];
      });

      expect(result.outcome).toBe('pass');
      expect(result.findings.length).toBeGreaterThan(0);
      expect(result.findings.every((f) => f.severity === 'advisory')).toBe(true);
    });

    it('accepts alternate seating instead of 1 m spacing when the room still seats 40 at once: 80 seats hold 40 (Art.9(2))', () => {
      const result = screenWith((i) => {
        everyRoom(i, (r) => {
          delete r.seatSpacingM;
          Object.assign(r, { seatingArrangement: 'alternate-seat', seats: 80, candidatePcCount: 80 });
        });
      });

      expect(result.outcome).toBe('pass');
      expect(result.findings).toEqual([]);
    });

    it('returns the application when every room seats 40 with alternate seating, since 40 seats hold 20 at once (Art.9(2))', () => {
      const result = screenWith((i) => everyRoom(i, (r) => Object.assign(r, { seatingArrangement: 'alternate-seat', seats: 40, candidatePcCount: 40 })));

      expect(result.outcome).toBe('return');
      const finding = result.findings.find((f) => f.code === 'ROOM_CAPACITY_BELOW_MINIMUM')!;
      expect(finding).toMatchObject({ article: 'Art.9(2)', severity: 'blocking', path: 'examRooms.0.seats', params: { actual: 20, required: 40, seats: 40, seatingArrangement: 'alternate-seat' } });
      expect(finding.zh).toContain('隔位而坐，40 个考位、40 台考生机，同时只能容纳 20 人考试');
    });

    it('returns the application when every seat is used and the spacing is not given (Art.9(2))', () => {
      const result = screenWith((i) => everyRoom(i, (r) => delete r.seatSpacingM));

      expect(result.findings.find((f) => f.code === 'ROOM_SEAT_SPACING_BELOW_MINIMUM')?.path).toBe('examRooms.0.seatSpacingM');
    });

    it('bounds a room by its candidate PCs: 50 seats and 38 PCs seat 38 at once (Art.9(2), Art.11(1))', () => {
      expect(roomCapacity({ seats: 50, seatingArrangement: 'every-seat', candidatePcCount: 38 })).toBe(38);
      expect(roomCapacity({ seats: 81, seatingArrangement: 'alternate-seat', candidatePcCount: 81 })).toBe(40);
    });

    describe('rooms accredited one by one (Art.9(2))', () => {
      it('passes with an advisory finding naming the extra room and why when another room meets the standard (Art.9(2))', () => {
        const result = screenWith((i) => {
          i.form.examRooms[1]!.candidatePcCount = 32;
          i.form.examRooms[1]!.upsHours = 2;
        });

        expect(result.outcome).toBe('pass');
        expect(result.findings.map((f) => f.code)).toEqual(['ROOM_NOT_ACCREDITED']);
        const [finding] = result.findings;
        expect(finding).toMatchObject({ severity: 'advisory', article: 'Art.9(2)', basis: 'regulation', path: 'examRooms.1', params: { room: 'A102' } });
        expect(finding!.params!.codes).toBe('ROOM_CAPACITY_BELOW_MINIMUM,ROOM_CANDIDATE_PCS_BELOW_MINIMUM,ROOM_UPS_BELOW_MINIMUM');
        expect(finding!.zh).toContain('考场「A102」不满足条件，不列入认证考场');
        expect(finding!.zh).toContain('考生机 32 台，少于 40 台');
        expect(finding!.en).toContain('UPS keeps the candidate PCs running 2 h');
      });

      it('accredits the site for the rooms that pass, with their capacity at once (Art.9(2))', () => {
        const form = makeValidForm();
        form.examRooms[0]!.upsHours = 1;
        Object.assign(form.examRooms[1]!, { seatingArrangement: 'alternate-seat', seats: 90, candidatePcCount: 90 });

        expect(accreditedRooms(form.examRooms, standard)).toEqual([{ name: 'A102', seats: 90, seatingArrangement: 'alternate-seat', capacity: 45 }]);
      });

      it('accredits no room when none meets the standard (Art.9(2))', () => {
        const form = makeValidForm();
        for (const room of form.examRooms) room.cameras.count = 1;

        expect(accreditedRooms(form.examRooms, standard)).toEqual([]);
      });

      it('needs one invigilator per standard room only, not per sub-standard room (Art.10(2)3)', () => {
        const result = screenWith((i) => {
          i.form.examRooms[1]!.upsHours = 1;
          i.form.staff[3]!.role = 'technical-support';
        });

        expect(result.outcome).toBe('pass');
        expect(result.findings.map((f) => f.code)).toEqual(['ROOM_NOT_ACCREDITED']);
      });
    });

    it('asks for one multimedia set for the site, not one per room (Art.11(2)4)', () => {
      const result = screenWith((i) => (i.form.equipment = { multimediaSet: true }));

      expect(result.findings).toEqual([]);
    });

    describe('rules marked regulation, policy or integrity in the standard', () => {
      it('says a policy finding is policy and gives the reason (Art.11(2)1, policy)', () => {
        const result = screenWith((i) => (room0(i).candidatePc.os.name = 'windows-11'));

        const [finding] = result.findings;
        expect(finding).toMatchObject({ code: 'CANDIDATE_PC_OS_NEWER_THAN_STANDARD', basis: 'policy', article: 'Art.11(2)1' });
        expect(finding!.policy?.zh).toContain('Windows 10 已于 2025-10-14 停止支持');
        expect(finding!.policy?.en).toContain('before Windows 11 existed');
      });

      it('marks the total over the related majors as the organisation\'s reading (Art.9(1), policy)', () => {
        const result = screenWith((i) => (i.form.majors.items = [{ majorCode: '530702', annualEnrolment: 39 }]));

        expect(result.findings[0]).toMatchObject({ code: 'RELATED_ENROLMENT_BELOW_MINIMUM', basis: 'policy' });
      });

      it('marks every rule of the standard, gives every policy rule a reason and every non-integrity rule an article', () => {
        for (const code of FINDING_CODES) {
          const mark = standard.rules[code];
          expect(mark, code).toBeDefined();
          if (mark.basis === 'policy') expect(mark.reason?.zh && mark.reason.en, code).toBeTruthy();
          else expect(mark.reason, code).toBeUndefined();
          expect(FINDING_DEFINITIONS[code].article === undefined, code).toBe(mark.basis === 'integrity');
        }
      });
    });

    it('returns the application when a team member lacks exam organisation experience, as Art.9(3) asks it of the whole team (Art.9(3))', () => {
      const result = screenWith((i) => (i.form.staff[4]!.examExperience = false));

      expect(result.outcome).toBe('return');
      expect(result.findings.map((f) => [f.code, f.severity, f.path])).toEqual([['STAFF_MEMBER_WITHOUT_EXPERIENCE', 'blocking', 'staff.4.examExperience']]);
    });

    it('counts a person listed in two roles once, so seven entries by five people are too few (Art.9(3))', () => {
      const result = screenWith((i) => {
        const [leader, patrol] = i.form.staff;
        i.form.examRooms = [i.form.examRooms[0]!];
        i.form.staff = i.form.staff.filter((m) => m.role !== 'logistics' && m.role !== 'patrol-inspector');
        i.form.staff.push({ ...leader!, role: 'logistics' }, { ...patrol!, name: leader!.name, phone: leader!.phone });
      });

      expect(result.findings.find((f) => f.code === 'STAFF_TEAM_TOO_SMALL')?.params).toEqual({ actual: 5, required: 6 });
    });

    it('lists every finding of a refused application, so the applicant learns everything at once (Art.3(2))', () => {
      const result = screenWith((i) => {
        i.pilotRegister = [];
        everyRoom(i, (r) => (r.candidatePcCount = 30));
      });

      expect(result.outcome).toBe('refuse');
      expect(result.findings.map((f) => f.code)).toEqual(
        expect.arrayContaining(['NOT_A_PILOT_COLLEGE', 'ROOM_CANDIDATE_PCS_BELOW_MINIMUM', 'EVIDENCE_MISSING']),
      );
    });

    it('names every failing room in its own finding when no room meets the standard (Art.11(2)1)', () => {
      const result = screenWith((i) => {
        i.form.examRooms[0]!.candidatePcCount = 32;
        i.form.examRooms[1]!.candidatePcCount = 38;
      });

      const findings = result.findings.filter((f) => f.code === 'ROOM_CANDIDATE_PCS_BELOW_MINIMUM');
      expect(findings.map((f) => f.path)).toEqual(['examRooms.0.candidatePcCount', 'examRooms.1.candidatePcCount']);
      expect(findings[1]!.zh).toContain('考场「A102」考生机 38 台');
    });

    it('ignores a leftover invalid upload when enough valid items of the kind remain (Art.3(3))', () => {
      const result = screenWith((i) => {
        i.evidence.push({ evidenceId: 'ev-photo-old', kind: 'venue-photo', status: 'invalid', reasonCodes: ['image-too-small'], tags: ['exam-room'] } satisfies EvidenceItem);
      });

      expect(result.outcome).toBe('pass');
    });

    it('names the invalidity reasons in the evidence finding (Art.3(1))', () => {
      const result = screenWith((i) => setStatus(i.evidence, 'ev-form', 'invalid', ['not-stamped']));

      const finding = result.findings.find((f) => f.code === 'EVIDENCE_INVALID')!;
      expect(finding.zh).toContain('未加盖单位公章');
      expect(finding.en).toContain('official seal missing');
    });

    it('gives every finding a path the portal can label', () => {
      const result = screenWith((i) => {
        room0(i).candidatePcCount = 1;
        room0(i).candidatePc.ramGb = 1;
        room0(i).invigilatorPc.fixedIp = '10.0.0.1';
        i.form.network.lanMbps = 1;
        i.form.safety.building.lighting = false;
        i.form.staff[0]!.examExperience = false;
      });

      for (const finding of result.findings.filter((f) => !f.path.startsWith('evidence.'))) {
        expect(labelForPath(finding.path), finding.path).toBeDefined();
      }
    });
  });

  describe('standard versions', () => {
    it('reads the per-room candidate-PC minimum from the version, not from the code (Art.11(2)1)', () => {
      const form: ApplicationForm = makeValidForm();
      form.examRooms = [form.examRooms[0]!];
      form.examRooms[0]!.candidatePcCount = 35;
      const relaxed = { ...standard, minCandidatePcsPerRoom: 30, minCandidatesAtOnce: 30 };

      expect(checkRooms(form.examRooms, standard).map((f) => f.code)).toContain('ROOM_CANDIDATE_PCS_BELOW_MINIMUM');
      expect(checkRooms(form.examRooms, relaxed).map((f) => f.code)).not.toContain('ROOM_CANDIDATE_PCS_BELOW_MINIMUM');
    });

    it('reads the enrolment and team minimums from the version (Art.9(1), Art.10(1))', () => {
      const form = makeValidForm();
      const strict = { ...standard, minEnrolment: 1000, minTeam: 8 };

      expect(checkMajors(form, strict).map((f) => f.code)).toEqual(['RELATED_ENROLMENT_BELOW_MINIMUM']);
      expect(checkStaff(form, strict).map((f) => f.code)).toEqual(['STAFF_TEAM_TOO_SMALL']);
    });

    it('freezes the standard so no caller can change a threshold at run time', () => {
      expect(Object.isFrozen(standard)).toBe(true);
      expect(Object.isFrozen(standard.candidatePc)).toBe(true);
    });
  });

  describe('FINDING_DEFINITIONS', () => {
    it('gives every code a severity and both languages, and an article unless it is a data-integrity check', () => {
      for (const code of FINDING_CODES) {
        const definition = FINDING_DEFINITIONS[code];
        if (definition.article !== undefined) expect(definition.article, code).toMatch(/^Art\.\d+/);
        expect(['blocking', 'advisory']).toContain(definition.severity);
        expect(definition.zh.length * definition.en.length, code).toBeGreaterThan(0);
      }
    });

    it('makes only the pilot-register findings refuse the application (Art.3(2))', () => {
      const refusing = FINDING_CODES.filter((code) => (FINDING_DEFINITIONS[code] as { refuses?: true }).refuses);

      expect(refusing.sort()).toEqual(['NOT_A_PILOT_COLLEGE', 'PILOT_COLLEGE_INACTIVE']);
    });
  });
});

function setStatus(items: EvidenceItem[], id: string, status: EvidenceItem['status'], reasonCodes: EvidenceItem['reasonCodes'] = []) {
  const found = items.find((e) => e.evidenceId === id)!;
  found.status = status;
  found.reasonCodes = reasonCodes;
}

export { screenApplication, getStandard, applyRuleMarks, type ScreeningInput } from './screen-application.ts';
export { accreditedRooms, assessRooms, roomCapacity, type AccreditedRoom } from './room-checks.ts';
export { cityCoverage, coverageReport, type CityCoverage, type CoverageReport, type CoverageSite, type UncoveredCity } from './coverage-report.ts';
export { STANDARD_VERSIONS, CURRENT_STANDARD_VERSION, CPU_RANK, ruleMark, type AccreditationStandard, type PcStandard, type RuleMark } from './standard-versions.ts';
export { FINDING_DEFINITIONS, FINDING_CODES, makeFinding, isRefusal, type FindingCode, type FindingDefinition } from './finding-codes.ts';
export { findPilotCollege, checkEligibility, type ScreeningInstitution } from './eligibility.ts';
export { STAFF_ROLE_LABELS } from './form-checks.ts';

import type { ApplicationForm } from '../../../schemas/application-form.schema.ts';
import type { Finding, ScreeningOutcome, ScreeningResult } from '../../../schemas/findings.schema.ts';
import type { PilotCollege } from '../../../schemas/pilot-college.schema.ts';
import { UnknownStandardVersionError } from '../accreditation-errors.ts';
import type { EvidenceItemView } from '../evidence-requirements.ts';
import { type ScreeningInstitution, checkEligibility } from './eligibility.ts';
import { checkEvidence } from './evidence-checks.ts';
import { isRefusal } from './finding-codes.ts';
import { checkEquipment, checkExamOffice, checkInstitution, checkMajors, checkNationalExams, checkNetwork, checkSafety, checkStaff } from './form-checks.ts';
import { assessRooms } from './room-checks.ts';
import { type AccreditationStandard, CURRENT_STANDARD_VERSION, ruleMark, STANDARD_VERSIONS } from './standard-versions.ts';

export interface ScreeningInput {
  /** The complete form (parsed with `applicationFormSchema`). */
  readonly form: ApplicationForm;
  /** The evidence items of the application (current version of each). */
  readonly evidence: readonly EvidenceItemView[];
  /** The applicant from its account record: its credit code is what the register is searched by. */
  readonly institution: ScreeningInstitution;
  /**
   * The pilot register, or just the entries for the applicant's credit code
   * (a keyed read is enough: only the matching entry is consulted).
   */
  readonly pilotRegister: readonly PilotCollege[];
  /** Defaults to `CURRENT_STANDARD_VERSION`. */
  readonly standardVersion?: string;
}

/** The standard of a version id. @throws UnknownStandardVersionError */
export function getStandard(version: string = CURRENT_STANDARD_VERSION): AccreditationStandard {
  const standard = STANDARD_VERSIONS[version];
  if (!standard) throw new UnknownStandardVersionError(version);
  return standard;
}

/**
 * Marks each finding with the basis of its rule in the standard: a policy
 * finding carries the organisation's reason, so the applicant, the reviewer
 * and the README can tell the regulation's text from its reading.
 */
export function applyRuleMarks(findings: readonly Finding[], standard: AccreditationStandard): Finding[] {
  return findings.map((finding) => {
    const mark = ruleMark(standard, finding.code);
    if (!mark) return finding;
    return { ...finding, basis: mark.basis, ...(mark.basis === 'policy' && mark.reason ? { policy: { zh: mark.reason.zh, en: mark.reason.en } } : {}) };
  });
}

/**
 * Screens an application against Art.3 and Art.9–11 of a version of the
 * standard. Pure: same input, same result.
 *
 * - `refuse` when the applicant is not eligible (not an active pilot college,
 *   Art.3(2)): the application is rejected.
 * - `return` when any blocking finding remains: the applicant corrects it.
 * - `pass` otherwise (advisory findings go to the reviewer). A room below
 *   the standard beside one that meets it is advisory (Art.9(2)): the site
 *   is accredited for the rooms that pass (`accreditedRooms`).
 *
 * All findings are listed in every case, so one round tells the applicant
 * everything.
 */
export function screenApplication(input: ScreeningInput): ScreeningResult {
  const standard = getStandard(input.standardVersion);
  const { form } = input;
  const eligibility = checkEligibility(form, input.institution, input.pilotRegister);
  const rooms = assessRooms(form.examRooms, standard);
  const findings = applyRuleMarks([
    ...eligibility.findings,
    ...checkInstitution(form),
    ...checkMajors(form, standard),
    ...checkStaff(form, standard, rooms.standardRooms.length),
    ...rooms.findings,
    ...checkExamOffice(form, standard),
    ...checkEquipment(form, standard),
    ...checkNetwork(form, standard),
    ...checkSafety(form),
    ...checkNationalExams(form),
    ...checkEvidence(input.evidence, { pilotCollege: eligibility.pilotCollege }),
  ], standard);
  const eligible = !findings.some(isRefusal);
  const outcome: ScreeningOutcome = !eligible
    ? 'refuse'
    : findings.some((f) => f.severity === 'blocking')
      ? 'return'
      : 'pass';
  return { standardVersion: standard.version, eligible, outcome, findings };
}

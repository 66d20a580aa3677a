import type { ApplicationForm } from '../../../schemas/application-form.schema.ts';
import type { Finding } from '../../../schemas/findings.schema.ts';
import type { PilotCollege } from '../../../schemas/pilot-college.schema.ts';
import { makeFinding } from './finding-codes.ts';

/** The applicant as the system knows it (from its account, managed by admins), not as its form says. */
export interface ScreeningInstitution {
  readonly creditCode: string;
  readonly name?: string;
}

/** The active pilot-register entry of a credit code, if any. */
export function findPilotCollege(register: readonly PilotCollege[], creditCode: string): PilotCollege | undefined {
  return register.find((entry) => entry.creditCode === creditCode);
}

/**
 * Art.3(2): during the pilot only pilot colleges may apply. Eligibility comes
 * from the pilot register by the institution's credit code; the form is only
 * compared with it.
 */
export function checkEligibility(
  form: ApplicationForm,
  institution: ScreeningInstitution,
  register: readonly PilotCollege[],
): { pilotCollege: boolean; findings: Finding[] } {
  const findings: Finding[] = [];
  const entry = findPilotCollege(register, institution.creditCode);
  const name = institution.name ?? form.institution.name;
  if (!entry) {
    findings.push(
      makeFinding(
        'NOT_A_PILOT_COLLEGE',
        'institution.creditCode',
        {
          zh: `「${name}」（${institution.creditCode}）不在试点院校名单中；试点期间暂不支持非试点院校和企业单位申报考核站点`,
          en: `${name} (${institution.creditCode}) is not on the pilot register; during the pilot only pilot colleges may apply`,
        },
        { creditCode: institution.creditCode },
      ),
    );
  } else if (!entry.active) {
    findings.push(
      makeFinding(
        'PILOT_COLLEGE_INACTIVE',
        'institution.creditCode',
        {
          zh: `「${entry.name}」在试点院校名单中的资格已停用`,
          en: `The pilot-register entry of ${entry.name} is inactive`,
        },
        { creditCode: institution.creditCode },
      ),
    );
  }
  if (form.institution.creditCode !== institution.creditCode) {
    findings.push(
      makeFinding(
        'INSTITUTION_CREDIT_CODE_MISMATCH',
        'institution.creditCode',
        {
          zh: `申请表中的统一社会信用代码 ${form.institution.creditCode} 与申请单位 ${institution.creditCode} 不符`,
          en: `The form gives credit code ${form.institution.creditCode}, but the applicant's is ${institution.creditCode}`,
        },
        { actual: form.institution.creditCode, required: institution.creditCode },
      ),
    );
  }
  if (entry?.active) {
    if (entry.name !== form.institution.name.trim()) {
      findings.push(
        makeFinding(
          'INSTITUTION_NAME_DIFFERS_FROM_REGISTER',
          'institution.name',
          {
            zh: `单位名称「${form.institution.name}」与试点院校名单中的「${entry.name}」不一致`,
            en: `The name ${form.institution.name} differs from ${entry.name} on the pilot register`,
          },
          { actual: form.institution.name, required: entry.name },
        ),
      );
    }
    if (entry.cityCode !== form.institution.cityCode) {
      findings.push(
        makeFinding(
          'INSTITUTION_CITY_DIFFERS_FROM_REGISTER',
          'institution.cityCode',
          {
            zh: `所在地级市 ${form.institution.cityCode} 与试点院校名单中的 ${entry.cityCode} 不一致`,
            en: `The city ${form.institution.cityCode} differs from ${entry.cityCode} on the pilot register`,
          },
          { actual: form.institution.cityCode, required: entry.cityCode },
        ),
      );
    }
  }
  return { pilotCollege: entry?.active === true, findings };
}

import { type Item } from '../../../functions/adapters/stores/table.ts';
import { keys } from '../../../test/support/table-keys.ts';

/** An institution, its application and the people around it. */
export const CREDIT_CODE = '12350000MB0000001X';
export const OTHER_CREDIT_CODE = '12440000MB0000002Y';
export const APP_ID = '01JAPP0000000000000000000A';
export const OTHER_APP_ID = '01JAPP0000000000000000000B';
export const APPLICANT = 'applicant-sub-1';
export const OTHER_APPLICANT = 'applicant-sub-2';
export const REVIEWER = 'reviewer-sub-1';
export const VISITOR = 'reviewer-sub-2';

export function application(status: string, overrides: Item = {}): Item {
  return {
    ...keys.application(APP_ID),
    type: 'application',
    id: APP_ID,
    creditCode: CREDIT_CODE,
    institutionName: '厦门示例职业技术学院',
    provinceCode: '350000',
    cityCode: '350200',
    status,
    version: 3,
    standardVersion: '2020-1',
    round: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    createdBy: APPLICANT,
    gsi1pk: `INST#${CREDIT_CODE}`,
    ...overrides,
  };
}

export function membership(sub: string, creditCode: string): Item {
  return {
    ...keys.membership(sub),
    type: 'membership',
    sub,
    creditCode,
    institutionName: 'x',
    provinceCode: '350000',
    cityCode: '350200',
    role: 'site-manager',
    email: `${sub}@college.example.cn`,
    name: 'x',
    invitationId: 'inv-1',
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

export function pilotEntry(creditCode: string): Item {
  return { ...keys.pilot(creditCode), type: 'pilot', creditCode, name: 'x', provinceCode: '350000', cityCode: '350200', active: true };
}

export function siteVisitTask(assigneeSub: string, status = 'pending'): Item {
  return {
    ...keys.decision('decision-visit-1'),
    type: 'decision',
    decisionId: 'decision-visit-1',
    kind: 'site-visit',
    applicationId: APP_ID,
    institutionId: CREDIT_CODE,
    institutionName: '厦门示例职业技术学院',
    assigneeSub,
    status,
    createdAt: '2025-01-01T00:00:00.000Z',
    deadline: '2099-01-01T00:00:00.000Z',
    deadlineMs: Date.parse('2099-01-01T00:00:00.000Z'),
    stepKey: `accreditation-${APP_ID}#WaitForSiteVisit#2025-01-01T00:00:00.000Z`,
    gsi3pk: `APP#${APP_ID}`,
    gsi3sk: '2025-01-01T00:00:00.000Z',
  };
}

/** A stored evidence item in a given state. */
export function evidenceItem(kind: string, itemId: string, overrides: Item = {}): Item {
  return {
    ...keys.evidence(APP_ID, kind, itemId),
    type: 'evidence',
    applicationId: APP_ID,
    kind,
    itemId,
    creditCode: CREDIT_CODE,
    status: 'pending',
    version: 0,
    objectKey: `applications/${APP_ID}/${kind}/${itemId}`,
    declaredContentType: 'application/pdf',
    declaredSize: 2048,
    fileName: 'file.pdf',
    tags: [],
    uploaderSub: APPLICANT,
    createdAt: '2025-01-01T00:00:00.000Z',
    uploadExpiresAt: '2099-01-01T00:00:00.000Z',
    ...overrides,
  };
}

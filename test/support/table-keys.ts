/**
 * The stores' key shapes, for the in-memory table fakes of the handler tests
 * that seed items directly (functions/adapters/stores/* own them; use cases
 * never see them).
 */
export const keys = {
  pilot: (creditCode: string) => ({ pk: `PILOT#${creditCode}`, sk: 'PILOT' }),
  membership: (sub: string) => ({ pk: `USER#${sub}`, sk: 'MEMBERSHIP' }),
  invitation: (codeHash: string) => ({ pk: `INVITE#${codeHash}`, sk: 'INVITE' }),
  application: (id: string) => ({ pk: `APP#${id}`, sk: 'APP' }),
  applicationForm: (id: string) => ({ pk: `APP#${id}`, sk: 'APP#FORM' }),
  evidence: (applicationId: string, kind: string, itemId: string) => ({ pk: `APP#${applicationId}`, sk: `EVIDENCE#${kind}#${itemId}` }),
  decision: (decisionId: string) => ({ pk: `DECISION#${decisionId}`, sk: 'DECISION' }),
  site: (id: string) => ({ pk: `SITE#${id}`, sk: 'SITE' }),
  audit: (owner: string, at: string, key: string) => ({ pk: owner, sk: `AUDIT#${at}#${key}` }),
};

/** A complete stored evidence item (the fields its record schema requires), for fakes seeded directly. */
export function storedEvidence(applicationId: string, kind: string, itemId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...keys.evidence(applicationId, kind, itemId),
    type: 'evidence',
    applicationId,
    kind,
    itemId,
    creditCode: '12440100455861238H',
    status: 'pending',
    version: 0,
    objectKey: `applications/${applicationId}/${kind}/${itemId}`,
    declaredContentType: 'application/pdf',
    declaredSize: 2048,
    fileName: 'file.pdf',
    tags: [],
    uploaderSub: 'sub-applicant',
    createdAt: '2025-01-01T00:00:00.000Z',
    uploadExpiresAt: '2025-01-01T00:10:00.000Z',
    ...overrides,
  };
}

import { describe, expect, it } from 'vitest';
import { EVIDENCE_KINDS, EVIDENCE_KIND_SPECS, evidenceItemSchema, isSiteLifeKind } from '../../../schemas/evidence.schema.ts';
import {
  attemptLimit,
  checkEvidenceFile,
  formatSize,
  isEvidenceRequired,
  usesAttempt,
  requiredEvidenceKinds,
  summariseEvidence,
} from '../../../functions/domain/evidence-requirements.ts';
import { validEvidence } from './fixtures/valid-form.ts';

const MB = 1024 * 1024;

describe('evidence-requirements', () => {
  describe('requiredEvidenceKinds', () => {
    it('asks a pilot college for everything of Art.3 but the legal-person certificate (Art.3(2))', () => {
      expect(requiredEvidenceKinds({ pilotCollege: true })).toEqual([
        'application-form',
        'manager-id-copy',
        'venue-photo',
        'policies',
        'exam-experience',
      ]);
    });

    it('asks an institution that is not a pilot college for the legal-person certificate too (Art.3(2))', () => {
      expect(isEvidenceRequired('legal-person-certificate', { pilotCollege: false })).toBe(true);
    });

    it('never asks the applicant for site-visit photos, which reviewers upload (Art.4)', () => {
      expect(isEvidenceRequired('site-visit-photo', { pilotCollege: false })).toBe(false);
      expect(EVIDENCE_KIND_SPECS['site-visit-photo'].uploadedBy).toBe('reviewer');
    });

    it("never counts the site's later-life files (site documents, case evidence) in the application's checklist (Art.20, Art.21, Art.23)", () => {
      for (const kind of ['site-document', 'case-evidence'] as const) {
        expect(isSiteLifeKind(kind)).toBe(true);
        expect(isEvidenceRequired(kind, { pilotCollege: false })).toBe(false);
      }
      const summaries = summariseEvidence([{ kind: 'site-document', status: 'valid' }, { kind: 'case-evidence', status: 'invalid' }], { pilotCollege: true });
      expect(summaries.map((s) => s.kind)).not.toContain('site-document');
      expect(summaries.map((s) => s.kind)).not.toContain('case-evidence');
    });
  });

  it('describes every kind with labels, an article, types, sizes and counts', () => {
    for (const kind of EVIDENCE_KINDS) {
      const spec = EVIDENCE_KIND_SPECS[kind];
      expect(spec.kind).toBe(kind);
      expect(spec.article).toMatch(isSiteLifeKind(kind) ? /^Art\.2[0-3]/ : /^Art\.[34]/);
      expect(spec.contentTypes.length).toBeGreaterThan(0);
      expect(spec.minSizeBytes).toBeLessThan(spec.maxSizeBytes);
      expect(spec.minCount).toBeLessThanOrEqual(spec.maxCount);
      for (const tag of spec.requiredTags) expect(spec.allowedTags).toContain(tag);
    }
  });

  describe('checkEvidenceFile', () => {
    it('accepts a 2 MB stamped-form PDF (Art.3(1))', () => {
      expect(checkEvidenceFile('application-form', { contentType: 'application/pdf', sizeBytes: 2 * MB })).toEqual([]);
    });

    it('refuses an application form as JPEG and above 10 MB (Art.3(1))', () => {
      expect(checkEvidenceFile('application-form', { contentType: 'image/jpeg', sizeBytes: 11 * MB })).toEqual([
        'content-type-not-allowed',
        'too-large',
      ]);
    });

    it('refuses an ID-card copy above 5 MB (Art.3(2))', () => {
      expect(checkEvidenceFile('manager-id-copy', { contentType: 'image/png', sizeBytes: 6 * MB, width: 2000, height: 1400 })).toEqual(['too-large']);
    });

    it('refuses a venue photo of 800×600 and accepts a portrait 768×1024 one (Art.3(3))', () => {
      expect(checkEvidenceFile('venue-photo', { contentType: 'image/jpeg', sizeBytes: MB, width: 800, height: 600 })).toEqual(['image-too-small']);
      expect(checkEvidenceFile('venue-photo', { contentType: 'image/jpeg', sizeBytes: MB, width: 768, height: 1024 })).toEqual([]);
    });

    it('refuses a venue photo whose dimensions could not be read, and an empty file (Art.3(3))', () => {
      expect(checkEvidenceFile('venue-photo', { contentType: 'image/png', sizeBytes: 10 })).toEqual(['too-small', 'unreadable']);
    });
  });

  describe('photo maximum (Art.3(3), policy: 12,000 px a side)', () => {
    it('refuses a photo whose long side exceeds 12,000 px, in either orientation, and accepts 12,000 × 12,000', () => {
      expect(checkEvidenceFile('venue-photo', { contentType: 'image/png', sizeBytes: MB, width: 12_001, height: 900 })).toEqual(['image-too-large']);
      expect(checkEvidenceFile('venue-photo', { contentType: 'image/png', sizeBytes: MB, width: 900, height: 60_000 })).toEqual(['image-too-large']);
      expect(checkEvidenceFile('site-visit-photo', { contentType: 'image/jpeg', sizeBytes: MB, width: 12_000, height: 12_000 })).toEqual([]);
    });

    it('bounds a scanned certificate or ID copy sent as an image like a photo: a header declaring 65,535 px or no readable size is refused (Art.3(2))', () => {
      for (const kind of ['legal-person-certificate', 'manager-id-copy'] as const) {
        expect(checkEvidenceFile(kind, { contentType: 'image/jpeg', sizeBytes: MB, width: 65_535, height: 65_535 })).toEqual(['image-too-large']);
        expect(checkEvidenceFile(kind, { contentType: 'image/png', sizeBytes: MB })).toEqual(['unreadable']);
        expect(checkEvidenceFile(kind, { contentType: 'image/png', sizeBytes: MB, width: 2480, height: 3508 })).toEqual([]);
        expect(checkEvidenceFile(kind, { contentType: 'application/pdf', sizeBytes: MB })).toEqual([]);
      }
    });
  });

  describe('usesAttempt (policy: 5 uploads per allowed file)', () => {
    const at = Date.parse('2025-03-01T08:00:00.000Z');
    const item = (over: Record<string, string>) => ({ status: 'pending', uploadExpiresAt: '2025-03-01T08:10:00.000Z', createdAt: '2025-03-01T07:59:00.000Z', ...over });

    it('counts uploads that arrived, whatever became of them, and uploads in flight', () => {
      for (const status of ['valid', 'invalid', 'withdrawn']) expect(usesAttempt(item({ status, lastSequencer: '1' }), at)).toBe(true);
      expect(usesAttempt(item({}), at)).toBe(true);
    });

    it('does not count a request never completed: an abandoned grant, or one withdrawn before any upload', () => {
      expect(usesAttempt(item({ uploadExpiresAt: '2025-03-01T07:00:00.000Z' }), at)).toBe(false);
      expect(usesAttempt(item({ status: 'withdrawn' }), at)).toBe(false);
    });

    it('does not count uploads requested before an admin’s reset', () => {
      expect(usesAttempt(item({ status: 'invalid', lastSequencer: '1' }), at, '2025-03-01T07:59:30.000Z')).toBe(false);
      expect(usesAttempt(item({ status: 'invalid', lastSequencer: '1' }), at, '2025-03-01T07:58:00.000Z')).toBe(true);
    });

    it('allows five attempts per allowed file, and says sizes as users read them', () => {
      expect(attemptLimit(EVIDENCE_KIND_SPECS['application-form'])).toBe(5);
      expect(attemptLimit(EVIDENCE_KIND_SPECS['venue-photo'])).toBe(150);
      expect([formatSize(512), formatSize(1024), formatSize(15 * MB), formatSize(1.5 * MB)]).toEqual(['512 B', '1 KB', '15 MB', '1.5 MB']);
    });
  });

  describe('summariseEvidence', () => {
    it('marks every applicant kind valid for the fixture except the waived certificate', () => {
      const summary = summariseEvidence(validEvidence, { pilotCollege: true });

      expect(summary.map((s) => [s.kind, s.required, s.status])).toEqual([
        ['application-form', true, 'valid'],
        ['legal-person-certificate', false, 'missing'],
        ['manager-id-copy', true, 'valid'],
        ['venue-photo', true, 'valid'],
        ['policies', true, 'valid'],
        ['exam-experience', true, 'valid'],
      ]);
    });

    it('reports pending before invalid, and the reasons of invalid items', () => {
      const items = [
        { kind: 'policies' as const, status: 'invalid' as const, reasonCodes: ['encrypted-pdf' as const], tags: ['management' as const] },
        { kind: 'policies' as const, status: 'pending' as const },
      ];

      const policies = summariseEvidence(items, { pilotCollege: true }).find((s) => s.kind === 'policies')!;
      expect(policies).toMatchObject({ status: 'pending', pendingCount: 1, invalidCount: 1, reasonCodes: ['encrypted-pdf'] });
      expect(policies.missingTags).toEqual(['management', 'safety', 'confidentiality']);
    });

    it('treats a slot with nothing uploaded as missing', () => {
      const summary = summariseEvidence([{ kind: 'exam-experience', status: 'missing' }], { pilotCollege: true });

      expect(summary.find((s) => s.kind === 'exam-experience')).toMatchObject({ status: 'missing', validCount: 0 });
    });
  });

  describe('evidenceItemSchema', () => {
    it('accepts the fixture items and defaults reasons and tags', () => {
      for (const item of validEvidence) expect(evidenceItemSchema.safeParse(item).success).toBe(true);
      expect(evidenceItemSchema.parse({ evidenceId: 'e1', kind: 'policies', status: 'pending' })).toMatchObject({ reasonCodes: [], tags: [] });
    });

    it('refuses an unknown status or reason code', () => {
      expect(evidenceItemSchema.safeParse({ evidenceId: 'e1', kind: 'policies', status: 'lost' }).success).toBe(false);
      expect(evidenceItemSchema.safeParse({ evidenceId: 'e1', kind: 'policies', status: 'invalid', reasonCodes: ['ugly'] }).success).toBe(false);
    });
  });
});

import { describe, expect, it } from 'vitest';
import {
  attachmentDisposition,
  compareSequencers,
  evidenceObjectKey,
  normaliseSequencer,
  parseEvidenceKey,
  quarantineKey,
  sanitiseFileName,
} from '../../../functions/domain/evidence-keys.ts';

const ITEM = '01J9Z8Y7X6W5V4T3S2R1Q0P9NM';
const APP = '01J9Z8Y7X6W5V4T3S2R1Q0APPA';

describe('evidence-keys', () => {
  describe('evidenceObjectKey / parseEvidenceKey', () => {
    it('puts each file of Art.3 at applications/<applicationId>/<kind>/<itemId> and reads it back', () => {
      const key = evidenceObjectKey({ applicationId: APP, kind: 'manager-id-copy', itemId: ITEM });
      expect(key).toBe(`applications/${APP}/manager-id-copy/${ITEM}`);
      expect(parseEvidenceKey(key)).toEqual({ applicationId: APP, kind: 'manager-id-copy', itemId: ITEM });
    });

    it('keeps site-visit photos (Art.4) under the same shape', () => {
      expect(parseEvidenceKey(`applications/${APP}/site-visit-photo/${ITEM}`)?.kind).toBe('site-visit-photo');
    });

    it.each([
      ['a quarantine copy', `quarantine/applications/${APP}/policies/${ITEM}/v1`],
      ['another prefix', `uploads/${APP}/policies/${ITEM}`],
      ['an extra segment', `applications/${APP}/policies/${ITEM}/x`],
      ['a missing segment', `applications/${APP}/policies`],
      ['an unknown kind', `applications/${APP}/selfie/${ITEM}`],
      ['an item id that is not a ULID', `applications/${APP}/policies/report.pdf`],
      ['a path traversal', `applications/../policies/${ITEM}`],
    ])('rejects %s', (_, key) => {
      expect(parseEvidenceKey(key)).toBeUndefined();
    });

    it('refuses to build a key from a part the server did not make', () => {
      expect(() => evidenceObjectKey({ applicationId: APP, kind: 'policies', itemId: '../../etc' })).toThrow(RangeError);
    });
  });

  describe('quarantineKey', () => {
    it('keeps an invalid version under quarantine/ with its version id', () => {
      expect(quarantineKey({ applicationId: APP, kind: 'policies', itemId: ITEM }, 'v.1_a')).toBe(`quarantine/applications/${APP}/policies/${ITEM}/v.1_a`);
    });
  });

  describe('normaliseSequencer / compareSequencers', () => {
    it('orders sequencers of different lengths after right-padding with zeros, as S3 documents', () => {
      const a = normaliseSequencer('0055AED6DCD90281E5') as string;
      const b = normaliseSequencer('0055aed6dcd90281e6') as string;
      const longer = normaliseSequencer('0055AED6DCD90281E501') as string;
      expect(a).toHaveLength(b.length);
      expect(compareSequencers(a, b)).toBeLessThan(0);
      expect(compareSequencers(b, a)).toBeGreaterThan(0);
      expect(compareSequencers(a, normaliseSequencer('0055AED6DCD90281E5') as string)).toBe(0);
      expect(compareSequencers(a, longer)).toBeLessThan(0);
    });

    it('rejects a sequencer that is not hex', () => {
      expect(normaliseSequencer('12G4')).toBeUndefined();
    });
  });

  describe('sanitiseFileName', () => {
    it('keeps a Chinese name for display but drops the path, controls and bidi overrides', () => {
      expect(sanitiseFileName('C:\\Users\\me\\营业执照\u202e.pdf', 'application/pdf')).toBe('营业执照.pdf');
    });

    it('gives the file the extension of its validated type, never the one the client chose', () => {
      expect(sanitiseFileName('invoice.exe', 'application/pdf')).toBe('invoice.pdf');
      expect(sanitiseFileName('photo.JPEG', 'image/jpeg')).toBe('photo.JPEG');
      expect(sanitiseFileName('...', 'image/png')).toBe('evidence.png');
    });
  });

  describe('attachmentDisposition', () => {
    it('serves the file as an attachment with an ASCII fallback and the UTF-8 name', () => {
      expect(attachmentDisposition("考场 (1)'s.jpg")).toBe(
        `attachment; filename="__ (1)'s.jpg"; filename*=UTF-8''%E8%80%83%E5%9C%BA%20%281%29%27s.jpg`,
      );
    });
  });
});

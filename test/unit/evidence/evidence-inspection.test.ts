import { describe, expect, it } from 'vitest';
import {
  assessEvidence,
  inspectPdf,
  jpegDimensions,
  polyglotSignatures,
  pngDimensions,
  sniffContentType,
} from '../../../functions/domain/evidence-inspection.ts';
import { buildJpeg, buildPdf, buildPng, withJpegComment } from './helpers.ts';

function observe(kind: Parameters<typeof assessEvidence>[0]['kind'], bytes: Uint8Array, declaredContentType: string) {
  return assessEvidence({
    kind,
    declaredContentType,
    declaredSize: bytes.length,
    eventSize: bytes.length,
    storedSize: bytes.length,
    head: bytes.subarray(0, 64 * 1024),
    tail: bytes.subarray(Math.max(0, bytes.length - 1024)),
  });
}

describe('evidence-inspection', () => {
  describe('sniffContentType', () => {
    it('tells PDF, JPEG and PNG apart by their magic bytes, not by what the client declared', () => {
      expect(sniffContentType(buildPdf())).toBe('application/pdf');
      expect(sniffContentType(buildJpeg(16, 16))).toBe('image/jpeg');
      expect(sniffContentType(buildPng(4, 4))).toBe('image/png');
      expect(sniffContentType(new TextEncoder().encode('MZ\x90\x00 not evidence'))).toBeUndefined();
    });
  });

  describe('pngDimensions', () => {
    it('reads width and height from the IHDR chunk of a real PNG', () => {
      expect(pngDimensions(buildPng(1024, 768))).toEqual({ width: 1024, height: 768 });
    });

    it('refuses a PNG whose first chunk is not IHDR', () => {
      const png = buildPng(8, 8);
      png[12] = 0x58;
      expect(pngDimensions(png)).toBeUndefined();
    });
  });

  describe('jpegDimensions', () => {
    it('walks past APP0, a comment and an EXIF block to the SOF0 frame header', () => {
      expect(jpegDimensions(buildJpeg(800, 600, { app1Bytes: 5000 }))).toEqual({ width: 800, height: 600 });
    });

    it('asks for more bytes when the frame header lies beyond what was read', () => {
      const jpeg = buildJpeg(1280, 960, { app1Bytes: 70_000 });
      expect(jpegDimensions(jpeg.subarray(0, 64 * 1024))).toBe('truncated');
      expect(jpegDimensions(jpeg)).toEqual({ width: 1280, height: 960 });
    });
  });

  describe('inspectPdf', () => {
    it('finds the header in the first 1024 bytes and %%EOF in the last 1024', () => {
      const pdf = buildPdf({ padTo: 4096 });
      expect(inspectPdf(pdf.subarray(0, 1024), pdf.subarray(pdf.length - 1024))).toMatchObject({ headerFound: true, eofFound: true, activeContent: [] });
    });

    it('notices a PDF cut short (no %%EOF)', () => {
      const pdf = buildPdf({ padTo: 4096, withoutEof: true });
      expect(inspectPdf(pdf, pdf.subarray(pdf.length - 1024)).eofFound).toBe(false);
    });

    it('sees JavaScript and Launch actions, even with escaped names', () => {
      const pdf = buildPdf({ extra: '<< /S /J#61vaScript /JS (app.alert(1)) /Next << /S /Launch /F (calc.exe) >> >>' });
      expect(inspectPdf(pdf, pdf).activeContent).toEqual(['/JS', '/JavaScript', '/Launch']);
    });

    it('sees a script entry alone (/JS without /S /JavaScript), even escaped', () => {
      const pdf = buildPdf({ extra: '<< /Type /Annot /Subtype /Widget /A << /J#53 (app.launchURL("x")) >> >>' });
      expect(inspectPdf(pdf, pdf).activeContent).toEqual(['/JS']);
    });

    it('sees an /OpenAction or /AA that opens a URI or submits a form when the document opens, inline or by reference', () => {
      const inline = buildPdf({ extra: '<< /Type /Catalog /OpenAction << /S /URI /URI (http://evil.example) >> >>' });
      expect(inspectPdf(inline, inline).activeContent).toEqual(['/OpenAction /URI']);
      const referenced = buildPdf({ extra: '<< /OpenAction 5 0 R >>\nendobj\n5 0 obj\n<< /Type /Action /S /SubmitForm /F (http://x) >>' });
      expect(inspectPdf(referenced, referenced).activeContent).toEqual(['/OpenAction /SubmitForm']);
      const pageActions = buildPdf({ extra: '<< /Type /Page /AA << /O 6 0 R >> >>\nendobj\n6 0 obj\n<< /S /ImportData /F (data.fdf) >>' });
      expect(inspectPdf(pageActions, pageActions).activeContent).toEqual(['/AA /ImportData']);
    });

    it('lets an /OpenAction that only shows a page pass: a destination array (as LaTeX writes) or a GoTo', () => {
      const destination = buildPdf({ extra: '<< /OpenAction [3 0 R /Fit] >>' });
      const goTo = buildPdf({ extra: '<< /OpenAction << /S /GoTo /D [3 0 R /XYZ 0 842 0] >> >>' });
      const referencedDestination = buildPdf({ extra: '<< /OpenAction 5 0 R >>\nendobj\n5 0 obj\n[3 0 R /FitH 842]' });
      for (const pdf of [destination, goTo, referencedDestination]) expect(inspectPdf(pdf, pdf).activeContent).toEqual([]);
    });

    it('costs no more for a file made of thousands of automatic actions', () => {
      const many = buildPdf({ extra: `<< ${'/AA 9 0 R '.repeat(5000)} >>` });
      const started = performance.now();
      expect(inspectPdf(many, many).activeContent).toEqual([]);
      expect(performance.now() - started).toBeLessThan(500);
    });
  });

  describe('polyglotSignatures', () => {
    it('finds web markup in any file and a PDF header in an image, in the head it was given', () => {
      const jpeg = buildJpeg(1200, 900);
      const withScript = withJpegComment(jpeg, '<SCRIPT>alert(1)</script>');
      expect(polyglotSignatures(withScript, 'image/jpeg')).toEqual(['<script']);
      const withPdf = withJpegComment(jpeg, '%PDF-1.7 1 0 obj');
      expect(polyglotSignatures(withPdf, 'image/jpeg')).toEqual(['%PDF-']);
      expect(polyglotSignatures(buildPdf({ padTo: 4096 }), 'application/pdf')).toEqual([]);
      expect(polyglotSignatures(jpeg, 'image/jpeg')).toEqual([]);
      expect(polyglotSignatures(buildPng(1024, 768), 'image/png')).toEqual([]);
    });
  });

  describe('assessEvidence', () => {
    it('accepts a well-formed stamped-form PDF (Art.3(1))', () => {
      const result = observe('application-form', buildPdf({ padTo: 2048 }), 'application/pdf');
      expect(result).toMatchObject({ status: 'valid', detectedType: 'application/pdf', reasons: [] });
    });

    it('refuses a JPEG declared as a PDF, citing the kind’s article (Art.3(1))', () => {
      const result = observe('application-form', buildJpeg(1024, 768), 'application/pdf');
      expect(result.status).toBe('invalid');
      expect(result.detectedType).toBe('image/jpeg');
      expect(result.reasons.map((r) => r.code)).toEqual(['EVIDENCE_CONTENT_MISMATCH', 'EVIDENCE_TYPE_NOT_ALLOWED']);
      expect(result.reasons.every((r) => r.article === 'Art.3(1)' && r.zh.length > 0 && r.en.length > 0)).toBe(true);
      expect(result.reasonCodes).toEqual(['content-mismatch', 'content-type-not-allowed']);
    });

    it('refuses an 800×600 venue photo below the 1024×768 minimum (Art.3(3))', () => {
      const result = observe('venue-photo', buildJpeg(800, 600), 'image/jpeg');
      expect(result).toMatchObject({ status: 'invalid', width: 800, height: 600 });
      expect(result.reasons).toEqual([expect.objectContaining({ code: 'EVIDENCE_IMAGE_TOO_SMALL', article: 'Art.3(3)' })]);
    });

    it('names the measured size and the minimum in the reason, in both languages (Art.3(3))', () => {
      const [reason] = observe('venue-photo', buildJpeg(800, 600), 'image/jpeg').reasons;
      expect(reason?.zh).toContain('800 × 600 px');
      expect(reason?.zh).toContain('1024 × 768 px');
      expect(reason?.en).toBe('The image resolution is too low (800 × 600 px): at least 1024 × 768 px');
    });

    it('refuses a PNG whose header declares 20,000 px a side, without decoding it: above the 12,000 px maximum (Art.3(3))', () => {
      const png = buildPng(8, 8);
      // Only the IHDR says how big the picture is; the few pixel bytes behind it are never read.
      new DataView(png.buffer, png.byteOffset).setUint32(16, 20_000);
      new DataView(png.buffer, png.byteOffset).setUint32(20, 15_000);
      const padded = new Uint8Array(2048);
      padded.set(png);
      const result = observe('venue-photo', padded, 'image/png');
      expect(result).toMatchObject({ status: 'invalid', width: 20_000, height: 15_000, reasonCodes: ['image-too-large'] });
      expect(result.reasons).toEqual([
        {
          code: 'EVIDENCE_IMAGE_TOO_LARGE',
          article: 'Art.3(3)',
          zh: '图片尺寸过大（20000 × 15000 px），每边不能超过 12000 px',
          en: 'The image dimensions are too large (20000 × 15000 px): at most 12000 px a side',
        },
      ]);
    });

    it('refuses a JPEG one pixel wider than 12,000 px and accepts one of exactly 12,000 px (Art.3(3))', () => {
      expect(observe('venue-photo', buildJpeg(12_001, 800), 'image/jpeg').reasonCodes).toEqual(['image-too-large']);
      expect(observe('venue-photo', buildJpeg(12_000, 800), 'image/jpeg')).toMatchObject({ status: 'valid', width: 12_000 });
    });

    it('names the limit and the stored size of a file too small (Art.3(1))', () => {
      const tiny = buildPdf();
      const [reason] = observe('application-form', tiny, 'application/pdf').reasons;
      expect(reason).toMatchObject({ code: 'EVIDENCE_TOO_SMALL', en: `The file is too small (${tiny.length} B): at least 1 KB` });
    });

    it('accepts a 1024×768 PNG venue photo (Art.3(3))', () => {
      expect(observe('venue-photo', buildPng(1024, 768), 'image/png')).toMatchObject({ status: 'valid', width: 1024, height: 768 });
    });

    it('refuses a PDF with a JavaScript action: a reviewer would open it (Art.3(4))', () => {
      const result = observe('policies', buildPdf({ padTo: 2048, extra: '<< /S /JavaScript /JS (x) >>' }), 'application/pdf');
      expect(result.reasons.map((r) => r.code)).toEqual(['EVIDENCE_PDF_ACTIVE_CONTENT']);
    });

    it('refuses a JPEG carrying a PDF in its first bytes (a polyglot), citing the content mismatch (Art.3(3))', () => {
      const jpeg = buildJpeg(1200, 900);
      const polyglot = withJpegComment(jpeg, '%PDF-1.4\n1 0 obj << /S /GoTo >> endobj');
      const result = observe('venue-photo', polyglot, 'image/jpeg');
      expect(result).toMatchObject({ status: 'invalid', reasonCodes: ['content-mismatch'] });
      expect(result.reasons.map((r) => r.code)).toEqual(['EVIDENCE_POLYGLOT']);
    });

    it('refuses a PDF that opens a URI by itself (/OpenAction) as active content (Art.3(4))', () => {
      const result = observe('policies', buildPdf({ padTo: 2048, extra: '<< /OpenAction << /S /URI /URI (http://x) >> >>' }), 'application/pdf');
      expect(result.reasons.map((r) => r.code)).toEqual(['EVIDENCE_PDF_ACTIVE_CONTENT']);
    });

    it('refuses a file whose stored size is not the declared size (Art.3(4))', () => {
      const pdf = buildPdf({ padTo: 2048 });
      const result = assessEvidence({
        kind: 'policies',
        declaredContentType: 'application/pdf',
        declaredSize: pdf.length + 10,
        eventSize: pdf.length,
        storedSize: pdf.length,
        head: pdf,
        tail: pdf,
      });
      expect(result.reasons.map((r) => r.code)).toEqual(['EVIDENCE_SIZE_MISMATCH']);
    });
  });
});

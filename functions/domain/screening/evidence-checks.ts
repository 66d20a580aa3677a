import { EVIDENCE_KIND_SPECS, EVIDENCE_REASON_LABELS, EVIDENCE_TAGS } from '../../../schemas/evidence.schema.ts';
import type { Finding } from '../../../schemas/findings.schema.ts';
import { type EvidenceContext, type EvidenceItemView, summariseEvidence } from '../evidence-requirements.ts';
import { makeFinding } from './finding-codes.ts';

const TAG_LABELS: Readonly<Record<(typeof EVIDENCE_TAGS)[number], { zh: string; en: string }>> = {
  'exam-room': { zh: '考场全景', en: 'exam room' },
  equipment: { zh: '设备设施', en: 'equipment' },
  'exam-office': { zh: '考务办公室', en: 'exam-affairs office' },
  management: { zh: '管理制度', en: 'management rules' },
  safety: { zh: '安全制度', en: 'safety rules' },
  confidentiality: { zh: '保密制度', en: 'confidentiality rules' },
  other: { zh: '其他', en: 'other' },
};

/**
 * Art.3: every required kind of evidence is there, validated, numerous
 * enough and covering its subjects. Findings cite the clause of the kind.
 */
export function checkEvidence(items: readonly EvidenceItemView[], context: EvidenceContext): Finding[] {
  const findings: Finding[] = [];
  for (const summary of summariseEvidence(items, context)) {
    if (!summary.required || summary.status === 'valid') continue;
    const spec = EVIDENCE_KIND_SPECS[summary.kind];
    const path = `evidence.${summary.kind}`;
    const params = { kind: summary.kind, validCount: summary.validCount, required: summary.minCount };
    const total = summary.validCount + summary.pendingCount + summary.invalidCount;
    if (total === 0) {
      findings.push(
        makeFinding('EVIDENCE_MISSING', path, { zh: `缺少「${spec.zh}」`, en: `${spec.en}: missing` }, params, spec.article),
      );
      continue;
    }
    if (summary.invalidCount > 0 && summary.validCount < summary.minCount) {
      const reasons = summary.reasonCodes.map((code) => EVIDENCE_REASON_LABELS[code]);
      findings.push(
        makeFinding(
          'EVIDENCE_INVALID',
          path,
          {
            zh: `「${spec.zh}」有 ${summary.invalidCount} 份不合格${reasons.length ? `：${reasons.map((r) => r.zh).join('、')}` : ''}`,
            en: `${spec.en}: ${summary.invalidCount} file(s) invalid${reasons.length ? ` (${reasons.map((r) => r.en).join(', ')})` : ''}`,
          },
          { ...params, reasons: summary.reasonCodes.join(',') },
          spec.article,
        ),
      );
    }
    if (summary.pendingCount > 0) {
      findings.push(
        makeFinding(
          'EVIDENCE_PENDING',
          path,
          {
            zh: `「${spec.zh}」有 ${summary.pendingCount} 份尚在校验中`,
            en: `${spec.en}: ${summary.pendingCount} file(s) still being validated`,
          },
          params,
          spec.article,
        ),
      );
    }
    if (summary.pendingCount === 0 && summary.invalidCount === 0 && summary.validCount < summary.minCount) {
      findings.push(
        makeFinding(
          'EVIDENCE_TOO_FEW',
          path,
          {
            zh: `「${spec.zh}」合格 ${summary.validCount} 份，至少需要 ${summary.minCount} 份`,
            en: `${spec.en}: ${summary.validCount} valid file(s); at least ${summary.minCount} required`,
          },
          params,
          spec.article,
        ),
      );
    }
    if (summary.missingTags.length > 0 && summary.pendingCount === 0) {
      findings.push(
        makeFinding(
          'EVIDENCE_TAG_MISSING',
          path,
          {
            zh: `「${spec.zh}」缺少：${summary.missingTags.map((t) => TAG_LABELS[t].zh).join('、')}`,
            en: `${spec.en}: nothing valid shows ${summary.missingTags.map((t) => TAG_LABELS[t].en).join(', ')}`,
          },
          { ...params, missingTags: summary.missingTags.join(',') },
          spec.article,
        ),
      );
    }
  }
  return findings;
}

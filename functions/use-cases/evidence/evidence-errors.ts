import type { EvidenceKindSpec } from '../../../schemas/evidence.schema.ts';
import { DomainError } from '../../domain/errors.ts';

/**
 * The evidence API's refusals: each a stable code, zh-CN and English, and the
 * article of the rule (the kind's article for Art.3 rules).
 */
const MB = 1024 * 1024;
const size = (bytes: number) => (bytes >= MB ? `${(bytes / MB).toFixed(bytes % MB === 0 ? 0 : 1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

export const evidenceErrors = {
  kindUnknown: (kind: string) =>
    new DomainError('EVIDENCE_KIND_UNKNOWN', 400, `没有名为 ${kind} 的支撑材料类别。`, `There is no evidence kind ${kind}.`, 'Art.3'),
  typeNotAllowed: (spec: EvidenceKindSpec, contentType: string) =>
    new DomainError(
      'EVIDENCE_TYPE_NOT_ALLOWED',
      400,
      `“${spec.zh}”只接受以下文件类型：${spec.contentTypes.join('、')}；不接受 ${contentType}。`,
      `${spec.en} accepts only ${spec.contentTypes.join(', ')}; not ${contentType}.`,
      spec.article,
    ),
  tooLarge: (spec: EvidenceKindSpec) =>
    new DomainError('EVIDENCE_TOO_LARGE', 400, `“${spec.zh}”的文件不能超过 ${size(spec.maxSizeBytes)}。`, `${spec.en}: a file may not exceed ${size(spec.maxSizeBytes)}.`, spec.article),
  tooSmall: (spec: EvidenceKindSpec) =>
    new DomainError('EVIDENCE_TOO_SMALL', 400, `“${spec.zh}”的文件不能小于 ${size(spec.minSizeBytes)}。`, `${spec.en}: a file must be at least ${size(spec.minSizeBytes)}.`, spec.article),
  tagNotAllowed: (spec: EvidenceKindSpec, tag: string) =>
    new DomainError('EVIDENCE_TAG_NOT_ALLOWED', 400, `“${spec.zh}”不能标注为 ${tag}。`, `${spec.en} cannot be tagged ${tag}.`, spec.article),
  countExceeded: (spec: EvidenceKindSpec) =>
    new DomainError(
      'EVIDENCE_COUNT_EXCEEDED',
      409,
      `“${spec.zh}”最多 ${spec.maxCount} 份；请先删除不需要的文件。`,
      `${spec.en}: at most ${spec.maxCount} files; remove one first.`,
      spec.article,
    ),
  attemptsExceeded: (spec: EvidenceKindSpec) =>
    new DomainError('EVIDENCE_ATTEMPTS_EXCEEDED', 409, `“${spec.zh}”的上传次数过多，请联系培训评价组织。`, `Too many uploads of ${spec.en}; contact the organisation.`, spec.article),
  notEditable: (status: string) =>
    new DomainError(
      'APPLICATION_NOT_EDITABLE',
      409,
      `申请当前为 ${status} 状态，只有草稿或退回修改的申请可以上传或删除材料。`,
      `The application is ${status}; evidence can be changed only while it is a draft or returned for correction.`,
      'Art.4',
    ),
  siteVisitNotInProgress: (status: string) =>
    new DomainError('SITE_VISIT_NOT_IN_PROGRESS', 409, `申请当前为 ${status} 状态，不在实地考察阶段。`, `The application is ${status}, not in its site visit.`, 'Art.4'),
  notAssignedVisitor: () =>
    new DomainError('NOT_ASSIGNED_VISITOR', 403, '只有被指派实地考察的审核人员可以上传考察照片。', 'Only the reviewer assigned to the site visit adds its photos.', 'Art.4'),
  notUploader: () => new DomainError('FORBIDDEN', 403, '只能删除自己上传的文件。', 'Only the uploader may remove this file.'),
  notValidated: () =>
    new DomainError('EVIDENCE_NOT_VALIDATED', 409, '文件尚未通过校验，暂不能下载。', 'The file has not been validated yet; it cannot be downloaded.', 'Art.3'),
  invalid: () => new DomainError('EVIDENCE_INVALID', 409, '文件未通过校验，不能下载。', 'The file failed validation; it cannot be downloaded.', 'Art.3'),
  withdrawn: () => new DomainError('EVIDENCE_WITHDRAWN', 409, '文件已被删除。', 'The file was removed.'),
  idempotencyKeyReused: () =>
    new DomainError('IDEMPOTENCY_KEY_REUSED', 409, '该 Idempotency-Key 已用于另一个请求。', 'This Idempotency-Key was used for a different request.'),
  uploadAlreadyReceived: () =>
    new DomainError('EVIDENCE_UPLOAD_ALREADY_RECEIVED', 409, '该文件已上传；如需替换，请重新申请上传。', 'This file was already uploaded; request a new upload to replace it.'),
  uploadGrantExpired: () => new DomainError('UPLOAD_GRANT_EXPIRED', 410, '上传授权已过期，请重新申请上传。', 'The upload grant expired; request a new upload.'),
};

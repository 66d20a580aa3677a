import type { EvidenceKindSpec } from '../../../schemas/evidence.schema.ts';
import { DomainError } from '../../domain/errors.ts';

/**
 * The evidence API's refusals: each a named error with a stable code, zh-CN
 * and English, and the article of the rule (the kind's article for Art.3
 * rules).
 */
const MB = 1024 * 1024;
const size = (bytes: number) => (bytes >= MB ? `${(bytes / MB).toFixed(bytes % MB === 0 ? 0 : 1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

export class EvidenceKindUnknownError extends DomainError {
  constructor(kind: string) {
    super('EVIDENCE_KIND_UNKNOWN', 'invalid', `没有名为 ${kind} 的支撑材料类别。`, `There is no evidence kind ${kind}.`, 'Art.3');
  }
}

export class EvidenceTypeNotAllowedError extends DomainError {
  constructor(spec: EvidenceKindSpec, contentType: string) {
    super(
      'EVIDENCE_TYPE_NOT_ALLOWED',
      'invalid',
      `“${spec.zh}”只接受以下文件类型：${spec.contentTypes.join('、')}；不接受 ${contentType}。`,
      `${spec.en} accepts only ${spec.contentTypes.join(', ')}; not ${contentType}.`,
      spec.article,
    );
  }
}

export class EvidenceTooLargeError extends DomainError {
  constructor(spec: EvidenceKindSpec) {
    super('EVIDENCE_TOO_LARGE', 'invalid', `“${spec.zh}”的文件不能超过 ${size(spec.maxSizeBytes)}。`, `${spec.en}: a file may not exceed ${size(spec.maxSizeBytes)}.`, spec.article);
  }
}

export class EvidenceTooSmallError extends DomainError {
  constructor(spec: EvidenceKindSpec) {
    super('EVIDENCE_TOO_SMALL', 'invalid', `“${spec.zh}”的文件不能小于 ${size(spec.minSizeBytes)}。`, `${spec.en}: a file must be at least ${size(spec.minSizeBytes)}.`, spec.article);
  }
}

export class EvidenceTagNotAllowedError extends DomainError {
  constructor(spec: EvidenceKindSpec, tag: string) {
    super('EVIDENCE_TAG_NOT_ALLOWED', 'invalid', `“${spec.zh}”不能标注为 ${tag}。`, `${spec.en} cannot be tagged ${tag}.`, spec.article);
  }
}

export class EvidenceCountExceededError extends DomainError {
  constructor(spec: EvidenceKindSpec) {
    super(
      'EVIDENCE_COUNT_EXCEEDED',
      'conflict',
      `“${spec.zh}”最多 ${spec.maxCount} 份；请先删除不需要的文件。`,
      `${spec.en}: at most ${spec.maxCount} files; remove one first.`,
      spec.article,
    );
  }
}

export class EvidenceAttemptsExceededError extends DomainError {
  constructor(spec: EvidenceKindSpec) {
    super('EVIDENCE_ATTEMPTS_EXCEEDED', 'conflict', `“${spec.zh}”的上传次数过多，请联系培训评价组织。`, `Too many uploads of ${spec.en}; contact the organisation.`, spec.article);
  }
}

export class ApplicationNotEditableError extends DomainError {
  constructor(status: string) {
    super(
      'APPLICATION_NOT_EDITABLE',
      'conflict',
      `申请当前为 ${status} 状态，只有草稿或退回修改的申请可以上传或删除材料。`,
      `The application is ${status}; evidence can be changed only while it is a draft or returned for correction.`,
      'Art.4',
    );
  }
}

export class SiteVisitNotInProgressError extends DomainError {
  constructor(status: string) {
    super('SITE_VISIT_NOT_IN_PROGRESS', 'conflict', `申请当前为 ${status} 状态，不在实地考察阶段。`, `The application is ${status}, not in its site visit.`, 'Art.4');
  }
}

export class NotAssignedVisitorError extends DomainError {
  constructor() {
    super('NOT_ASSIGNED_VISITOR', 'forbidden', '只有被指派实地考察的审核人员可以上传考察照片。', 'Only the reviewer assigned to the site visit adds its photos.', 'Art.4');
  }
}

export class NotUploaderError extends DomainError {
  constructor() {
    super('FORBIDDEN', 'forbidden', '只能删除自己上传的文件。', 'Only the uploader may remove this file.');
  }
}

export class EvidenceNotValidatedError extends DomainError {
  constructor() {
    super('EVIDENCE_NOT_VALIDATED', 'conflict', '文件尚未通过校验，暂不能下载。', 'The file has not been validated yet; it cannot be downloaded.', 'Art.3');
  }
}

export class EvidenceInvalidError extends DomainError {
  constructor() {
    super('EVIDENCE_INVALID', 'conflict', '文件未通过校验，不能下载。', 'The file failed validation; it cannot be downloaded.', 'Art.3');
  }
}

export class EvidenceWithdrawnError extends DomainError {
  constructor() {
    super('EVIDENCE_WITHDRAWN', 'conflict', '文件已被删除。', 'The file was removed.');
  }
}

export class UploadAlreadyReceivedError extends DomainError {
  constructor() {
    super('EVIDENCE_UPLOAD_ALREADY_RECEIVED', 'conflict', '该文件已上传；如需替换，请重新申请上传。', 'This file was already uploaded; request a new upload to replace it.');
  }
}

export class UploadGrantExpiredError extends DomainError {
  constructor() {
    super('UPLOAD_GRANT_EXPIRED', 'gone', '上传授权已过期，请重新申请上传。', 'The upload grant expired; request a new upload.');
  }
}

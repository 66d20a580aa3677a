import type { EvidenceKindSpec } from '../../../schemas/evidence.schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { attemptLimit, formatSize as size } from '../../domain/evidence-requirements.ts';

/**
 * The evidence API's refusals: each a named error with a stable code, zh-CN
 * and English, and the article of the rule (the kind's article for Art.3
 * rules).
 */

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
  constructor(spec: EvidenceKindSpec, declared: number) {
    super(
      'EVIDENCE_TOO_LARGE',
      'invalid',
      `“${spec.zh}”的文件不能超过 ${size(spec.maxSizeBytes)}（此文件 ${size(declared)}）。`,
      `${spec.en}: a file may not exceed ${size(spec.maxSizeBytes)} (this one is ${size(declared)}).`,
      spec.article,
    );
  }
}

export class EvidenceTooSmallError extends DomainError {
  constructor(spec: EvidenceKindSpec, declared: number) {
    super(
      'EVIDENCE_TOO_SMALL',
      'invalid',
      `“${spec.zh}”的文件不能小于 ${size(spec.minSizeBytes)}（此文件 ${size(declared)}）。`,
      `${spec.en}: a file must be at least ${size(spec.minSizeBytes)} (this one is ${size(declared)}).`,
      spec.article,
    );
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
    super(
      'EVIDENCE_ATTEMPTS_EXCEEDED',
      'conflict',
      `“${spec.zh}”每个申请最多上传 ${attemptLimit(spec)} 次（含不合格和已删除的文件），已用完；请联系培训评价组织的管理员重置上传次数。`,
      `${spec.en}: at most ${attemptLimit(spec)} uploads per application (invalid and removed files included) and they are used up; ask an administrator of the organisation to reset the count.`,
      spec.article,
    );
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

export class ApplicationEndedError extends DomainError {
  constructor(status: string) {
    super('APPLICATION_ENDED', 'conflict', `申请已结束（${status}），不再接收或审核材料。`, `The application has ended (${status}); its evidence no longer changes.`);
  }
}

/** Art.3: 提交如下支撑材料（需加盖申请单位公章）. */
export class EvidenceSealNotConfirmedError extends DomainError {
  constructor(spec: EvidenceKindSpec) {
    super(
      'EVIDENCE_SEAL_NOT_CONFIRMED',
      'invalid',
      `“${spec.zh}”须加盖申请单位公章：请确认此文件已盖章（sealConfirmed: true）后再上传。`,
      `${spec.en} must carry the applicant's official seal: confirm that this file is stamped (sealConfirmed: true) before uploading.`,
      'Art.3',
    );
  }
}

export class EvidenceReviewNotInProgressError extends DomainError {
  constructor(status: string) {
    super(
      'EVIDENCE_REVIEW_NOT_IN_PROGRESS',
      'conflict',
      `申请当前为 ${status} 状态；只有材料审核中（UNDER_REVIEW）的申请可以标注材料问题。`,
      `The application is ${status}; files are marked only during the material review (UNDER_REVIEW).`,
      'Art.4',
    );
  }
}

export class EvidenceNotMarkableError extends DomainError {
  constructor(status: string) {
    super(
      'EVIDENCE_NOT_MARKABLE',
      'conflict',
      `该文件当前为 ${status} 状态；只能标注已通过校验的申请单位材料。`,
      `This file is ${status}; only applicant files that passed validation can be marked.`,
      'Art.3',
    );
  }
}

/** A material review may not send an application to its site visit while files are marked (Art.3). */
export class EvidenceMarkedError extends DomainError {
  constructor(count: number) {
    super(
      'EVIDENCE_MARKED',
      'conflict',
      `有 ${count} 份材料被标注为不合格；请退回申请单位补正，或先撤销标注。`,
      `${count} file(s) are marked as not acceptable; return the application for correction, or clear the marks first.`,
      'Art.3',
    );
  }
}

/** A kind of the site's later life (site documents, case evidence) before the application was approved and its site created (Art.4). */
export class SiteNotAccreditedError extends DomainError {
  constructor(spec: EvidenceKindSpec, status: string) {
    super(
      'SITE_NOT_ACCREDITED',
      'conflict',
      `申请当前为 ${status} 状态，尚无考核站点；“${spec.zh}”在申请批准、站点设立后才能上传。`,
      `The application is ${status} and has no accredited site yet; ${spec.en} can be uploaded only once it is approved and its site exists.`,
      'Art.4',
    );
  }
}

/** The site left the register (Art.22 withdrawn, Art.23 revoked): its record takes no more files. */
export class SiteDocumentsClosedError extends DomainError {
  constructor(spec: EvidenceKindSpec, siteStatus: string) {
    super(
      'SITE_DOCUMENTS_CLOSED',
      'conflict',
      `考核站点当前为 ${siteStatus} 状态，已不在名录中，不能再上传“${spec.zh}”。`,
      `The site is ${siteStatus} and no longer on the register; ${spec.en} can no longer be uploaded.`,
      siteStatus === 'WITHDRAWN' ? 'Art.22' : 'Art.23',
    );
  }
}

/** Files of the site's later life are its record: cited by reports and cases, they are never removed. */
export class SiteRecordKeptError extends DomainError {
  constructor(spec: EvidenceKindSpec) {
    super(
      'SITE_RECORD_KEPT',
      'conflict',
      `“${spec.zh}”是考核站点档案的一部分，上传后不能删除。`,
      `${spec.en} is part of the site's record: once uploaded it is not removed.`,
      spec.article,
    );
  }
}

/** A file cited by a report or a case must be a validated file of the right kinds of this site. */
export class EvidenceNotCitableError extends DomainError {
  constructor(problems: ReadonlyArray<{ path: string; itemId: string; reason: 'not-found' | 'not-validated' | 'wrong-kind' }>, kinds: readonly string[], article: string) {
    super(
      'EVIDENCE_NOT_CITABLE',
      'invalid',
      `引用的文件须为本站点已通过校验的文件（类别：${kinds.join('、')}）；尚在校验中、未通过校验或不属于本站点的文件不能引用。`,
      `Cited files must be validated files of this site (kinds: ${kinds.join(', ')}); files still being validated, invalid, or not this site's cannot be cited.`,
      article,
      problems,
    );
  }
}

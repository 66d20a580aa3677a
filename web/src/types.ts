import type { Bilingual } from './api.ts';

/**
 * Shapes of the API answers the portal reads. They follow
 * schemas/api/*.schema.ts and the use cases' views; kept as plain
 * interfaces so the bundle does not carry the response schemas.
 */
export interface Me {
  sub: string;
  name?: string;
  email?: string;
  groups: string[];
  membership?: { creditCode: string; name: string; provinceCode: string; cityCode: string; role: string; since: string };
  staff?: { sub: string; name: string; email: string; role: string; active: boolean };
}

export interface ApplicationSummary {
  id: string;
  creditCode: string;
  institutionName: string;
  provinceCode: string;
  cityCode: string;
  status: string;
  version: number;
  round: number;
  standardVersion: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApplicationView extends ApplicationSummary {
  form: Record<string, unknown>;
}

export interface Finding {
  code: string;
  /** Absent for data-integrity checks. */
  article?: string;
  severity: 'blocking' | 'advisory';
  /** regulation | policy | integrity; absent on results stored before rules were marked. */
  basis?: 'regulation' | 'policy' | 'integrity';
  /** Why the organisation reads the text this way (policy rules only). */
  policy?: Bilingual;
  path: string;
  zh: string;
  en: string;
  params?: Record<string, string | number | boolean>;
}

export interface Precheck {
  binding: false;
  complete: boolean;
  missing: Array<{ path: string; message: string; label?: Bilingual }>;
  outcome?: 'pass' | 'return' | 'refuse';
  eligible: boolean;
  standardVersion: string;
  findings: Finding[];
}

export interface TimelineEvent {
  at: string;
  action: string;
  actor: { kind: 'user' | 'system'; id: string; role?: string; displayName: Bilingual };
  from?: string;
  to?: string;
  reason?: string;
  article?: string;
}

export interface ApplicationDetail {
  application: ApplicationView;
  screening?: { standardVersion: string; eligible: boolean; outcome: string; findings: Finding[] };
  decisions: TimelineEvent[];
  timeline: TimelineEvent[];
}

export interface EvidenceReason {
  code: string;
  zh?: string;
  en?: string;
  article?: string;
}

export interface EvidenceItemView {
  itemId: string;
  kind: string;
  status: 'pending' | 'valid' | 'invalid';
  fileName: string;
  contentType: string;
  size: number;
  tags: string[];
  width?: number;
  height?: number;
  reasons: EvidenceReason[];
  /** A reviewer's marks (Art.3): not-stamped, illegible, wrong-document, expired-document. */
  marks?: string[];
  markNote?: string;
  sealConfirmed?: boolean;
  duplicate: boolean;
  createdAt: string;
  uploadedAt?: string;
  validatedAt?: string;
}

export interface EvidenceKindView {
  kind: string;
  zh: string;
  en: string;
  article: string;
  required: boolean;
  status: 'missing' | 'pending' | 'valid' | 'invalid';
  minCount: number;
  maxCount: number;
  validCount: number;
  pendingCount: number;
  invalidCount: number;
  stillNeeded: number;
  missingTags: string[];
  reasons: EvidenceReason[];
  duplicate: boolean;
  items: EvidenceItemView[];
  /** Upload attempts allowed per application (policy) and used since an admin's last reset. */
  attemptLimit?: number;
  attemptsUsed?: number;
}

export interface EvidenceList {
  applicationId: string;
  applicationStatus: string;
  pilotCollege: boolean;
  complete: boolean;
  kinds: EvidenceKindView[];
  stillNeeded: Array<{ kind: string; zh: string; en: string; article: string; count: number; missingTags: string[] }>;
}

export interface DecisionSummary {
  decisionId: string;
  kind: string;
  status: 'pending' | 'decided' | 'expired' | 'reassigned';
  statusMessage: Bilingual;
  applicationId: string;
  institutionName?: string;
  createdAt: string;
  deadline: string;
}

export interface ReviewerFinding {
  article: string;
  severity: 'blocking' | 'advisory';
  zh: string;
  en: string;
  path: string;
}

export interface DecisionView extends DecisionSummary {
  allowedOutcomes: string[];
  outcome?: string;
  reason?: string;
  decidedAt?: string;
  decidedBy?: string;
  application?: {
    id: string;
    status: string;
    round: number;
    institutionName: string;
    creditCode: string;
    provinceCode: string;
    cityCode: string;
    standardVersion: string;
    screeningOutcome?: string;
  };
  findings: Finding[];
  evidence: Array<{ evidenceId: string; kind: string; status: string; reasonCodes: string[]; tags: string[]; fileName?: string }>;
  visitReport?: { visitorSub?: string; recommendation?: string; summary?: string; findings: ReviewerFinding[]; recordedAt?: string } | null;
  /** Withdrawal (Art.22) and revocation (Art.23, Art.21) decisions: the site and its case. */
  siteCase?: {
    site: { siteId: string; certificateNumber: string; institutionName: string; status: string };
    withdrawal?: { withdrawalId: string; reason: string; requestedAt: string; openSessions: number };
    revocation?: {
      revocationId: string;
      cause: string;
      article: string;
      reason: string;
      evidenceIds: string[];
      urgentReason: string | null;
      representation: { text: string; evidenceIds: string[]; submittedAt: string } | null;
    };
  };
  /** Assessment, suspension confirmation, rectification review (Art.21): the site, its report, the rubric, its marks. */
  supervision?: SupervisionCase;
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface PilotCollege {
  creditCode: string;
  name: string;
  provinceCode: string;
  cityCode: string;
  active: boolean;
  note?: string;
  updatedAt?: string;
}

export interface StaffMember {
  sub: string;
  name: string;
  email: string;
  role: 'reviewer' | 'admin';
  active: boolean;
  updatedAt?: string;
}

export interface Dashboard {
  generatedAt: string;
  applicationsByStatus: Record<string, number>;
  applicationsByProvince: Record<string, Record<string, number>>;
  overdueTasks: { count: number; items: Array<{ decisionId?: string; applicationId?: string; kind?: string; assignee?: string; deadline?: string }> };
  sites: { active: number };
  coverage: {
    article: 'Art.8';
    citiesWithPilotColleges: number;
    coveredCities: number;
    uncoveredCities: Array<{ provinceCode: string; cityCode: string; pilotColleges: Array<{ creditCode: string; name: string }> }>;
  };
}

/** A stalled or failed accreditation (GET /v1/admin/stalled-applications). */
export interface StalledApplication {
  applicationId: string;
  institutionId: string;
  institutionName: string;
  status: string;
  stage: 'screening' | 'correction' | 'materialReview' | 'siteVisit' | 'finalDecision';
  since: string;
  reason: 'decision-overdue' | 'workflow-error';
  why: string;
  executionName: string;
}

/** A rectification (Art.21) as `GET /v1/sites/{siteId}/supervision` returns it (schemas/api/rectification.schema.ts). */
export interface RectificationView {
  rectificationId: string;
  campaignId: string;
  suspended: boolean;
  outcome: string;
  reason: string;
  deadline: string;
  openedAt: string;
  status: 'awaiting-report' | 'under-review' | 'passed' | 'failed' | 'missed' | 'review-overdue';
  report?: { text: string; evidenceIds: string[]; submittedAt: string };
  decidedAt?: string;
  decisionReason?: string;
}

/** What the reviewer reads beside an assessment, a suspension's confirmation or a rectification review (`supervision` of the decision view). */
export interface SupervisionCase {
  site: { siteId: string; certificateNumber: string; institutionName: string; status: string };
  rubric: { version: string; passTotal: number; warnBelow: number; criteria: Array<{ id: string; article: string; zh: string; en: string; max: number; critical: boolean }> };
  ladder: { version: string; windowMonths: number; rungs: Array<{ outcome: string; becomes: string; article: string; zh: string; en: string }> };
  marks: Array<{ kind: string; at: string; article: string; reason: string }>;
  evaluation?: { campaignTitle: string; deadline: string; status?: string; submittedAt?: string; report?: { venueAndEquipment: string; examOrganisation: string; violations: string; incidents: string; workPlan: string; evidenceIds: string[] } };
  proposal?: { total: number; max: number; decided: string; outcome: string; reason: string; steps: Array<{ zh: string; en: string }> };
  rectification?: RectificationView;
}

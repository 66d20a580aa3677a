/**
 * Model-based lifecycle tests (issue 12, item 1): fast-check model-based
 * commands run random sequences of user actions and clock advances against
 * ONE local stack (DynamoDB Local, S3 behind its POST-policy front, the ASL
 * workflows on the local engine, Scheduler, SES outbox, the API gateway with
 * JWTs) and compare after EVERY step the stored statuses with a small
 * reference model of both lifecycles (functions/domain/lifecycle-table.ts:
 * APPLICATION_LIFECYCLE, SITE_LIFECYCLE). Each run uses fresh institutions,
 * users, an application and sites (ids unique per run), so runs share the
 * stack and its one virtual clock without sharing records.
 *
 * Per run: institution A (invited, signs up, applies, uploads, submits; the
 * reviewers decide from their tasks; an approval gives A an ACTIVE site that
 * joins the model) and institution B with an ACTIVE site seeded through the
 * stores (its APPROVED application written by the lifecycle's own rows, its
 * two-year timer armed as activation arms it), activated 0–725 days ago so
 * that the two-year rule (Art.23(1)) is reachable in a short sequence.
 * Actions: invite and sign up, apply, upload, submit (and resubmit), review /
 * visit / final decisions, schedule and hold a session, request withdrawal
 * and decide it, open a revocation, represent, decide it, open a campaign,
 * submit the report, assess, confirm a suspension, report the rectification,
 * review it, and clock advances from a day to three months.
 *
 * After every run: each record's audit trail replays (from/to of each
 * status event, in order) to its stored status; the number of status events
 * equals the model's transitions (nothing lost, nothing doubled); no site is
 * REVOKED for inactivity that held a session within the 730 days (plus time
 * suspended) before its revocation.
 *
 * The model does not let a pending decision task reach its deadline (every
 * advance is clamped to 9 days after the oldest pending task): escalation,
 * reassignment and overdue paths are the workflow tests' and the fault
 * matrix's business. The sanction ladder's escalation (Art.21) is taken from
 * the domain's pure `escalate` rather than written twice.
 *
 * Run alone:       TEST_PORT_BASE=28000 npx vitest run test/verify/lifecycle-model.test.ts
 * Long run:        VERIFY_LONG=1 npx vitest run test/verify/lifecycle-model.test.ts
 * Reproduce a failure: the failing run prints the one command, e.g.
 *                  MODEL_SEED=123 MODEL_PATH="6:0:13" MODEL_REPLAY="CBA:q" npx vitest run test/verify/lifecycle-model.test.ts
 *                  (seed and path for fc.assert, replayPath for fc.commands; add VERIFY_LONG=1 when the long run failed)
 * Knobs: MODEL_RUNS (runs), MODEL_MAX_COMMANDS (sequence length).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApplication as createApplicationUseCase } from '../../functions/use-cases/applications/create-application.ts';
import { applicationAuditOp, applicationAuditTrail, getApplicationStatus } from '../../functions/adapters/stores/applications.ts';
import { listDecisionsOfApplication, type DecisionRecord } from '../../functions/adapters/stores/decisions.ts';
import { getSite, siteCreationOps, listSitesOfInstitution, type SiteRecord } from '../../functions/adapters/stores/sites.ts';
import { listAllAudit, runTransaction, shardedKey, updateOp } from '../../functions/adapters/stores/table.ts';
import { keys } from '../support/table-keys.ts';
import { armInactivityTimer, timerUpdateOf } from '../../functions/use-cases/site-operations/inactivity-timer.ts';
import { APPLICATION_LIFECYCLE } from '../../functions/domain/application-lifecycle.ts';
import { SITE_LIFECYCLE } from '../../functions/domain/site-lifecycle.ts';
import { escalate, marksFor, type SanctionMark, type SupervisionOutcome } from '../../functions/domain/supervision/sanction-ladder.ts';
import { creditCode, evidenceFiles, type DemoInstitution } from '../../local/demo-scenario.ts';
import { LocalApiClient } from '../../local/api-client.ts';
import type { LocalStack } from '../../local/stack.ts';
import { makeValidForm } from '../unit/domain/fixtures/valid-form.ts';
import { startSeededStack } from '../support/local-stack.ts';
import { callerFor, seedMember } from '../support/site-operations.ts';

const LONG = process.env.VERIFY_LONG === '1';
const RUNS = Number(process.env.MODEL_RUNS ?? (LONG ? 1000 : 100));
const MAX_COMMANDS = Number(process.env.MODEL_MAX_COMMANDS ?? (LONG ? 30 : 8));
/** The long run stops starting new runs after this many seconds (it reports how many it did). */
const TIME_LIMIT_S = Number(process.env.MODEL_TIME_LIMIT_S ?? (LONG ? 270 : 0));
const SEED = Number(process.env.MODEL_SEED ?? (LONG ? Date.now() % 2_147_483_647 : 2612));
const PATH = process.env.MODEL_PATH;
/** fast-check's `replayPath` of the failing command list (printed with the counterexample), for `fc.commands`. */
const REPLAY = process.env.MODEL_REPLAY;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Days a decision task may wait before the model decides it (every task's deadline is ≥ 10 days). */
const SAFE_TASK_DAYS = 9;
const INACTIVITY_DAYS = 730;
const RETURN_DAYS = 14;
const MAX_RETURN_ROUNDS = 3;
const REPRESENTATION_DAYS = 14;
const RECTIFICATION_DAYS = 30;
const CAMPAIGN_DAYS = 8;
const REVIEWERS = ['demo-reviewer', 'demo-reviewer-2'];
const ADMIN = 'demo-admin';
const ADMIN2 = { sub: 'model-admin-2', email: 'admin2@org.example', name: '钱管理', groups: ['admin' as const], label: 'Second administrator' };

type AppStatus = (typeof APPLICATION_LIFECYCLE.states)[number];
type SiteStatus = (typeof SITE_LIFECYCLE.states)[number];

/** A decision task the model expects to be pending: its kind and when it was opened. */
interface PendingTask {
  readonly kind: string;
  readonly since: number;
}

interface AppModel {
  id?: string;
  status: AppStatus | 'NONE';
  formSaved: boolean;
  evidence: boolean;
  returns: number;
  returnDeadline?: number;
  task?: PendingTask;
  transitions: number;
}

interface RevocationModel {
  readonly cause: 'misconduct' | 'standards-breach' | 'failed-rectification';
  revocationId?: string;
  windowEnd?: number;
  represented: boolean;
  task?: PendingTask;
}

interface SiteModel {
  readonly id: string;
  readonly appId: string;
  readonly member: string;
  status: SiteStatus;
  anchor: number;
  suspendedMs: number;
  suspendedSince?: number;
  transitions: number;
  withdrawal?: PendingTask;
  revocations: RevocationModel[];
  campaign?: { id: string; deadline: number; reported: boolean };
  assessment?: PendingTask;
  confirmation?: { task: PendingTask; proposed: SupervisionOutcome };
  rectification?: { id?: string; deadline: number; suspended: boolean; reported: boolean; review?: PendingTask };
  marks: SanctionMark[];
  held: number[];
}

interface Model {
  now: number;
  run: number;
  onboarded: boolean;
  inst: DemoInstitution;
  app: AppModel;
  /** Earlier applications of this run (rejected or closed), kept for the invariants. */
  pastApps: AppModel[];
  sites: SiteModel[];
  steps: number;
}

interface Real {
  readonly stack: LocalStack;
  readonly api: LocalApiClient;
}

const totals = { runs: 0, steps: 0, violations: 0, transitions: 0, byCommand: {} as Record<string, number>, finalStatuses: {} as Record<string, number> };
const violations: string[] = [];

// ─── the model's own clock: what happens on its own when time passes ─────────

/** Every pending task the model knows of, with when it was opened. */
function pendingTasks(m: Model): PendingTask[] {
  const out: PendingTask[] = [];
  if (m.app.task) out.push(m.app.task);
  for (const s of m.sites) {
    if (s.withdrawal) out.push(s.withdrawal);
    if (s.assessment) out.push(s.assessment);
    if (s.confirmation) out.push(s.confirmation.task);
    if (s.rectification?.review) out.push(s.rectification.review);
    for (const r of s.revocations) if (r.task) out.push(r.task);
  }
  return out;
}

function inactivityDeadline(s: SiteModel): number | undefined {
  if (s.status !== 'ACTIVE' || s.suspendedSince !== undefined) return undefined;
  return s.anchor + INACTIVITY_DAYS * DAY + s.suspendedMs;
}

/** The instants at which something happens on its own (deadlines and windows), with what happens. */
function timedEvents(m: Model): Array<{ at: number; apply: () => void }> {
  const events: Array<{ at: number; apply: () => void }> = [];
  const app = m.app;
  if (app.status === 'RETURNED' && app.returnDeadline !== undefined) {
    const at = app.returnDeadline;
    events.push({ at, apply: () => setApp(m, 'CLOSED', 1, undefined) });
  }
  for (const s of m.sites) {
    const deadline = inactivityDeadline(s);
    if (deadline !== undefined) events.push({ at: deadline, apply: () => endSite(s, 'REVOKED') });
    for (const r of s.revocations) {
      if (r.windowEnd !== undefined && !r.task && s.status !== 'REVOKED' && s.status !== 'WITHDRAWN') {
        const at = r.windowEnd;
        events.push({ at, apply: () => ((r.task = { kind: 'revocation', since: at }), (r.windowEnd = undefined)) });
      }
    }
    if (s.campaign && isOpen(s)) {
      const c = s.campaign;
      events.push({
        at: c.deadline,
        apply: () => {
          s.campaign = undefined;
          if (c.reported) s.assessment = { kind: 'assessment', since: c.deadline };
          else s.marks.push({ kind: 'missed-deadline', at: new Date(c.deadline).toISOString() });
        },
      });
    }
    const rect = s.rectification;
    if (rect && !rect.reported && isOpen(s)) {
      events.push({
        at: rect.deadline,
        apply: () => {
          s.rectification = undefined;
          s.marks.push({ kind: 'rectification-failed', at: new Date(rect.deadline).toISOString() });
          openRevocationCase(s, 'failed-rectification', rect.deadline);
        },
      });
    }
  }
  return events.sort((a, b) => a.at - b.at);
}

const isOpen = (s: SiteModel) => s.status === 'ACTIVE' || s.status === 'SUSPENDED';

function openRevocationCase(s: SiteModel, cause: RevocationModel['cause'], at: number): RevocationModel {
  const open = s.revocations.find((r) => r.cause === cause);
  if (open) return open;
  const r: RevocationModel = { cause, windowEnd: at + REPRESENTATION_DAYS * DAY, represented: false };
  s.revocations.push(r);
  return r;
}

function setApp(m: Model, status: AppStatus, transitions: number, task: PendingTask | undefined): void {
  m.app.status = status;
  m.app.transitions += transitions;
  m.app.task = task;
  if (status !== 'RETURNED') m.app.returnDeadline = undefined;
}

/** A site ends (REVOKED or WITHDRAWN): every process on it stops mattering. */
function endSite(s: SiteModel, status: 'REVOKED' | 'WITHDRAWN'): void {
  s.status = status;
  s.transitions += 1;
  s.withdrawal = undefined;
  s.revocations = [];
  s.campaign = undefined;
  s.assessment = undefined;
  s.confirmation = undefined;
  s.rectification = undefined;
  s.suspendedSince = undefined;
}

/** Moves the model's clock to `target`, applying what falls due on the way, in order. */
function advanceModel(m: Model, target: number): void {
  for (;;) {
    const next = timedEvents(m).find((e) => e.at <= target);
    if (!next) break;
    m.now = Math.max(m.now, next.at);
    next.apply();
  }
  m.now = target;
}

/**
 * Where an advance of `ms` may end: no later than 9 days after the oldest
 * pending task (counting tasks the advance itself opens), and never within
 * 5 minutes of a deadline (the timers fire at whole seconds, a minute late
 * when already due), so the model knows on which side of each it stands.
 */
function advanceTarget(m: Model, ms: number): number {
  const probe: Model = structuredClone(m);
  let target = m.now + ms;
  const clamp = () => {
    for (const t of pendingTasks(probe)) target = Math.min(target, t.since + SAFE_TASK_DAYS * DAY);
  };
  clamp();
  for (;;) {
    const next = timedEvents(probe).find((e) => e.at <= target);
    if (!next) break;
    probe.now = Math.max(probe.now, next.at);
    next.apply();
    clamp();
  }
  target = Math.max(target, m.now);
  for (let i = 0; i < 5; i++) {
    const near = timedEvents(probe).concat(timedEvents(m)).find((e) => Math.abs(e.at - target) < 5 * MINUTE);
    if (!near) break;
    target = near.at + 5 * MINUTE;
  }
  return target;
}

// ─── comparing the model with the system ─────────────────────────────────────

async function compare(m: Model, r: Real, label: string): Promise<void> {
  if (m.app.id) {
    const stored = await getApplicationStatus(m.app.id);
    expect(stored?.status, `${label}: application ${m.app.id}`).toBe(m.app.status);
  }
  const creditCodes = [m.inst.creditCode];
  const known = new Set(m.sites.map((s) => s.id));
  // A site the model does not know of (an approval it did not expect) is a divergence too.
  for (const cc of creditCodes) for (const s of await listSitesOfInstitution(cc)) expect(known.has(s.siteId), `${label}: unexpected site ${s.siteId}`).toBe(true);
  for (const s of m.sites) {
    const stored = await getSite(s.id);
    expect(stored?.status, `${label}: site ${s.id}`).toBe(s.status);
  }
}

/** The pending task of `kind` about an application (its site's tasks carry the site's application id). */
async function pendingTask(appId: string, kind: string): Promise<DecisionRecord> {
  const tasks = (await listDecisionsOfApplication(appId)).filter((d) => d.kind === kind && d.status === 'pending').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  // A site may have two revocation cases of different causes waiting; the model decides the older first.
  if (kind !== 'revocation') expect(tasks.map((t) => t.kind), `one pending ${kind} task of ${appId}`).toEqual([kind]);
  expect(tasks.length, `a pending ${kind} task of ${appId}`).toBeGreaterThan(0);
  return tasks[0]!;
}

async function decide(r: Real, appId: string, kind: string, body: Record<string, unknown>): Promise<DecisionRecord> {
  const task = await pendingTask(appId, kind);
  await r.api.expect(200, task.assigneeSub, 'POST', `/v1/decisions/${task.decisionId}`, body);
  return task;
}

// ─── commands ────────────────────────────────────────────────────────────────

type Cmd = fc.AsyncCommand<Model, Real>;

abstract class Base implements Cmd {
  abstract readonly name: string;
  abstract check(m: Readonly<Model>): boolean;
  abstract act(m: Model, r: Real): Promise<void>;
  /** What ran (a choice names the action it chose). */
  label(_m: Readonly<Model>): string {
    return this.name;
  }
  async run(m: Model, r: Real): Promise<void> {
    // The virtual clock also runs with real time (milliseconds per step): the model follows it.
    advanceModel(m, Math.max(m.now, r.stack.clock.now()));
    const label = this.label(m);
    await this.act(m, r);
    advanceModel(m, Math.max(m.now, r.stack.clock.now()));
    m.steps += 1;
    totals.steps += 1;
    totals.byCommand[label] = (totals.byCommand[label] ?? 0) + 1;
    await compare(m, r, `after ${this.toString()} (${label})`);
  }
  toString(): string {
    return this.name;
  }
}

class Advance extends Base {
  readonly name = 'advance';
  constructor(readonly ms: number) {
    super();
  }
  check(): boolean {
    return true;
  }
  async act(m: Model, r: Real): Promise<void> {
    const target = advanceTarget(m, this.ms);
    await r.stack.advance(Math.max(0, target - r.stack.clock.now()));
    advanceModel(m, Math.max(target, r.stack.clock.now()));
  }
  override toString(): string {
    return `advance(${Math.round(this.ms / HOUR)}h)`;
  }
}

class InviteAndSignUp extends Base {
  readonly name = 'invite-and-sign-up';
  check(m: Readonly<Model>): boolean {
    return !m.onboarded;
  }
  async act(m: Model, r: Real): Promise<void> {
    const inst = m.inst;
    r.stack.issuer.addUser(inst.user);
    await r.api.expect(200, ADMIN, 'PUT', `/v1/admin/pilot-colleges/${inst.creditCode}`, { name: inst.name, provinceCode: inst.provinceCode, cityCode: inst.cityCode, active: true });
    await r.api.expect(201, ADMIN, 'POST', '/v1/admin/invitations', { creditCode: inst.creditCode, email: inst.user.email, name: inst.user.name });
    const code = r.api.latestInvitationCode(inst.user.email);
    expect(code, 'invitation e-mail').toBeDefined();
    await r.api.expect(201, inst.user.sub, 'POST', '/v1/invitations/accept', { code });
    m.onboarded = true;
  }
}

class Apply extends Base {
  readonly name = 'apply';
  check(m: Readonly<Model>): boolean {
    return m.onboarded && (m.app.status === 'NONE' || m.app.status === 'REJECTED' || m.app.status === 'CLOSED') && !m.sites.some((s) => s.appId === m.app.id && isOpen(s));
  }
  async act(m: Model, r: Real): Promise<void> {
    const created = await r.api.expect<{ id: string; status: string }>(201, m.inst.user.sub, 'POST', '/v1/applications', {});
    expect(created.status).toBe('DRAFT');
    if (m.app.id) m.pastApps.push(m.app);
    m.app = { id: created.id, status: 'DRAFT', formSaved: false, evidence: false, returns: 0, transitions: 0 };
  }
}

/** Fills the form and uploads every evidence file through presigned POSTs (Art.3). */
class Upload extends Base {
  readonly name = 'upload';
  check(m: Readonly<Model>): boolean {
    return (m.app.status === 'DRAFT' || m.app.status === 'RETURNED') && !(m.app.formSaved && m.app.evidence);
  }
  async act(m: Model, r: Real): Promise<void> {
    const id = m.app.id!;
    const inst = m.inst;
    const detail = await r.api.expect<{ application: { version: number } }>(200, inst.user.sub, 'GET', `/v1/applications/${id}`);
    const form = makeValidForm();
    form.institution = { ...form.institution, name: inst.name, creditCode: inst.creditCode, provinceCode: inst.provinceCode, cityCode: inst.cityCode };
    await r.api.expect(200, inst.user.sub, 'PUT', `/v1/applications/${id}/form`, { version: detail.application.version, form });
    for (const f of evidenceFiles(`${inst.creditCode}-${m.app.returns}`)) {
      const grant = await r.api.expect<{ upload: { url: string; fields: Record<string, string> } }>(201, inst.user.sub, 'POST', `/v1/applications/${id}/evidence`, {
        kind: f.kind,
        fileName: f.fileName,
        contentType: f.contentType,
        size: f.file.length,
        ...(f.tags ? { tags: f.tags } : {}),
        sha256: createHash('sha256').update(f.file).digest('hex'),
        sealConfirmed: true,
      });
      expect(await r.api.upload(grant.upload, f.file, f.contentType, f.fileName)).toBeLessThan(300);
    }
    m.app.formSaved = true;
    m.app.evidence = true;
  }
}

class Submit extends Base {
  readonly name = 'submit';
  check(m: Readonly<Model>): boolean {
    return m.app.status === 'DRAFT' || (m.app.status === 'RETURNED' && m.app.formSaved);
  }
  async act(m: Model, r: Real): Promise<void> {
    const res = await r.api.call<{ code?: string }>(m.inst.user.sub, 'POST', `/v1/applications/${m.app.id}/submit`);
    if (!m.app.formSaved) {
      // An incomplete form is refused with its field issues and nothing changes.
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      return;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    // SUBMITTED → SCREENING → UNDER_REVIEW: the complete application passes screening; a reviewer gets the material review.
    setApp(m, 'UNDER_REVIEW', 3, { kind: 'material-review', since: m.now });
  }
}

class Review extends Base {
  readonly name = 'review';
  constructor(readonly outcome: 'approve-for-visit' | 'return' | 'reject') {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return m.app.status === 'UNDER_REVIEW';
  }
  async act(m: Model, r: Real): Promise<void> {
    await decide(r, m.app.id!, 'material-review', { outcome: this.outcome, reason: '依据第四条审核材料。', findings: this.outcome === 'return' ? [{ article: 'Art.9', zh: '考场照片不清晰。', en: 'The room photo is unclear.' }] : [] });
    if (this.outcome === 'approve-for-visit') setApp(m, 'SITE_VISIT', 1, { kind: 'site-visit', since: m.now });
    else if (this.outcome === 'reject') setApp(m, 'REJECTED', 1, undefined);
    else if (m.app.returns >= MAX_RETURN_ROUNDS) setApp(m, 'CLOSED', 2, undefined);
    else {
      m.app.returns += 1;
      setApp(m, 'RETURNED', 1, undefined);
      m.app.returnDeadline = m.now + RETURN_DAYS * DAY;
    }
  }
  override toString(): string {
    return `review(${this.outcome})`;
  }
}

class Visit extends Base {
  readonly name = 'visit';
  constructor(readonly recommendation: 'approve' | 'reject') {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return m.app.status === 'SITE_VISIT';
  }
  async act(m: Model, r: Real): Promise<void> {
    await decide(r, m.app.id!, 'site-visit', { outcome: this.recommendation, reason: '现场考察记录。', recommendation: this.recommendation, findings: [] });
    setApp(m, 'DECISION', 1, { kind: 'final-decision', since: m.now });
  }
  override toString(): string {
    return `visit(${this.recommendation})`;
  }
}

class FinalDecision extends Base {
  readonly name = 'final-decision';
  constructor(readonly outcome: 'approve' | 'reject') {
    super();
  }
  check(m: Readonly<Model>): boolean {
    return m.app.status === 'DECISION';
  }
  async act(m: Model, r: Real): Promise<void> {
    await decide(r, m.app.id!, 'final-decision', { outcome: this.outcome, reason: '综合材料审核与现场考察结论。' });
    if (this.outcome === 'reject') return setApp(m, 'REJECTED', 1, undefined);
    setApp(m, 'APPROVED', 1, undefined);
    const sites = (await listSitesOfInstitution(m.inst.creditCode)).filter((s) => s.applicationId === m.app.id);
    expect(sites.map((s) => s.status), 'one ACTIVE site per approval').toEqual(['ACTIVE']);
    m.sites.push(newSiteModel(sites[0]!.siteId, m.app.id!, m.inst.user.sub, m.now));
  }
  override toString(): string {
    return `final(${this.outcome})`;
  }
}

function newSiteModel(id: string, appId: string, member: string, activatedAt: number): SiteModel {
  return { id, appId, member, status: 'ACTIVE', anchor: activatedAt, suspendedMs: 0, transitions: 0, revocations: [], marks: [], held: [] };
}

/** Picks one of the run's sites by index (modulo). */
abstract class SiteCommand extends Base {
  constructor(readonly pick: number) {
    super();
  }
  site(m: Readonly<Model>): SiteModel {
    return m.sites[this.pick % m.sites.length]! as SiteModel;
  }
  override toString(): string {
    return `${this.name}#${this.pick}`;
  }
}

/** Schedules a session an hour ahead, registers a candidate, lets it happen, records it held (Art.13–14). */
class HoldSession extends SiteCommand {
  readonly name = 'hold-session';
  check(m: Readonly<Model>): boolean {
    const s = this.site(m);
    // Nothing falls due during the session's four hours (the model steps over deadlines only in `advance`).
    return !timedEvents(m as Model).some((e) => e.at <= m.now + 5 * HOUR) && !pendingTasks(m as Model).some((t) => t.since + SAFE_TASK_DAYS * DAY <= m.now + 5 * HOUR) && s !== undefined;
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    const startsAt = new Date(m.now + HOUR).toISOString();
    // The site's first accredited room (the seeded site's, or the one its accreditation's form declared, Art.9(2)).
    const room = (await getSite(s.id))?.accreditedRooms?.[0]?.name ?? '机房A';
    const res = await r.api.call<{ sessionId: string; code?: string }>(s.member, 'POST', `/v1/sites/${s.id}/sessions`, {
      title: '跨境电商多平台运营（中级）',
      startsAt,
      endsAt: new Date(m.now + 3 * HOUR).toISOString(),
      rooms: [room],
      capacity: 2,
    });
    if (s.status !== 'ACTIVE') {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.code).toBe({ SUSPENDED: 'SITE_SUSPENDED', WITHDRAWN: 'SITE_WITHDRAWN', REVOKED: 'SITE_REVOKED' }[s.status as string]);
      return;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const path = `/v1/sites/${s.id}/sessions/${res.body.sessionId}`;
    const imported = await r.api.call(s.member, 'POST', `${path}/candidates`, `name,idNumber,category\n张三,11010519491231002X,student\n`, { 'content-type': 'text/csv; charset=utf-8' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    await r.stack.advance(4 * HOUR);
    advanceModel(m, Math.max(m.now + 4 * HOUR, r.stack.clock.now()));
    const detail = await r.api.expect<{ candidates: Array<{ candidateId: string }> }>(200, s.member, 'GET', path);
    const held = await r.api.expect<{ status: string; held: { countsAsHeld: boolean; at: string } }>(200, s.member, 'POST', `${path}/held`, {
      attendance: detail.candidates.map((c) => ({ candidateId: c.candidateId, present: true })),
      incidents: [{ description: '无 / none' }],
    });
    expect(held).toMatchObject({ status: 'HELD', held: { countsAsHeld: true } });
    const at = Date.parse(held.held.at);
    expect(at).toBeGreaterThanOrEqual(Date.parse(startsAt));
    expect(at).toBeLessThanOrEqual(m.now);
    s.held.push(at);
    if (at > s.anchor) {
      s.anchor = at;
      s.suspendedMs = 0;
    }
  }
}

class RequestWithdrawal extends SiteCommand {
  readonly name = 'withdraw';
  check(): boolean {
    return true;
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    const res = await r.api.call<{ status?: string; alreadyPending?: boolean; code?: string }>(s.member, 'POST', `/v1/sites/${s.id}/withdrawal`, { reason: '学校专业调整，申请退出考核站点。' });
    if (s.status !== 'ACTIVE') {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.code).toBe('WITHDRAWAL_NOT_ALLOWED');
      return;
    }
    // A repeat while one is pending answers the pending one (200), not a second request.
    expect(res.status, JSON.stringify(res.body)).toBe(s.withdrawal ? 200 : 202);
    expect(res.body.alreadyPending).toBe(s.withdrawal !== undefined);
    s.withdrawal ??= { kind: 'withdrawal', since: m.now };
  }
}

class DecideWithdrawal extends SiteCommand {
  readonly name = 'decide-withdrawal';
  constructor(pick: number, readonly agree: boolean) {
    super(pick);
  }
  check(m: Readonly<Model>): boolean {
    return m.sites.length > 0 && this.site(m).withdrawal !== undefined;
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    await decide(r, s.appId, 'withdrawal', { outcome: this.agree ? 'agree' : 'decline', reason: this.agree ? '无在办考试，同意退出。' : '请先完成本年度考试安排。' });
    s.withdrawal = undefined;
    if (this.agree) endSite(s, 'WITHDRAWN');
  }
  override toString(): string {
    return `decide-withdrawal#${this.pick}(${this.agree ? 'agree' : 'decline'})`;
  }
}

class OpenRevocation extends SiteCommand {
  readonly name = 'open-revocation';
  constructor(pick: number, readonly cause: 'misconduct' | 'standards-breach', readonly urgent: boolean) {
    super(pick);
  }
  check(m: Readonly<Model>): boolean {
    return m.sites.length > 0;
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    const res = await r.api.call<{ revocationId?: string; alreadyOpen?: boolean; code?: string }>(ADMIN, 'POST', `/v1/admin/sites/${s.id}/revocations`, {
      cause: this.cause,
      reason: '考试期间组织替考，造成不良社会影响。',
      ...(this.urgent ? { urgent: { reason: '情节严重，须立即处理。' } } : {}),
    });
    if (!isOpen(s)) {
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      return;
    }
    const open = s.revocations.find((c) => c.cause === this.cause);
    if (open) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ alreadyOpen: true, revocationId: open.revocationId });
      return;
    }
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const c = openRevocationCase(s, this.cause, m.now);
    c.revocationId = res.body.revocationId;
    if (this.urgent) {
      c.windowEnd = undefined;
      c.task = { kind: 'revocation', since: m.now };
    }
  }
  override toString(): string {
    return `open-revocation#${this.pick}(${this.cause}${this.urgent ? ', urgent' : ''})`;
  }
}

class Represent extends SiteCommand {
  readonly name = 'represent';
  check(m: Readonly<Model>): boolean {
    return m.sites.length > 0 && this.site(m).revocations.some((c) => c.windowEnd !== undefined && !c.represented);
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    const c = s.revocations.find((x) => x.windowEnd !== undefined && !x.represented)!;
    c.revocationId ??= await revocationIdOf(r, s, c.cause);
    await r.api.expect(200, s.member, 'POST', `/v1/sites/${s.id}/revocations/${c.revocationId}/representation`, { text: '我校已对相关人员严肃处理，并整改考务流程。' });
    c.represented = true;
    c.windowEnd = undefined;
    c.task = { kind: 'revocation', since: m.now };
  }
}

async function revocationIdOf(r: Real, s: SiteModel, cause: string): Promise<string> {
  const cases = await r.api.expect<{ revocations: Array<{ revocationId: string; cause: string; status: string }> }>(200, ADMIN, 'GET', `/v1/sites/${s.id}/cases`);
  const open = cases.revocations.filter((c) => c.cause === cause && c.status !== 'revoked' && c.status !== 'dismissed');
  expect(open, `one open ${cause} case`).toHaveLength(1);
  return open[0]!.revocationId;
}

class DecideRevocation extends SiteCommand {
  readonly name = 'decide-revocation';
  constructor(pick: number, readonly revoke: boolean) {
    super(pick);
  }
  check(m: Readonly<Model>): boolean {
    return m.sites.length > 0 && this.site(m).revocations.some((c) => c.task);
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    const c = s.revocations.filter((x) => x.task).sort((a, b) => a.task!.since - b.task!.since)[0]!;
    await decide(r, s.appId, 'revocation', { outcome: this.revoke ? 'revoke' : 'dismiss', reason: this.revoke ? '事实清楚，证据充分。' : '证据不足，撤销立案。' });
    s.revocations = s.revocations.filter((x) => x !== c);
    if (this.revoke) endSite(s, 'REVOKED');
  }
  override toString(): string {
    return `decide-revocation#${this.pick}(${this.revoke ? 'revoke' : 'dismiss'})`;
  }
}

const REPORT = {
  venueAndEquipment: '两间考场共 80 台考生机，设备运行正常。',
  examOrganisation: '本期组织考试 2 场，考务人员均经培训。',
  violations: '无',
  incidents: '无',
  workPlan: '下一阶段计划每季度组织一次考试，并更新监控设备。',
};

class OpenCampaign extends SiteCommand {
  readonly name = 'open-campaign';
  /** `report`: the site submits its report at once (one step less to an assessment). */
  constructor(pick: number, readonly report = false) {
    super(pick);
  }
  check(m: Readonly<Model>): boolean {
    const s = m.sites.length ? this.site(m) : undefined;
    return s !== undefined && s.status === 'ACTIVE' && !s.campaign && !s.assessment && !s.confirmation && !s.rectification;
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    const deadline = m.now + CAMPAIGN_DAYS * DAY;
    const opened = await r.api.expect<{ campaignId: string }>(202, ADMIN, 'POST', '/v1/admin/campaigns', {
      title: `评估 ${m.run}-${m.steps}`,
      deadline: new Date(deadline).toISOString(),
      selection: { kind: 'sites', siteIds: [s.id] },
    });
    s.campaign = { id: opened.campaignId, deadline, reported: false };
    if (this.report) {
      await r.api.expect(200, s.member, 'PUT', `/v1/sites/${s.id}/evaluations/${opened.campaignId}/report`, REPORT);
      s.campaign.reported = true;
    }
  }
  override toString(): string {
    return `open-campaign#${this.pick}${this.report ? '(report)' : ''}`;
  }
}


class SubmitReport extends SiteCommand {
  readonly name = 'submit-report';
  check(m: Readonly<Model>): boolean {
    return m.sites.length > 0 && this.site(m).campaign?.reported === false;
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    await r.api.expect(200, s.member, 'PUT', `/v1/sites/${s.id}/evaluations/${s.campaign!.id}/report`, REPORT);
    s.campaign!.reported = true;
  }
}

class Assess extends SiteCommand {
  readonly name = 'assess';
  constructor(pick: number, readonly outcome: 'pass' | 'rectify' | 'suspend-and-rectify') {
    super(pick);
  }
  check(m: Readonly<Model>): boolean {
    return m.sites.length > 0 && this.site(m).assessment !== undefined;
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    const task = await pendingTask(s.appId, 'assessment');
    const page = await r.api.expect<{ supervision: { rubric: { criteria: Array<{ id: string; max: number }> } } }>(200, task.assigneeSub, 'GET', `/v1/decisions/${task.decisionId}`);
    const scores = Object.fromEntries(page.supervision.rubric.criteria.map((c) => [c.id, this.outcome === 'pass' || c.id !== 'work-plan' ? c.max : 0]));
    await r.api.expect(200, task.assigneeSub, 'POST', `/v1/decisions/${task.decisionId}`, { outcome: this.outcome, reason: '依评估标准逐项评分。', scores });
    s.assessment = undefined;
    const at = new Date(m.now).toISOString();
    const applied = escalate(this.outcome, s.marks, at).outcome;
    s.marks.push(...marksFor(applied, this.outcome === 'pass' ? 'pass' : 'fail', at));
    if (applied === 'rectify') s.rectification = { deadline: m.now + RECTIFICATION_DAYS * DAY, suspended: false, reported: false };
    else if (applied === 'suspend-and-rectify' || applied === 'propose-revocation') s.confirmation = { task: { kind: 'sanction-confirmation', since: m.now }, proposed: applied };
  }
  override toString(): string {
    return `assess#${this.pick}(${this.outcome})`;
  }
}

class ConfirmSanction extends SiteCommand {
  readonly name = 'confirm-sanction';
  constructor(pick: number, readonly confirm: boolean) {
    super(pick);
  }
  check(m: Readonly<Model>): boolean {
    return m.sites.length > 0 && this.site(m).confirmation !== undefined;
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    const { proposed } = s.confirmation!;
    await decide(r, s.appId, 'sanction-confirmation', { outcome: this.confirm ? 'confirm' : 'reject', reason: this.confirm ? '同意评估结论。' : '限期整改即可。' });
    s.confirmation = undefined;
    if (proposed === 'propose-revocation' && this.confirm) {
      openRevocationCase(s, 'failed-rectification', m.now);
      return;
    }
    const suspend = this.confirm && s.status === 'ACTIVE';
    if (suspend) {
      s.status = 'SUSPENDED';
      s.transitions += 1;
      s.suspendedSince = m.now;
      s.marks.push({ kind: 'suspension', at: new Date(m.now).toISOString() });
    }
    s.rectification = { deadline: m.now + RECTIFICATION_DAYS * DAY, suspended: suspend, reported: false };
  }
  override toString(): string {
    return `confirm-sanction#${this.pick}(${this.confirm ? 'confirm' : 'reject'})`;
  }
}

class Rectify extends SiteCommand {
  readonly name = 'rectify';
  check(m: Readonly<Model>): boolean {
    return m.sites.length > 0 && this.site(m).rectification?.reported === false;
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    const view = await r.api.expect<{ openRectification: { rectificationId: string } | null }>(200, s.member, 'GET', `/v1/sites/${s.id}/supervision`);
    expect(view.openRectification).not.toBeNull();
    await r.api.expect(200, s.member, 'PUT', `/v1/sites/${s.id}/rectifications/${view.openRectification!.rectificationId}/report`, { text: '已更换全部监控设备，重新培训考务人员并完善考务制度。', evidenceIds: [] });
    s.rectification!.reported = true;
    s.rectification!.review = { kind: 'rectification-review', since: m.now };
  }
}

class ReviewRectification extends SiteCommand {
  readonly name = 'review-rectification';
  constructor(pick: number, readonly pass: boolean) {
    super(pick);
  }
  check(m: Readonly<Model>): boolean {
    return m.sites.length > 0 && this.site(m).rectification?.review !== undefined;
  }
  async act(m: Model, r: Real): Promise<void> {
    const s = this.site(m);
    await decide(r, s.appId, 'rectification-review', { outcome: this.pass ? 'pass' : 'fail', reason: this.pass ? '整改到位，恢复考试。' : '整改后仍不符合要求。' });
    const rect = s.rectification!;
    s.rectification = undefined;
    if (this.pass) {
      s.marks.push({ kind: 'rectification-passed', at: new Date(m.now).toISOString() });
      if (rect.suspended && s.status === 'SUSPENDED') {
        s.status = 'ACTIVE';
        s.transitions += 1;
        s.suspendedMs += m.now - Math.max(s.suspendedSince!, s.anchor);
        s.suspendedSince = undefined;
      }
    } else {
      s.marks.push({ kind: 'rectification-failed', at: new Date(m.now).toISOString() });
      openRevocationCase(s, 'failed-rectification', m.now);
    }
  }
  override toString(): string {
    return `review-rectification#${this.pick}(${this.pass ? 'pass' : 'fail'})`;
  }
}

/**
 * One of several actions, the first whose precondition holds (or the
 * `choice`-th of those that hold): keeps sequences deep, since most actions
 * apply only in a few states and fast-check drops those that do not.
 */
class Choose extends Base {
  readonly name = 'choose';
  constructor(
    readonly what: string,
    readonly options: (m: Readonly<Model>) => Base[],
    readonly choice: number,
  ) {
    super();
  }
  chosen(m: Readonly<Model>): Base | undefined {
    const ok = this.options(m).filter((o) => o.check(m));
    return ok.length ? ok[this.choice % ok.length] : undefined;
  }
  check(m: Readonly<Model>): boolean {
    return this.chosen(m) !== undefined;
  }
  override label(m: Readonly<Model>): string {
    return this.chosen(m)!.toString().replace(/#\d+/, '');
  }
  async act(m: Model, r: Real): Promise<void> {
    await this.chosen(m)!.act(m, r);
  }
  override toString(): string {
    return `${this.what}(${this.choice})`;
  }
}

const siteIndexes = (m: Readonly<Model>) => m.sites.map((_, i) => i);

/** The applicant's next step: sign up, apply, upload, submit (or, `early`, submit before the form is done). */
const applicantStep = (early: boolean) =>
  new Choose('applicant', (m) => (early || m.app.formSaved ? [new InviteAndSignUp(), new Apply(), new Submit()] : [new InviteAndSignUp(), new Apply(), new Upload()]), 0);

/** Someone decides one of the pending tasks (reviewer, second reviewer or admin), the outcome from `choice`. */
const decideSome = (choice: number) =>
  new Choose(
    'decide',
    (m) => {
      const o = <T,>(list: readonly T[]) => list[Math.floor(choice / 7) % list.length]!;
      return [
        new Review(o(['approve-for-visit', 'approve-for-visit', 'return', 'reject'] as const)),
        new Visit(o(['approve', 'reject'] as const)),
        new FinalDecision(o(['approve', 'approve', 'reject'] as const)),
        ...siteIndexes(m).flatMap((i) => [
          new DecideWithdrawal(i, o([true, false])),
          new DecideRevocation(i, o([true, false])),
          new Assess(i, o(['pass', 'rectify', 'suspend-and-rectify'] as const)),
          new ConfirmSanction(i, o([true, true, false])),
          new ReviewRectification(i, o([true, false])),
        ]),
      ];
    },
    choice,
  );

/** A site answers what waits for it: a representation, an evaluation report, a rectification report. */
const respond = (choice: number) => new Choose('respond', (m) => siteIndexes(m).flatMap((i) => [new Represent(i), new SubmitReport(i), new Rectify(i)]), choice);

const pick = fc.nat({ max: 7 });
const commands = [
  fc.constantFrom(1 * DAY, 3 * DAY, 8 * DAY, 15 * DAY, 30 * DAY, 60 * DAY, 90 * DAY).map((ms) => new Advance(ms)),
  fc.constantFrom(1 * DAY, 8 * DAY, 30 * DAY, 90 * DAY).map((ms) => new Advance(ms)),
  fc.boolean().map((early) => applicantStep(early)),
  fc.constant(applicantStep(false)),
  fc.nat({ max: 1000 }).map((c) => decideSome(c)),
  fc.nat({ max: 1000 }).map((c) => decideSome(c)),
  fc.nat({ max: 1000 }).map((c) => respond(c)),
  pick.map((p) => new HoldSession(p)),
  // Ending a site ends most of what can happen to it: withdrawal and revocation share one slot.
  fc.oneof(
    pick.map((p): Base => new RequestWithdrawal(p)),
    fc.tuple(pick, fc.constantFrom('misconduct', 'standards-breach'), fc.boolean()).map(([p, c, u]): Base => new OpenRevocation(p, c as 'misconduct', u)),
  ),
  fc.tuple(pick, fc.boolean()).map(([p, report]) => new OpenCampaign(p, report)),
];

// ─── a run: fresh institutions, a seeded site ────────────────────────────────

let runCounter = 0;
const RUN_BASE = Math.floor(Math.random() * 9_000_000);

function institution(n: number): DemoInstitution {
  const digits = String((RUN_BASE + n) % 10_000_000).padStart(7, '0');
  return {
    user: { sub: `model-a-${n}-${digits}`, email: `model-a-${digits}@college.example`, name: `模型申请人${n}`, groups: ['applicant'], label: 'model' },
    creditCode: creditCode(`12440100MA${digits}`),
    name: `模型测试学院${digits}`,
    provinceCode: '440000',
    cityCode: '440100',
    onRegister: true,
  };
}

/**
 * Institution B's ACTIVE site, written through the stores as accreditation
 * leaves it: its application created by the use case and taken to APPROVED
 * by the lifecycle's rows (each with its audit item), the site with its
 * activation audit, the two-year timer armed as activation arms it.
 */
async function seedSite(stack: LocalStack, n: number, activatedAt: number): Promise<SiteModel> {
  const digits = String((RUN_BASE + n) % 10_000_000).padStart(7, '0');
  const cc = creditCode(`12440100MB${digits}`);
  const sub = `model-b-${n}-${digits}`;
  await seedMember(sub, cc);
  stack.issuer.addUser({ sub, email: `${sub}@example.cn`, name: sub, groups: ['applicant'], label: 'model' });
  const caller = callerFor(sub);
  const app = await createApplicationUseCase(caller);
  const at = new Date(activatedAt).toISOString();
  // DRAFT → … → APPROVED by the lifecycle's own rows, each with its audit item, in the site's creation transaction.
  const path = ['submit', 'start-screening', 'screening-passed', 'review-passed', 'site-visit-recorded', 'approve'];
  const now = new Date(Math.max(Date.now(), stack.clock.now())).toISOString();
  const audits = path.map((trigger, i) => {
    const row = APPLICATION_LIFECYCLE.transitions.find((t) => t.trigger === trigger)!;
    return applicationAuditOp(app.id, { key: { at: now, key: `seed-${i}-${trigger}` }, event: { actor: { kind: 'system', id: 'model-seed' }, action: trigger, article: row.article, from: row.from, to: row.to } });
  });
  const approved = updateOp(
    keys.application(app.id),
    { set: { status: 'APPROVED', version: 1 + path.length, updatedAt: now, gsi2pk: shardedKey('APPSTATUS#APPROVED', app.id), gsi2sk: `${now}#${app.id}` } },
    { expression: '#s = :draft', names: { '#s': 'status' }, values: { ':draft': 'DRAFT' } },
  );
  const siteId = ulid();
  const site: SiteRecord = {
    siteId,
    certificateNumber: `CBEC-440000-2025-${siteId.slice(-6)}`,
    status: 'ACTIVE',
    version: 0,
    institutionId: cc,
    institutionName: `学院 ${cc.slice(-4)}`,
    provinceCode: '440000',
    cityCode: '440100',
    applicationId: app.id,
    activatedAt: at,
    accreditedRooms: [
      { name: '机房A', seats: 80, seatingArrangement: 'alternate-seat', capacity: 40 },
      { name: '机房B', seats: 30, seatingArrangement: 'every-seat', capacity: 30 },
    ],
    lastExamAt: null,
    ...timerUpdateOf({ anchorAt: at, suspendedMs: 0, warned: [] }),
    createdAt: at,
    updatedAt: at,
  };
  const outcome = await runTransaction([approved, ...audits, ...siteCreationOps(site, { key: { at, key: `seed-${siteId}` }, event: { actor: { kind: 'system', id: 'model-seed' }, action: 'activate', article: 'Art.5' } })]);
  expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
  await armInactivityTimer(siteId);
  return newSiteModel(siteId, app.id, sub, activatedAt);
}

// ─── invariants after every run ──────────────────────────────────────────────

/** Replays an audit trail's status events in order; returns the status reached and how many transitions it took. */
function replay(trail: ReadonlyArray<Record<string, unknown>>, initial: string | undefined, states: readonly string[]): { status: string | undefined; transitions: number; broken?: string } {
  let status = initial;
  let transitions = 0;
  for (const e of trail) {
    // The owner's trail also carries its sessions' events (SCHEDULED → HELD): only the record's own statuses count.
    if (typeof e.to !== 'string' || !states.includes(e.to)) continue;
    if (typeof e.from !== 'string') {
      if (status !== undefined && status !== e.to) return { status, transitions, broken: `creation to ${e.to} after ${status}` };
      status = e.to;
      continue;
    }
    if (e.from !== status) return { status, transitions, broken: `${String(e.action)} from ${e.from} while ${status}` };
    status = e.to;
    transitions += 1;
  }
  return { status, transitions };
}

async function checkInvariants(m: Model): Promise<string[]> {
  const found: string[] = [];
  for (const app of [...m.pastApps, m.app]) {
    if (!app.id) continue;
    const stored = await getApplicationStatus(app.id);
    const trail = await applicationAuditTrail(app.id);
    const replayed = replay(trail, undefined, APPLICATION_LIFECYCLE.states);
    if (replayed.broken) found.push(`application ${app.id}: trail breaks: ${replayed.broken}`);
    if (replayed.status !== stored?.status) found.push(`application ${app.id}: trail replays to ${replayed.status}, stored ${stored?.status}`);
    if (replayed.status !== app.status) found.push(`application ${app.id}: trail replays to ${replayed.status}, model ${app.status}`);
    if (replayed.transitions !== app.transitions) found.push(`application ${app.id}: ${replayed.transitions} status events, model ${app.transitions}`);
    totals.transitions += replayed.transitions;
  }
  for (const s of m.sites) {
    const stored = await getSite(s.id);
    const trail = await listAllAudit(`SITE#${s.id}`);
    const replayed = replay(trail, 'ACTIVE', SITE_LIFECYCLE.states);
    if (replayed.broken) found.push(`site ${s.id}: trail breaks: ${replayed.broken}`);
    if (replayed.status !== stored?.status) found.push(`site ${s.id}: trail replays to ${replayed.status}, stored ${stored?.status}`);
    if (replayed.transitions !== s.transitions) found.push(`site ${s.id}: ${replayed.transitions} status events, model ${s.transitions}`);
    totals.transitions += replayed.transitions;
    totals.finalStatuses[stored?.status ?? 'missing'] = (totals.finalStatuses[stored?.status ?? 'missing'] ?? 0) + 1;
    // Art.23(1): no site REVOKED for inactivity that held a session within the period before (time suspended added).
    const revoked = trail.find((e) => e.to === 'REVOKED' && e.article === 'Art.23(1)');
    if (revoked) {
      const at = Date.parse(String(revoked.at));
      let suspended = 0;
      let since: number | undefined;
      for (const e of trail) {
        if (e.to === 'SUSPENDED') since = Date.parse(String(e.at));
        if (e.from === 'SUSPENDED' && since !== undefined) (suspended += Date.parse(String(e.at)) - since), (since = undefined);
      }
      const lastHeld = Math.max(Date.parse(stored!.activatedAt), ...s.held);
      if (at < lastHeld + INACTIVITY_DAYS * DAY + suspended) found.push(`site ${s.id}: revoked for inactivity at ${revoked.at}, last session held ${new Date(lastHeld).toISOString()}`);
    }
  }
  return found;
}

describe('model-based lifecycle tests: random action sequences against the local stack', () => {
  let stack: LocalStack;
  let api: LocalApiClient;
  const started = Date.now();

  beforeAll(async () => {
    // No daily schedules: the reconciliation is the two-year-rule test's business; moving months here would cost a run per day.
    ({ stack } = await startSeededStack(1500, 'lifecycle-model', { dailySchedules: false }));
    api = new LocalApiClient(stack);
    stack.issuer.addUser(ADMIN2);
    await api.expect(200, ADMIN, 'PUT', `/v1/admin/staff/${ADMIN2.sub}`, { name: ADMIN2.name, email: ADMIN2.email, role: 'admin', active: true });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it(`${RUNS} runs of up to ${MAX_COMMANDS} actions: every step matches the model; every trail replays; nothing lost, doubled or revoked early`, async () => {
    console.log(`[lifecycle-model] seed ${SEED}${PATH ? ` path ${PATH}` : ''}, ${RUNS} runs, up to ${MAX_COMMANDS} commands (reproduce: ${LONG ? 'VERIFY_LONG=1 ' : ''}MODEL_SEED=${SEED} npx vitest run test/verify/lifecycle-model.test.ts)`);
    const property = fc.asyncProperty(fc.constantFrom(0, 400, 680, 700, 715, 725), fc.commands(commands, { maxCommands: MAX_COMMANDS, size: 'max', ...(REPLAY ? { replayPath: REPLAY } : {}) }), async (backdays, cmds) => {
      const n = ++runCounter;
      const t0 = Date.now();
      const activatedAt = stack.clock.now() - backdays * DAY;
      const model: Model = { now: stack.clock.now(), run: n, onboarded: false, inst: institution(n), app: { status: 'NONE', formSaved: false, evidence: false, returns: 0, transitions: 0 }, pastApps: [], sites: [], steps: 0 };
      model.sites.push(await seedSite(stack, n, activatedAt));
      const real: Real = { stack, api };
      await stack.settle();
      await compare(model, real, 'after seeding');
      const t1 = Date.now();
      await fc.asyncModelRun(() => ({ model, real }), cmds);
      const t2 = Date.now();
      const found = await checkInvariants(model);
      if (process.env.MODEL_PROFILE) console.log(`run ${n} (${backdays} days): seed ${t1 - t0} ms, ${model.steps} steps ${t2 - t1} ms, invariants ${Date.now() - t2} ms; ${cmds.toString()} → ${model.app.status} ${model.sites.map((s) => s.status).join(' ')}`);
      totals.runs += 1;
      if (found.length) {
        totals.violations += found.length;
        violations.push(...found);
      }
      expect(found, `invariants after run ${n}: ${cmds.toString()}`).toEqual([]);
    });
    let failure: unknown;
    try {
      await fc.assert(property, { numRuns: RUNS, seed: SEED, ...(PATH ? { path: PATH, endOnFailure: true } : {}), ...(TIME_LIMIT_S ? { interruptAfterTimeLimit: TIME_LIMIT_S * 1000 } : {}), verbose: 1 });
    } catch (error) {
      failure = error;
      const text = error instanceof Error ? error.message : String(error);
      const path = /path: "([^"]+)"/.exec(text)?.[1];
      const replay = /Counterexample:.*replayPath="([^"]+)"/.exec(text)?.[1];
      console.error(
        `[lifecycle-model] reproduce: ${LONG ? 'VERIFY_LONG=1 ' : ''}MODEL_SEED=${SEED}${path ? ` MODEL_PATH="${path}"` : ''}${replay ? ` MODEL_REPLAY="${replay}"` : ''} npx vitest run test/verify/lifecycle-model.test.ts`,
      );
    }
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    mkdirSync('.local/verify', { recursive: true });
    writeFileSync(
      '.local/verify/model.json',
      `${JSON.stringify(
        {
          suite: 'model',
          rows: [
            { name: 'lifecycle runs', result: String(totals.runs) },
            { name: 'steps (actions and clock advances)', result: String(totals.steps) },
            { name: 'status transitions checked', result: String(totals.transitions) },
            { name: 'invariant violations', result: String(totals.violations) },
            { name: 'seed', result: String(SEED) },
            { name: 'mode', result: LONG ? `long (up to ${RUNS} runs or ${TIME_LIMIT_S} s, ${MAX_COMMANDS} commands)` : `ci (${RUNS} runs, up to ${MAX_COMMANDS} commands)` },
            { name: 'time (s)', result: String(seconds) },
          ],
          totals: { runs: totals.runs, steps: totals.steps, transitions: totals.transitions, violations: totals.violations, seed: SEED, seconds, mode: LONG ? 'long' : 'ci', failed: failure !== undefined, byCommand: totals.byCommand, finalSiteStatuses: totals.finalStatuses },
          violations,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`[lifecycle-model] ${totals.runs} runs, ${totals.steps} steps, ${totals.transitions} transitions, ${totals.violations} violations, ${seconds} s; by command ${JSON.stringify(totals.byCommand)}`);
    if (failure) throw failure;
    if (TIME_LIMIT_S) expect(totals.runs).toBeGreaterThan(0);
    else expect(totals.runs).toBe(PATH ? 1 : RUNS);
  }, LONG ? 600_000 : 300_000);
});

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack.ts';
import { makePdf } from '../../local/demo-files.ts';
import { startSeededStack } from '../support/local-stack.ts';
import { type DemoScenario, demoInstitutions } from '../../local/demo-scenario.ts';

/**
 * Files of a site's later life (Art.20, Art.21, Art.23) through the whole
 * local stack: the same presigned POST and validator as the application's
 * evidence, under the site's application prefix; cited by a representation
 * only once validated; read by staff through the audited download route;
 * another institution sees nothing; a site off the register adds nothing.
 */
describe("a site's documents and a revocation case's evidence through the local stack", () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  const { pilot, second, nonPilot } = demoInstitutions();
  const admin2 = { sub: 'demo-admin-2', email: 'admin2@org.example', name: '钱管理', groups: ['admin' as const], label: 'Second administrator' };
  let siteId = '';
  let applicationId = '';

  const pdf = (title: string) => ({ kind: 'site-document', file: makePdf(title, pilot.creditCode), contentType: 'application/pdf', fileName: `${title}.pdf` });
  const grantBody = (kind: string, file: Buffer, contentType = 'application/pdf') => ({
    kind,
    fileName: 'x.pdf',
    contentType,
    size: file.length,
    sha256: createHash('sha256').update(file).digest('hex'),
  });
  const siteDocuments = (sub: string, appId = applicationId) =>
    demo.api.call<{ complete: boolean; stillNeeded: unknown[]; kinds: Array<{ kind: string; required: boolean; items: Array<{ itemId: string; status: string; reasons: Array<{ code: string }> }> }> }>(
      sub,
      'GET',
      `/v1/applications/${appId}/evidence?kind=site-document`,
    );

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(1620, 'site-documents'));
    stack.issuer.addUser(admin2);
    await demo.api.expect(200, 'demo-admin', 'PUT', `/v1/admin/staff/${admin2.sub}`, { name: admin2.name, email: admin2.email, role: 'admin', active: true });
    ({ siteId } = await demo.accredit(pilot));
    ({ applicationId } = await demo.api.expect<{ applicationId: string }>(200, pilot.user.sub, 'GET', `/v1/sites/${siteId}`));
  }, 240_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('leaves the application flow as it was: no site document before approval, none in a draft checklist (Art.4)', async () => {
    await demo.onboard(nonPilot);
    const draft = await demo.api.expect<{ id: string }>(201, nonPilot.user.sub, 'POST', '/v1/applications', {});
    const file = makePdf('too early', nonPilot.creditCode);
    const early = await demo.api.call<{ code: string; article: string; message: { zh: string; en: string } }>(nonPilot.user.sub, 'POST', `/v1/applications/${draft.id}/evidence`, grantBody('site-document', file));
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'SITE_NOT_ACCREDITED', article: 'Art.4' });
    expect(early.body.message.zh).toMatch(/考核站点/);
    const list = await demo.api.expect<{ kinds: Array<{ kind: string }>; stillNeeded: Array<{ kind: string }> }>(200, nonPilot.user.sub, 'GET', `/v1/applications/${draft.id}/evidence`);
    expect(list.kinds.map((k) => k.kind)).not.toContain('site-document');
    expect(list.stillNeeded.map((k) => k.kind)).not.toContain('site-document');
    // The approved application's checklist is still complete with site documents listed beside it.
    const approved = await demo.api.expect<{ complete: boolean; kinds: Array<{ kind: string; required: boolean }> }>(200, pilot.user.sub, 'GET', `/v1/applications/${applicationId}/evidence`);
    expect(approved.complete).toBe(true);
    expect(approved.kinds.find((k) => k.kind === 'site-document')).toMatchObject({ required: false });
    expect(approved.kinds.map((k) => k.kind)).not.toContain('case-evidence');
  }, 120_000);

  it('answers a revocation case with a validated PDF: hostile and unvalidated files refused, another institution sees nothing, staff download it (Art.23(3))', async () => {
    // Staff never upload the site's documents; the admin's case evidence goes through the same pipeline.
    const byReviewer = await demo.api.call<{ code: string }>('demo-reviewer', 'POST', `/v1/applications/${applicationId}/evidence`, grantBody('site-document', pdf('r').file));
    expect(byReviewer.status).toBe(403);
    const caseFile = await demo.uploadFile('demo-admin', applicationId, { kind: 'case-evidence', file: makePdf('Complaint and exam-day record', 'case'), contentType: 'application/pdf', fileName: '举报材料.pdf' });
    const opened = await demo.api.expect<{ revocationId: string }>(202, 'demo-admin', 'POST', `/v1/admin/sites/${siteId}/revocations`, {
      cause: 'misconduct',
      reason: '考试期间组织替考，造成不良社会影响。',
      evidenceIds: [caseFile],
    });
    await stack.settle();
    // The site reads the evidence cited against it, not the admin's other files.
    await demo.api.expect(200, pilot.user.sub, 'GET', `/v1/applications/${applicationId}/evidence/${caseFile}/download`);

    // The site uploads its answer as a PDF: validated by its bytes, listed by kind.
    const answerFile = pdf('整改说明');
    const answer = await demo.uploadFile(pilot.user.sub, applicationId, answerFile);
    const listed = await siteDocuments(pilot.user.sub);
    expect(listed.status).toBe(200);
    expect(listed.body.kinds).toHaveLength(1);
    // One kind asked for: the checklist's verdict is still the whole application's.
    expect(listed.body).toMatchObject({ complete: true, stillNeeded: [] });
    expect(listed.body.kinds[0]).toMatchObject({ kind: 'site-document', required: false });
    expect(listed.body.kinds[0]!.items.find((i) => i.itemId === answer)).toMatchObject({ status: 'valid' });

    // An HTML page named as a PDF: refused by the validator, quarantined, and not citable.
    const html = Buffer.alloc(4096, 0x20);
    html.write('<!DOCTYPE html><html><script>alert(1)</script></html>', 0, 'latin1');
    const hostile = await demo.uploadFile(pilot.user.sub, applicationId, { kind: 'site-document', file: html, contentType: 'application/pdf', fileName: 'answer.pdf' });
    const afterHostile = await siteDocuments(pilot.user.sub);
    const refused = afterHostile.body.kinds[0]!.items.find((i) => i.itemId === hostile)!;
    expect(refused.status).toBe('invalid');
    expect(refused.reasons.map((r) => r.code)).toContain('EVIDENCE_FORMAT_UNRECOGNISED');
    // A grant whose file never arrived (or is still being checked) is not citable either.
    const pending = await demo.api.expect<{ itemId: string }>(201, pilot.user.sub, 'POST', `/v1/applications/${applicationId}/evidence`, grantBody('site-document', pdf('later').file));
    const venuePhoto = (await demo.api.expect<{ kinds: Array<{ kind: string; items: Array<{ itemId: string }> }> }>(200, pilot.user.sub, 'GET', `/v1/applications/${applicationId}/evidence?kind=venue-photo`)).kinds[0]!.items[0]!.itemId;
    const path = `/v1/sites/${siteId}/revocations/${opened.revocationId}/representation`;
    const notCitable = await demo.api.call<{ code: string; article: string; details: Array<{ path: string; reason: string }> }>(pilot.user.sub, 'POST', path, {
      text: '我校已对相关人员严肃处理，并整改考务流程。',
      evidenceIds: [answer, hostile, pending.itemId, venuePhoto, caseFile, 'NOT-AN-ID'],
    });
    expect(notCitable.status).toBe(400);
    expect(notCitable.body).toMatchObject({ code: 'EVIDENCE_NOT_CITABLE', article: 'Art.23(3)' });
    expect(notCitable.body.details).toEqual([
      { path: 'evidenceIds.1', itemId: hostile, reason: 'not-validated' },
      { path: 'evidenceIds.2', itemId: pending.itemId, reason: 'not-validated' },
      { path: 'evidenceIds.3', itemId: venuePhoto, reason: 'wrong-kind' },
      { path: 'evidenceIds.4', itemId: caseFile, reason: 'wrong-kind' },
      { path: 'evidenceIds.5', itemId: 'NOT-AN-ID', reason: 'not-found' },
    ]);

    // Another institution: 404 for the upload, the list and the download, as if the site did not exist.
    await demo.onboard(second);
    const foreignUpload = await demo.api.call(second.user.sub, 'POST', `/v1/applications/${applicationId}/evidence`, grantBody('site-document', pdf('x').file));
    expect(foreignUpload.status).toBe(404);
    expect((await siteDocuments(second.user.sub)).status).toBe(404);
    expect((await demo.api.call(second.user.sub, 'GET', `/v1/applications/${applicationId}/evidence/${answer}/download`)).status).toBe(404);

    // The representation cites the validated file; the case shows it; a reviewer and an admin download it, audited.
    const view = await demo.api.expect<{ representation: { evidenceIds: string[] } }>(200, pilot.user.sub, 'POST', path, { text: '我校已对相关人员严肃处理，并整改考务流程。', evidenceIds: [answer] });
    expect(view.representation.evidenceIds).toEqual([answer]);
    const cases = await demo.api.expect<{ revocations: Array<{ evidenceIds: string[]; representation: { evidenceIds: string[] } }> }>(200, 'demo-admin', 'GET', `/v1/sites/${siteId}/cases`);
    expect(cases.revocations[0]).toMatchObject({ evidenceIds: [caseFile], representation: { evidenceIds: [answer] } });
    for (const reader of ['demo-reviewer', admin2.sub]) {
      const link = await demo.api.expect<{ url: string; expiresAt: string }>(200, reader, 'GET', `/v1/applications/${applicationId}/evidence/${answer}/download`);
      expect(link.url).toContain(`site-document/${answer}`);
      const got = await fetch(link.url);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(answerFile.file)).toBe(true);
    }
    const audit = await demo.api.expect<{ items: Array<{ action: string; details?: { itemId?: string } }> }>(200, 'demo-admin', 'GET', `/v1/applications/${applicationId}/audit?limit=200`);
    expect(audit.items.filter((e) => e.action === 'evidence-downloaded' && e.details?.itemId === answer)).toHaveLength(2);
    // Cited or not, a site's documents are its record: never removed.
    const removal = await demo.api.call<{ code: string }>(pilot.user.sub, 'DELETE', `/v1/applications/${applicationId}/evidence/${answer}`);
    expect(removal.status).toBe(409);
    expect(removal.body.code).toBe('SITE_RECORD_KEPT');
  }, 300_000);

  it('takes no more files from a withdrawn site (Art.22)', async () => {
    const other = await demo.accredit(second);
    const { applicationId: otherApp } = await demo.api.expect<{ applicationId: string }>(200, second.user.sub, 'GET', `/v1/sites/${other.siteId}`);
    // While ACTIVE its members upload.
    await demo.uploadFile(second.user.sub, otherApp, pdf('工作计划'));
    await demo.api.expect(202, second.user.sub, 'POST', `/v1/sites/${other.siteId}/withdrawal`, { reason: '学校专业调整，申请退出考核站点。' });
    await stack.settle();
    const link = demo.api.latestDecisionLink('admin@org.example') ?? demo.api.latestDecisionLink(admin2.email);
    const decider = demo.api.latestDecisionLink('admin@org.example') === link ? 'demo-admin' : admin2.sub;
    await demo.api.expect(200, decider, 'POST', `/v1/decisions/${link}`, { outcome: 'agree', reason: '无在办考试，同意退出。' });
    await stack.settle();
    expect((await demo.api.expect<{ status: string }>(200, 'demo-admin', 'GET', `/v1/sites/${other.siteId}`)).status).toBe('WITHDRAWN');
    const late = await demo.api.call<{ code: string; article: string; message: { zh: string; en: string } }>(second.user.sub, 'POST', `/v1/applications/${otherApp}/evidence`, grantBody('site-document', pdf('late').file));
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'SITE_DOCUMENTS_CLOSED', article: 'Art.22' });
    expect(late.body.message.en).toMatch(/WITHDRAWN/);
    const caseLate = await demo.api.call<{ code: string }>('demo-admin', 'POST', `/v1/applications/${otherApp}/evidence`, grantBody('case-evidence', pdf('late').file));
    expect(caseLate.body.code).toBe('SITE_DOCUMENTS_CLOSED');
  }, 300_000);
});

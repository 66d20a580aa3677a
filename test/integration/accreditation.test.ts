import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectTaggingCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '../../local/stack.ts';
import { startSeededStack } from '../support/local-stack.ts';
import { type DemoScenario, demoInstitutions, evidenceFiles } from '../../local/demo-scenario.ts';

/**
 * Through the whole local stack: HTTP API with JWTs → handlers → DynamoDB
 * Local, presigned POSTs to the local S3 → validator via the SQS-wrapped
 * EventBridge event → the accreditation ASL on the local engine → e-mails in
 * the outbox → decision links followed by the reviewers → an ACTIVE site.
 */
describe('accreditation through the local stack', () => {
  let stack: LocalStack;
  let demo: DemoScenario;
  const { pilot, nonPilot, second } = demoInstitutions();

  beforeAll(async () => {
    ({ stack, demo } = await startSeededStack(0, 'accreditation'));
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('returns an application with a missing venue photo, then approves it after a site visit, creating an ACTIVE site (Art.3(3), Art.4)', async () => {
    const id = await demo.apply(pilot, [4]);
    await demo.submit(pilot, id);
    expect(await demo.status(id)).toBe('RETURNED');
    const findings = await demo.findings(pilot, id);
    expect(findings.some((f) => f.severity === 'blocking' && f.article.startsWith('Art.3(3)'))).toBe(true);
    expect(demo.api.mailTo(pilot.user.email).some((m) => /退回|returned/i.test(m.subject))).toBe(true);

    await demo.uploadEvidence(pilot, id, evidenceFiles(pilot.creditCode)[4]!);
    await demo.submit(pilot, id);
    expect(await demo.status(id)).toBe('UNDER_REVIEW');

    const review = await demo.decide('approve-for-visit', 'Materials complete and consistent with Art.9-11.');
    expect(review.kind).toBe('material-review');
    expect(await demo.status(id)).toBe('SITE_VISIT');
    const visit = await demo.decide('approve', 'Rooms, PCs and cameras as declared; evacuation routes certified.', { recommendation: 'approve', findings: [] });
    expect(visit.kind).toBe('site-visit');
    expect(await demo.status(id)).toBe('DECISION');

    // The visitor may not make the final decision (four-eyes): the link goes to the other reviewer.
    const final = await demo.decide('approve', 'Review and site visit both passed (Art.4).', {}, visit.sub);
    expect(final.kind).toBe('final-decision');
    expect(final.sub).not.toBe(visit.sub);
    expect(await demo.status(id)).toBe('APPROVED');

    const activated = stack.events.events().filter((e) => e['detail-type'] === 'SiteActivated');
    expect(activated).toHaveLength(1);
    expect(demo.api.mailTo(pilot.user.email).some((m) => /批准|approved|activated/i.test(m.subject))).toBe(true);

    const detail = await demo.api.expect<{ timeline: Array<{ to?: string; article?: string }> }>(200, pilot.user.sub, 'GET', `/v1/applications/${id}`);
    const path = detail.timeline.map((e) => e.to).filter(Boolean);
    expect(path).toEqual(expect.arrayContaining(['SUBMITTED', 'SCREENING', 'RETURNED', 'UNDER_REVIEW', 'SITE_VISIT', 'DECISION', 'APPROVED']));

    // The college reads its site and certificate (Art.4, Art.5); staff see it in the register; nobody else does.
    const mine = await demo.api.expect<{ items: Array<{ siteId: string; status: string; certificateNumber: string; inactiveRevocationAt: string; activatedAt: string }> }>(200, pilot.user.sub, 'GET', '/v1/sites');
    expect(mine.items).toHaveLength(1);
    const site = mine.items[0]!;
    expect(site).toMatchObject({ status: 'ACTIVE', certificateNumber: expect.stringMatching(/^CBEC-440000-\d{4}-[0-9A-Z]{6}$/) });
    expect(Date.parse(site.inactiveRevocationAt) - Date.parse(site.activatedAt)).toBe(730 * 86_400_000);
    const register = await demo.api.expect<{ items: Array<{ siteId: string }> }>(200, 'demo-admin', 'GET', '/v1/sites?status=ACTIVE');
    expect(register.items.map((s) => s.siteId)).toContain(site.siteId);
    await demo.onboard(nonPilot);
    expect((await demo.api.call(nonPilot.user.sub, 'GET', `/v1/sites/${site.siteId}`)).status).toBe(404);

    // Now an exam site, the college does not apply again (Art.5).
    const again = await demo.api.call<{ code: string }>(pilot.user.sub, 'POST', '/v1/applications', {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SITE_ALREADY_ACCREDITED');
  });

  it('refuses an institution that is not on the pilot register at screening (Art.3(2))', async () => {
    const id = await demo.apply(nonPilot);
    await demo.submit(nonPilot, id);
    expect(await demo.status(id)).toBe('REJECTED');
    const findings = await demo.findings(nonPilot, id);
    expect(findings.map((f) => f.code)).toContain('NOT_A_PILOT_COLLEGE');
  });

  it('rejects an application after a failed site visit, and the college may apply again (Art.4)', async () => {
    await demo.onboard(second);
    const id = await demo.apply(second);
    await demo.submit(second, id);
    expect(await demo.status(id)).toBe('UNDER_REVIEW');

    // A reviewer's client retrying after a lost answer, with the same Idempotency-Key, gets the first answer again.
    const link = demo.newDecisionLink()!;
    const decision = { outcome: 'approve-for-visit', reason: 'Materials complete.' };
    const first = await demo.api.call(link.sub, 'POST', `/v1/decisions/${link.decisionId}`, decision, { 'idempotency-key': 'review-retry-0001' });
    const retried = await demo.api.call(link.sub, 'POST', `/v1/decisions/${link.decisionId}`, decision, { 'idempotency-key': 'review-retry-0001' });
    expect([first.status, retried.status]).toEqual([200, 200]);
    expect(retried.body).toEqual(first.body);
    expect((await demo.api.call<{ code: string }>(link.sub, 'POST', `/v1/decisions/${link.decisionId}`, decision)).body.code).toBe('DECISION_ALREADY_MADE');
    expect(await demo.status(id)).toBe('SITE_VISIT');
    demo.markUsed(link.decisionId);

    const visit = await demo.decide('reject', 'Only 28 working candidate PCs in room 2 on the day of the visit (Art.11).', {
      recommendation: 'reject',
      findings: [{ article: 'Art.11', severity: 'blocking', zh: '2 号考场实际可用考生机 28 台', en: 'Room 2 had 28 working candidate PCs' }],
    });
    await demo.decide('reject', 'The site visit found the exam rooms below the standard of Art.11.', {}, visit.sub);
    expect(await demo.status(id)).toBe('REJECTED');

    // Its files now carry the retention tag the bucket's expiry rule acts on.
    const files = await demo.api.expect<{ kinds: Array<{ items: Array<{ itemId: string }> }> }>(200, 'demo-admin', 'GET', `/v1/applications/${id}/evidence`);
    const itemIds = files.kinds.flatMap((k) => k.items.map((i) => i.itemId));
    expect(itemIds.length).toBeGreaterThan(0);
    const s3 = new S3Client({ endpoint: stack.s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID!, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY! } });
    s3.config.systemClockOffset = stack.clock.now() - Date.now();
    const form = evidenceFiles(second.creditCode)[0]!;
    const key = `applications/${id}/${form.kind}/`;
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: process.env.EVIDENCE_BUCKET!, Prefix: key }));
    const tagging = await s3.send(new GetObjectTaggingCommand({ Bucket: process.env.EVIDENCE_BUCKET!, Key: listed.Contents![0]!.Key! }));
    expect(tagging.TagSet).toEqual([{ Key: 'retention', Value: 'application-ended' }]);

    const again = await demo.api.call(second.user.sub, 'POST', '/v1/applications', {});
    expect(again.status).toBe(201);
  });

  it('keeps each institution to its own applications', async () => {
    const mine = await demo.api.expect<{ items: Array<{ creditCode: string }> }>(200, nonPilot.user.sub, 'GET', '/v1/applications');
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((a) => a.creditCode === nonPilot.creditCode)).toBe(true);
  });
});

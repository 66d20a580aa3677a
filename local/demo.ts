import './demo-quiet.ts';
import { performance } from 'node:perf_hooks';
import { startLocalStack } from './stack.ts';
import { seedDemoData } from './seed.ts';
import { DemoScenario, demoInstitutions, evidenceFiles } from './demo-scenario.ts';
import { runSiteLife } from './demo-site-life.ts';

/**
 * `npm run demo`: starts a private local stack and acts as the users would —
 * uploads real files through the presigned POSTs, follows the decision links
 * it finds in the outbox e-mails with that reviewer's token — then prints a
 * readable timeline. First part, accreditation: one application returned
 * for a missing photo and approved after a site visit, one from an
 * institution not on the pilot register refused at screening, one rejected
 * after its site visit. Second part, about two years of the sites' working
 * life (`demo-site-life.ts`): a session held, a withdrawal, a revocation for
 * misconduct, a revocation for two years without exams.
 */
const started = performance.now();
const stack = await startLocalStack({ portBase: Number(process.env.LOCAL_PORT_BASE ?? 4710), dataDir: '.local/demo' });
let exitCode = 0;
try {
  await seedDemoData(stack);
  const demo = new DemoScenario(stack);
  const { pilot, nonPilot, second } = demoInstitutions();

  demo.log('—', `A. ${pilot.name}: returned once for a missing venue photo, then approved after a site visit`);
  const a = await demo.apply(pilot, [4]);
  await demo.submit(pilot, a);
  const returned = (await demo.findings(pilot, a)).filter((f) => f.severity === 'blocking');
  demo.log('system', `screening → ${await demo.status(a)}: ${returned.map((f) => `${f.code} (${f.article})`).join(', ')}`);
  await stack.advance('P3D');
  await demo.uploadEvidence(pilot, a, evidenceFiles(pilot.creditCode)[4]!);
  demo.log(pilot.user.name, 'uploaded the missing photo of the exam-affairs office, three days later');
  await demo.submit(pilot, a);
  demo.log('system', `screening → ${await demo.status(a)}; the reviewer got an e-mail with a decision link`);
  await stack.advance('P2D');
  await demo.decide('approve-for-visit', 'Materials complete and consistent with Art.9-11.');
  await stack.advance('P7D');
  const visit = await demo.decide('approve', 'Rooms, PCs and cameras as declared; evacuation routes certified.', { recommendation: 'approve' });
  await stack.advance('P1D');
  await demo.decide('approve', 'Material review and site visit both passed (Art.4).', {}, visit.sub);
  const site = stack.events.events().find((e) => e['detail-type'] === 'SiteActivated');
  demo.log('system', `application ${a} → ${await demo.status(a)}; site ${JSON.stringify((site?.detail as { certificateNumber?: string })?.certificateNumber ?? '?')} ACTIVE`);

  demo.log('—', `B. ${nonPilot.name}: not on the pilot register`);
  await demo.onboard(nonPilot);
  const b = await demo.apply(nonPilot);
  await demo.submit(nonPilot, b);
  const refused = (await demo.findings(nonPilot, b)).find((f) => f.code === 'NOT_A_PILOT_COLLEGE');
  demo.log('system', `screening → ${await demo.status(b)}: ${refused ? `${refused.code} (${refused.article}) ${refused.zh}` : 'no eligibility finding?'}`);

  demo.log('—', `C. ${second.name}: rejected after the site visit`);
  await demo.onboard(second);
  const c = await demo.apply(second);
  await demo.submit(second, c);
  await demo.decide('approve-for-visit', 'Materials complete.');
  await stack.advance('P10D');
  const v2 = await demo.decide('reject', 'Only 28 working candidate PCs in room 2 (Art.11(2)1).', {
    recommendation: 'reject',
    findings: [{ article: 'Art.11', severity: 'blocking', zh: '2 号考场实际可用考生机 28 台，少于 40 台', en: 'Room 2 had 28 working candidate PCs; at least 40 are required' }],
  });
  await demo.decide('reject', 'The site visit found the exam rooms below the standard of Art.11.', {}, v2.sub);
  demo.log('system', `application ${c} → ${await demo.status(c)}; the college may apply again`);

  await runSiteLife(stack, demo, { sub: pilot.user.sub, name: pilot.name, email: pilot.user.email });

  console.log('\n考核站点全生命周期演示 / Exam-site lifecycle demo — timeline (virtual time)\n');
  // CJK characters take two columns in a terminal.
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(1, width - [...text].reduce((w, ch) => w + (/[\u2e80-\uffff]/.test(ch) ? 2 : 1), 0)));
  for (const line of demo.lines) console.log(`${line.at}  ${pad(line.who, 18)}${line.what}`);
  const mails = stack.ses.messages();
  console.log(`\n${mails.length} e-mails in ${stack.outboxDir}:`);
  for (const m of mails) console.log(`  ${m.sentAt.slice(0, 16).replace('T', ' ')}  → ${m.to.join(', ').padEnd(28)} ${m.subject}`);
  console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s of real time.`);
} catch (error) {
  console.error('the demo failed:', error);
  exitCode = 1;
} finally {
  await stack.stop();
}
process.exit(exitCode);

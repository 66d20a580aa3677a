import { describe, expect, it } from 'vitest';
import {
  applicationClosedMail,
  applicationRefusedMail,
  applicationRejectedMail,
  applicationReturnedMail,
  decisionEscalatedMail,
  decisionReminderMail,
  decisionRequestMail,
  escapeHtml,
  siteActivatedMail,
  type RenderedMail,
} from '../../../functions/domain/mail-templates/index.ts';

const ref = { applicationId: 'APP1', institutionName: '示范学院<script>alert(1)</script>' };
const finding = { article: 'Art.11', zh: '每个考场摄像头不少于 2 个 & 录音', en: 'At least 2 cameras per room & audio' };
const all: Array<[string, RenderedMail]> = [
  ['decision-request', decisionRequestMail({ ...ref, kind: 'material-review', findingsCount: 3, deadline: '2025-03-11T00:00:00.000Z', link: 'https://portal.example.cn/decisions/abc' })],
  ['decision-reminder', decisionReminderMail({ ...ref, kind: 'site-visit', deadline: '2025-03-11T00:00:00.000Z', link: 'https://portal.example.cn/decisions/abc' })],
  ['decision-escalated', decisionEscalatedMail({ ...ref, kind: 'final-decision', escalation: 1, maxEscalations: 2, overdue: false, adminLink: 'https://portal.example.cn/applications/APP1' })],
  ['application-returned', applicationReturnedMail({ ...ref, findings: [finding], deadline: '2025-03-15T00:00:00.000Z', round: 1, maxRounds: 3, link: 'https://portal.example.cn/applications/APP1' })],
  ['application-refused', applicationRefusedMail({ ...ref, findings: [finding] })],
  ['application-rejected', applicationRejectedMail({ ...ref, reason: 'UPS < 3 h', article: 'Art.7' })],
  ['application-closed', applicationClosedMail({ ...ref, why: 'deadline', maxRounds: 3, findings: [] })],
  ['site-activated', siteActivatedMail({ ...ref, certificateNumber: 'CBEC-440000-2025-ABCDEF', activatedAt: '2025-03-05T08:00:00.000Z', link: 'https://portal.example.cn/sites/S1' })],
];

describe('mail templates', () => {
  describe.each(all)('%s', (_name, mail) => {
    it('puts the Chinese text first and the English second, in text and HTML', () => {
      expect(mail.text.indexOf('申请')).toBeGreaterThanOrEqual(0);
      expect(mail.text.indexOf('English')).toBeGreaterThan(mail.text.search(/[\u4e00-\u9fff]/));
      expect(mail.html.indexOf('lang="zh-CN"')).toBeLessThan(mail.html.indexOf('<div lang="en">'));
      expect(mail.subject).toMatch(/^【考核站点】.+ \/ Exam site/);
    });

    it('escapes everything interpolated into the HTML', () => {
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain('&lt;script&gt;');
    });
  });

  it('lists every returned finding with its article in both languages (Art.3)', () => {
    const mail = all.find(([n]) => n === 'application-returned')![1];
    expect(mail.text).toContain('【Art.11】每个考场摄像头不少于 2 个 & 录音');
    expect(mail.text).toContain('[Art.11] At least 2 cameras per room & audio');
    expect(mail.html).toContain('&amp; 录音');
    expect(mail.text).toContain('2025-03-15 08:00');
  });

  it('cites Art.3(2) when refusing a college that is not on the pilot register', () => {
    const mail = all.find(([n]) => n === 'application-refused')![1];
    expect(mail.text).toContain('第三条第二款');
    expect(mail.text).toContain('Art.3(2)');
  });

  it('carries the decision link and never anything but the decision id', () => {
    const mail = all[0]![1];
    expect(mail.text).toContain('https://portal.example.cn/decisions/abc');
    expect(mail.html).toContain('href="https://portal.example.cn/decisions/abc"');
  });

  it('escapes quotes so an attribute cannot be broken out of', () => {
    expect(escapeHtml(`"><img src=x onerror='a'>`)).toBe('&quot;&gt;&lt;img src=x onerror=&#39;a&#39;&gt;');
  });

  it('marks a policy finding and leaves out the article of a data-integrity finding in the returned mail', () => {
    const mail = applicationReturnedMail({
      ...ref,
      round: 1,
      maxRounds: 3,
      deadline: '2025-03-11T00:00:00.000Z',
      link: 'https://portal.example.cn/applications/APP1',
      findings: [
        { article: 'Art.11(2)1', policy: true, zh: '考生机操作系统为 Windows 11', en: 'Candidate PCs run Windows 11' },
        { zh: '考场名称重复', en: 'Duplicate room name' },
      ],
    });

    expect(mail.text).toContain('【Art.11(2)1 · 政策】考生机操作系统为 Windows 11');
    expect(mail.text).toContain('[Art.11(2)1 · policy] Candidate PCs run Windows 11');
    expect(mail.text).not.toContain('undefined');
    expect(mail.text).toMatch(/考场名称重复/);
  });
});

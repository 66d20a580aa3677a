import { useState } from 'preact/hooks';
import { api, get } from '../api.ts';
import { hasGroup, useApp } from '../app-context.ts';
import { SiteFilePicker } from '../components/site-files.tsx';
import { Badge, DataTable, ErrorBox, Link, Loading, PageTitle } from '../components/ui.tsx';
import { downloadEvidence } from '../components/upload-box.tsx';
import { formatTime, useT } from '../i18n.ts';
import { useAsync } from '../use-async.ts';

/** A withdrawal request and a revocation case as `GET /v1/sites/{siteId}/cases` returns them (schemas/api/site-exit.schema.ts). */
interface WithdrawalView {
  withdrawalId: string;
  status: 'pending' | 'withdrawn' | 'declined' | 'refused' | 'lapsed' | 'failed';
  reason: string;
  requestedAt: string;
  decidedAt?: string;
  decisionReason?: string;
}
interface RevocationView {
  revocationId: string;
  cause: 'inactivity' | 'standards-breach' | 'misconduct' | 'failed-rectification';
  article: string;
  reason: string;
  evidenceIds: string[];
  urgentReason: string | null;
  openedAt: string;
  status: 'open' | 'representation' | 'deciding' | 'revoked' | 'dismissed' | 'spared' | 'overdue' | 'failed';
  windowEndsAt: string | null;
  representation: { text: string; evidenceIds: string[]; submittedAt: string } | null;
  decidedAt?: string;
  decisionReason?: string;
}
interface SiteCases {
  withdrawals: WithdrawalView[];
  revocations: RevocationView[];
}
interface SiteSummary {
  siteId: string;
  certificateNumber: string;
  status: 'ACTIVE' | 'SUSPENDED' | 'REVOKED' | 'WITHDRAWN';
  institutionName: string;
  applicationId: string;
}

const WITHDRAWAL_LABELS: Record<WithdrawalView['status'], [string, string]> = {
  pending: ['待审批', 'Pending'],
  withdrawn: ['已同意退出', 'Withdrawn'],
  declined: ['未同意', 'Declined'],
  refused: ['未能办理（尚有考试）', 'Refused (a session is open)'],
  lapsed: ['已过期', 'Lapsed'],
  failed: ['处理失败', 'Failed'],
};
const REVOCATION_LABELS: Record<RevocationView['status'], [string, string]> = {
  open: ['已立案', 'Opened'],
  representation: ['陈述申辩期', 'Representation window'],
  deciding: ['待决定', 'Awaiting decision'],
  revoked: ['已撤销', 'Revoked'],
  dismissed: ['不予撤销', 'Dismissed'],
  spared: ['复核后保留', 'Spared on re-check'],
  overdue: ['逾期未决，已结案', 'Closed undecided'],
  failed: ['处理失败', 'Failed'],
};
const CAUSE_LABELS: Record<RevocationView['cause'], [string, string]> = {
  inactivity: ['两年内未能正常开展工作', 'Not operating for two years'],
  'standards-breach': ['未按考核标准及制度组织实施', 'Not following the standards'],
  misconduct: ['违法违纪并造成不良影响', 'Misconduct with bad public effect'],
  'failed-rectification': ['整改后仍不符合要求', 'Failed rectification'],
};

const text = (e: Event) => (e.target as HTMLInputElement | HTMLTextAreaElement).value;

/** Download buttons for the files a case or a representation cites (the audited download route). */
function CitedFiles({ applicationId, ids, onError }: { applicationId: string | undefined; ids: readonly string[]; onError: (e: unknown) => void }) {
  const t = useT();
  if (!applicationId || ids.length === 0) return null;
  return (
    <span class="cited-files">
      {ids.map((id, i) => (
        <button key={id} type="button" class="link small" onClick={() => void downloadEvidence(applicationId, id).catch(onError)}>
          {t(`附件 ${i + 1}`, `File ${i + 1}`)}
        </button>
      ))}
    </span>
  );
}

/**
 * The end of a site's accreditation (Art.22, Art.23, Art.21): its member
 * asks to withdraw and answers a revocation notice within the window; an
 * admin opens a revocation case. The decisions are taken on the decision
 * page an e-mail link opens.
 */
export function SiteExitPage({ siteId }: { siteId: string }) {
  const t = useT();
  const app = useApp();
  const isAdmin = hasGroup(app, 'admin');
  const isMember = hasGroup(app, 'applicant');
  const site = useAsync(() => get<SiteSummary>(`/v1/sites/${encodeURIComponent(siteId)}`), [siteId]);
  const cases = useAsync(() => get<SiteCases>(`/v1/sites/${encodeURIComponent(siteId)}/cases`), [siteId]);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState('');
  const [withdrawReason, setWithdrawReason] = useState('');
  const [answer, setAnswer] = useState('');
  const [answerFiles, setAnswerFiles] = useState<string[]>([]);
  const [revocation, setRevocation] = useState({ cause: 'misconduct', reason: '', urgent: false, urgentReason: '' });
  const [caseFiles, setCaseFiles] = useState<string[]>([]);

  const call = async (run: () => Promise<unknown>, message: string) => {
    setError(undefined);
    setDone('');
    try {
      await run();
      setDone(message);
      await Promise.all([cases.reload(), site.reload()]);
    } catch (e) {
      setError(e);
    }
  };
  const base = `/v1/sites/${encodeURIComponent(siteId)}`;
  const waiting = (cases.data?.revocations ?? []).find((r) => r.status === 'representation');

  return (
    <section>
      <PageTitle>{t('退出与撤销', 'Withdrawal and revocation')}</PageTitle>
      <p>
        <Link href="/sites">{t('返回考核站点', 'Back to exam sites')}</Link>
      </p>
      {site.data ? (
        <p>
          {site.data.institutionName} <code>{site.data.certificateNumber}</code> <Badge value={site.data.status} label={site.data.status} />
        </p>
      ) : null}
      <ErrorBox error={error ?? site.error ?? cases.error} />
      {done ? (
        <p class="notice" role="status">
          {done}
        </p>
      ) : null}
      {cases.loading && !cases.data ? <Loading /> : null}

      {isMember && waiting ? (
        <form
          class="card"
          aria-label={t('陈述申辩', 'Representation')}
          onSubmit={(e) => {
            e.preventDefault();
            void call(() => api('POST', `${base}/revocations/${encodeURIComponent(waiting.revocationId)}/representation`, { body: { text: answer, evidenceIds: answerFiles }, idempotent: true }), t('陈述申辩已提交。', 'Your representation was submitted.'));
          }}
        >
          <h2>{t('撤销资格立案通知：陈述申辩', 'Revocation notice: your representation')}</h2>
          <p>
            {t('事由', 'Cause')}：{t(...CAUSE_LABELS[waiting.cause])}（{waiting.article}）
          </p>
          <p>
            {t('理由', 'Reason')}：{waiting.reason}
          </p>
          <p>
            {t('请在此前提交', 'Answer before')}：{formatTime(waiting.windowEndsAt ?? undefined, t.lang)}
          </p>
          <label>
            {t('陈述申辩内容', 'Your answer')}
            <textarea required minLength={5} rows={5} value={answer} onInput={(e) => setAnswer(text(e))} />
          </label>
          {waiting.evidenceIds.length ? (
            <p>
              {t('立案证据', 'Evidence of the case')}：<CitedFiles applicationId={site.data?.applicationId} ids={waiting.evidenceIds} onError={setError} />
            </p>
          ) : null}
          <SiteFilePicker siteId={siteId} kind="site-document" selected={answerFiles} onChange={setAnswerFiles} />
          <button type="submit" class="primary">
            {t('提交陈述申辩', 'Submit the representation')}
          </button>
        </form>
      ) : null}

      {isMember && site.data?.status === 'ACTIVE' ? (
        <form
          class="card"
          aria-label={t('申请退出', 'Ask to withdraw')}
          onSubmit={(e) => {
            e.preventDefault();
            void call(() => api('POST', `${base}/withdrawal`, { body: { reason: withdrawReason }, idempotent: true }), t('退出申请已提交，待管理员审批。', 'Your withdrawal request was sent; an administrator decides.'));
          }}
        >
          <h2>{t('申请退出（第二十二条）', 'Ask to withdraw (Art.22)')}</h2>
          <p class="muted">{t('须在没有已安排或正在进行的考试时申请；同意后不再承担考务工作。', 'Only with no exam session scheduled or in progress; once agreed, the site has no further exam duties.')}</p>
          <label>
            {t('退出理由', 'Reason')}
            <textarea required minLength={5} rows={3} value={withdrawReason} onInput={(e) => setWithdrawReason(text(e))} />
          </label>
          <button type="submit" class="primary">
            {t('提交退出申请', 'Send the withdrawal request')}
          </button>
        </form>
      ) : null}

      {isAdmin && (site.data?.status === 'ACTIVE' || site.data?.status === 'SUSPENDED') ? (
        <form
          class="card"
          aria-label={t('撤销资格立案', 'Open a revocation case')}
          onSubmit={(e) => {
            e.preventDefault();
            void call(
              () =>
                api('POST', `/v1/admin/sites/${encodeURIComponent(siteId)}/revocations`, {
                  body: { cause: revocation.cause, reason: revocation.reason, evidenceIds: caseFiles, ...(revocation.urgent ? { urgent: { reason: revocation.urgentReason } } : {}) },
                  idempotent: true,
                }),
              t('已立案；由另一名管理员决定。', 'The case is open; another administrator decides it.'),
            );
          }}
        >
          <h2>{t('撤销资格立案（第二十三条）', 'Open a revocation case (Art.23)')}</h2>
          <label>
            {t('事由', 'Cause')}{' '}
            <select value={revocation.cause} onChange={(e) => setRevocation({ ...revocation, cause: (e.target as HTMLSelectElement).value })}>
              <option value="standards-breach">{t('未按考核标准及制度组织实施（第二十三条第二款）', 'Not following the standards (Art.23(2))')}</option>
              <option value="misconduct">{t('违法违纪并造成不良影响（第二十三条第三款）', 'Misconduct (Art.23(3))')}</option>
            </select>
          </label>
          <label>
            {t('理由', 'Reason')}
            <textarea required minLength={5} rows={3} value={revocation.reason} onInput={(e) => setRevocation({ ...revocation, reason: text(e) })} />
          </label>
          <label>
            <input type="checkbox" checked={revocation.urgent} onChange={(e) => setRevocation({ ...revocation, urgent: (e.target as HTMLInputElement).checked })} />{' '}
            {t('紧急（不设陈述申辩期）', 'Urgent (no representation window)')}
          </label>
          {revocation.urgent ? (
            <label>
              {t('紧急理由', 'Why urgent')}
              <input required minLength={5} value={revocation.urgentReason} onInput={(e) => setRevocation({ ...revocation, urgentReason: text(e) })} />
            </label>
          ) : null}
          <SiteFilePicker siteId={siteId} kind="case-evidence" selected={caseFiles} onChange={setCaseFiles} />
          <button type="submit" class="primary">
            {t('立案', 'Open the case')}
          </button>
        </form>
      ) : null}

      {cases.data ? (
        <>
          <DataTable caption={t('退出申请', 'Withdrawal requests')} columns={[t('提交时间', 'Asked'), t('理由', 'Reason'), t('状态', 'Status'), t('决定说明', 'Decision')]}>
            {cases.data.withdrawals.map((w) => (
              <tr key={w.withdrawalId}>
                <td>{formatTime(w.requestedAt, t.lang)}</td>
                <td>{w.reason}</td>
                <td>
                  <Badge value={w.status} label={t(...WITHDRAWAL_LABELS[w.status])} />
                </td>
                <td>{w.decisionReason ?? ''}</td>
              </tr>
            ))}
          </DataTable>
          <DataTable caption={t('撤销案件', 'Revocation cases')} columns={[t('立案时间', 'Opened'), t('事由', 'Cause'), t('理由', 'Reason'), t('状态', 'Status'), t('陈述申辩', 'Representation')]}>
            {cases.data.revocations.map((r) => (
              <tr key={r.revocationId}>
                <td>{formatTime(r.openedAt, t.lang)}</td>
                <td>
                  {t(...CAUSE_LABELS[r.cause])}（{r.article}）
                </td>
                <td>
                  {r.reason} <CitedFiles applicationId={site.data?.applicationId} ids={r.evidenceIds} onError={setError} />
                </td>
                <td>
                  <Badge value={r.status} label={t(...REVOCATION_LABELS[r.status])} />
                </td>
                <td>
                  {r.representation ? r.representation.text : r.urgentReason ? t(`紧急：${r.urgentReason}`, `Urgent: ${r.urgentReason}`) : ''}{' '}
                  {r.representation ? <CitedFiles applicationId={site.data?.applicationId} ids={r.representation.evidenceIds} onError={setError} /> : null}
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      ) : null}
    </section>
  );
}

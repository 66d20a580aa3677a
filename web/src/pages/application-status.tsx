import { useEffect, useState } from 'preact/hooks';
import { labelForPath } from '../../../schemas/application-form.schema.ts';
import { api, get } from '../api.ts';
import { hasGroup, useApp } from '../app-context.ts';
import { FindingList } from '../components/findings.tsx';
import { Badge, ErrorBox, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import { APPLICATION_STATUS_LABELS, DECISION_KIND_LABELS, EVIDENCE_STATUS_LABELS, labelOf } from '../labels.ts';
import type { ApplicationDetail, TimelineEvent } from '../types.ts';
import { useAsync } from '../use-async.ts';
import { ApplicationTabs } from './applications.tsx';

const FINAL = ['APPROVED', 'REJECTED', 'CLOSED'];

function Timeline({ events }: { events: readonly TimelineEvent[] }) {
  const t = useT();
  const status = (s: string | undefined) => (s ? t.pick(APPLICATION_STATUS_LABELS[s] ?? labelOf(EVIDENCE_STATUS_LABELS, s)) : '');
  // Evidence and decision events carry their own vocabulary: name them rather than show the raw action.
  const action = (e: TimelineEvent) => {
    if (e.action.startsWith('evidence-')) return t('支撑材料', 'Evidence');
    if (e.action.startsWith('decision-')) return t.pick(labelOf(DECISION_KIND_LABELS, e.action.slice('decision-'.length)));
    return e.action;
  };
  return (
    <ol class="timeline">
      {events.map((e, i) => (
        <li key={`${e.at}-${i}`}>
          <time dateTime={e.at}>{formatTime(e.at, t.lang)}</time>{' '}
          <strong>{t.pick(e.actor.displayName)}</strong>{' '}
          {e.from && APPLICATION_STATUS_LABELS[e.from] === undefined ? <span>{action(e)}：</span> : null}
          {e.from || e.to ? (
            <span>
              {status(e.from)} → {status(e.to)}
            </span>
          ) : (
            <span>{e.action === 'evidence-upload-requested' ? t('上传支撑材料', 'Evidence uploaded') : action(e)}</span>
          )}
          {e.reason ? <span class="reason">：{e.reason}</span> : null}
          {e.article ? <span class="article"> {e.article}</span> : null}
        </li>
      ))}
    </ol>
  );
}

/**
 * Status, result and timeline of an application: the applicant reads the
 * result here (Art.4). Submitting (and resubmitting after a return) starts
 * or resumes the accreditation workflow.
 */
export function ApplicationStatusPage({ id }: { id: string }) {
  const t = useT();
  const state = useApp();
  const detail = useAsync(() => get<ApplicationDetail>(`/v1/applications/${id}`), [id]);
  const [submitError, setSubmitError] = useState<unknown>(undefined);
  const [submitting, setSubmitting] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [polls, setPolls] = useState(0);
  const moving = detail.data ? ['SUBMITTED', 'SCREENING'].includes(detail.data.application.status) : false;
  // Screening runs right after submission: look again until the application leaves the transient statuses.
  useEffect(() => {
    if (!moving || polls > 40) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      void detail.reload();
    }, 1500);
    return () => clearTimeout(timer);
  }, [moving, polls, detail.data]);

  const submit = async () => {
    setSubmitting(true);
    setSubmitError(undefined);
    try {
      await api('POST', `/v1/applications/${id}/submit`, { body: {}, idempotent: true });
      setPolls(0);
      await detail.reload();
    } catch (e) {
      setSubmitError(e);
    } finally {
      setSubmitting(false);
    }
  };

  const d = detail.data;
  if (!d) return detail.error ? <ErrorBox error={detail.error} /> : <Loading />;
  const app = d.application;
  const canSubmit = hasGroup(state, 'applicant') && (app.status === 'DRAFT' || app.status === 'RETURNED');
  const lastDecision = d.decisions.at(-1);
  const findings = d.screening?.findings ?? [];
  return (
    <section>
      <PageTitle>{t('申请状态与进度', 'Application status')}</PageTitle>
      <ApplicationTabs id={id} current="status" />
      <div class={`card result result-${app.status.toLowerCase()}`}>
        <h2>
          {app.institutionName || t('（未填写单位名称）', '(institution name not filled in)')}{' '}
          <Badge value={app.status} label={t.pick(labelOf(APPLICATION_STATUS_LABELS, app.status))} />
        </h2>
        <p class="muted small">
          {app.id} · {t('第', 'round ')}
          {app.round}
          {t(' 轮', '')} · {t('标准版本', 'standard')} {app.standardVersion}
        </p>
        {FINAL.includes(app.status) || app.status === 'RETURNED' ? (
          <div class="outcome" role="status">
            <p>
              <strong>{t('结果：', 'Result: ')}</strong>
              {t.pick(labelOf(APPLICATION_STATUS_LABELS, app.status))}
              {lastDecision?.reason ? `：${lastDecision.reason}` : ''}
              {lastDecision?.article ? <span class="article"> {lastDecision.article}</span> : null}
            </p>
            {app.status === 'APPROVED' ? <p>{t('贵单位已成为考核站点（第五条）。', 'Your institution is now an exam site (Art.5).')}</p> : null}
            {app.status === 'RETURNED' ? <p>{t('请按下列意见修改表单或补充材料后重新提交。', 'Correct the form or the evidence as below and submit again.')}</p> : null}
          </div>
        ) : null}
        {canSubmit ? (
          <div class="submit-box">
            <label class="check">
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed((e.target as HTMLInputElement).checked)} />{' '}
              {t('本单位确认所填信息及所交材料真实有效，材料已加盖单位公章。', 'We confirm the form and the evidence are true and carry our official seal.')}
            </label>
            <button type="button" class="primary" disabled={!confirmed || submitting} onClick={() => void submit()}>
              {app.status === 'RETURNED' ? t('重新提交申请', 'Resubmit the application') : t('提交申请', 'Submit the application')}
            </button>
          </div>
        ) : null}
        <ErrorBox error={submitError} />
      </div>
      {findings.length ? (
        <section class="card">
          <h2>{t('审查意见', 'Findings')}</h2>
          <ul class="plain">
            {findings.map((f, i) => (
              <li key={i}>
                <span class="muted small">{f.path.startsWith('evidence') ? t('支撑材料', 'Evidence') : t.pick(labelForPath(f.path) ?? { zh: f.path, en: f.path })}</span>
                <FindingList findings={[f]} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {d.decisions.length ? (
        <section class="card">
          <h2>{t('决定', 'Decisions')}</h2>
          <ul class="plain">
            {d.decisions.map((e, i) => (
              <li key={i}>
                {formatTime(e.at, t.lang)} · {t.pick(labelOf(APPLICATION_STATUS_LABELS, e.to))}
                {e.reason ? `：${e.reason}` : ''} {e.article ? <span class="article">{e.article}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section class="card">
        <h2>{t('进度', 'Timeline')}</h2>
        {d.timeline.length ? <Timeline events={d.timeline} /> : <p class="muted">{t('尚无记录。', 'Nothing yet.')}</p>}
      </section>
      <p class="muted small">{t('审核结果在本平台公布（第四条）。', 'The result is published on this platform (Art.4).')}</p>
    </section>
  );
}

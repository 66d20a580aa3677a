import { get } from '../api.ts';
import { Badge, ErrorBox, Link, Loading, PageTitle, DataTable } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import { DECISION_KIND_LABELS, DECISION_STATUS_LABELS, labelOf } from '../labels.ts';
import type { DecisionSummary, Page } from '../types.ts';
import { useAsync } from '../use-async.ts';

/** Days left until a deadline, negative when past. */
export function daysLeft(deadline: string, now = Date.now()): number {
  return Math.ceil((Date.parse(deadline) - now) / 86_400_000);
}

/** The reviewer's pending decisions, earliest deadline first. */
export function TasksPage() {
  const t = useT();
  const tasks = useAsync(() => get<Page<DecisionSummary>>('/v1/tasks'), []);
  const items = tasks.data?.items ?? [];
  return (
    <section>
      <PageTitle>{t('我的待办', 'My tasks')}</PageTitle>
      <ErrorBox error={tasks.error} />
      {tasks.loading && !tasks.data ? <Loading /> : null}
      {tasks.data && !items.length ? <p class="muted">{t('暂无待办事项。', 'Nothing waiting for you.')}</p> : null}
      {items.length ? (
        <DataTable caption={t('待办', 'Tasks')} columns={[t('事项', 'Task'), t('申请单位', 'Institution'), t('截止时间', 'Deadline'), t('状态', 'Status')]}>
            {items.map((d) => {
              const left = daysLeft(d.deadline);
              return (
                <tr key={d.decisionId} class={left < 0 ? 'overdue' : left <= 2 ? 'due-soon' : ''}>
                  <td>
                    <Link href={`/decisions/${d.decisionId}`}>{t.pick(labelOf(DECISION_KIND_LABELS, d.kind))}</Link>
                  </td>
                  <td>{d.institutionName ?? d.applicationId}</td>
                  <td>
                    {formatTime(d.deadline, t.lang)}{' '}
                    <span class="small">{left < 0 ? t('（已逾期）', '(overdue)') : t(`（剩 ${left} 天）`, `(${left} days left)`)}</span>
                  </td>
                  <td>
                    <Badge value={d.status} label={t.pick(labelOf(DECISION_STATUS_LABELS, d.status))} />
                  </td>
                </tr>
              );
            })}
          </DataTable>
      ) : null}
    </section>
  );
}

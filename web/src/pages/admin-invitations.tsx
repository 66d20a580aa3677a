import { useRef, useState } from 'preact/hooks';
import { api, get } from '../api.ts';
import { Badge, DataTable, ErrorBox, Loading, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';
import type { Page } from '../types.ts';
import { useAsync } from '../use-async.ts';

interface Invitation {
  invitationId: string;
  creditCode: string;
  institutionName: string;
  onRegister: boolean;
  email: string;
  expiresOn: string;
}

/** An invitation in the list: whom it went to and what became of it. */
interface ListedInvitation extends Invitation {
  name: string;
  provinceCode: string;
  cityCode: string;
  state: 'pending' | 'accepted' | 'expired';
  createdAt: string;
  acceptedAt?: string;
}

const PAGE = 50;

/**
 * Invites a college's site manager by e-mail; the account's institution comes
 * from the invitation, never from the user. Below the form, every invitation
 * sent, newest first: accepted, still open, or expired unused (then invite
 * again).
 */
export function AdminInvitationsPage() {
  const t = useT();
  const empty = { creditCode: '', email: '', name: '', institutionName: '', provinceCode: '', cityCode: '' };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<unknown>(undefined);
  const [sent, setSent] = useState<Invitation | undefined>(undefined);
  const list = useAsync(() => get<Page<ListedInvitation>>(`/v1/admin/invitations?limit=${PAGE}`), []);
  // Pages after the first: once one is loaded, its cursor (not the first page's) leads on.
  const [more, setMore] = useState<{ loaded: boolean; items: ListedInvitation[]; cursor?: string }>({ loaded: false, items: [] });
  const nextCursor = more.loaded ? more.cursor : list.data?.cursor;
  const [moreError, setMoreError] = useState<unknown>(undefined);
  const loadMore = async (cursor: string) => {
    setMoreError(undefined);
    try {
      const page = await get<Page<ListedInvitation>>(`/v1/admin/invitations?limit=${PAGE}&cursor=${encodeURIComponent(cursor)}`);
      setMore({ loaded: true, items: [...more.items, ...page.items], cursor: page.cursor });
    } catch (e) {
      setMoreError(e);
    }
  };
  const submit = async () => {
    setError(undefined);
    const optional = Object.fromEntries(
      (['institutionName', 'provinceCode', 'cityCode'] as const).filter((k) => form[k].trim()).map((k) => [k, form[k].trim()]),
    );
    try {
      const inv = await api<Invitation>('POST', '/v1/admin/invitations', {
        body: { creditCode: form.creditCode.trim(), email: form.email.trim(), name: form.name.trim(), ...optional },
        idempotent: true,
      });
      setSent(inv);
      setForm(empty);
      setMore({ loaded: false, items: [] });
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  const formRef = useRef<HTMLFormElement>(null);
  /** An expired invitation's details back in the form, to send a new code (the old one stays refused). */
  const inviteAgain = (i: ListedInvitation) => {
    setSent(undefined);
    setForm({
      creditCode: i.creditCode,
      email: i.email,
      name: i.name,
      ...(i.onRegister ? { institutionName: '', provinceCode: '', cityCode: '' } : { institutionName: i.institutionName, provinceCode: i.provinceCode, cityCode: i.cityCode }),
    });
    formRef.current?.scrollIntoView({ block: 'start' });
    formRef.current?.querySelector('input')?.focus();
  };
  const field = (key: keyof typeof form, label: string, required = true, type: 'text' | 'email' = 'text') => (
    <label>
      {label}{' '}
      <input type={type as 'text'} required={required} value={form[key]} onInput={(e) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value })} />
    </label>
  );
  return (
    <section>
      <PageTitle>{t('邀请院校站点负责人', 'Invite a site manager')}</PageTitle>
      <form
        ref={formRef}
        class="card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div class="row">
          {field('creditCode', t('统一社会信用代码', 'Credit code'))}
          {field('name', t('负责人姓名', 'Name'))}
          {field('email', t('电子邮箱', 'E-mail'), true, 'email')}
        </div>
        <p class="muted small">{t('不在试点名单内的单位需填写：', 'Only for institutions not on the pilot register:')}</p>
        <div class="row">
          {field('institutionName', t('单位名称', 'Institution name'), false)}
          {field('provinceCode', t('省份代码', 'Province code'), false)}
          {field('cityCode', t('地级市代码', 'City code'), false)}
        </div>
        <ErrorBox error={error} />
        <button type="submit" class="primary">
          {t('发送邀请', 'Send the invitation')}
        </button>
      </form>
      {sent ? (
        <p class="card" role="status" data-sent>
          {t('邀请已发送：', 'Invitation sent: ')}
          {sent.institutionName} · {sent.email} · {sent.onRegister ? t('在试点名单内', 'on the pilot register') : t('不在试点名单内', 'not on the pilot register')} · {t('有效期至', 'valid until')}{' '}
          {formatTime(sent.expiresOn, t.lang)}
        </p>
      ) : null}
      <section class="card" aria-labelledby="invitations-title">
        <h2 id="invitations-title">{t('已发出的邀请', 'Invitations sent')}</h2>
        <ErrorBox error={list.error ?? moreError} />
        {list.loading && !list.data ? <Loading /> : null}
        {list.data && list.data.items.length === 0 ? <p class="muted">{t('尚未发出邀请。', 'No invitation sent yet.')}</p> : null}
        {list.data && list.data.items.length > 0 ? (
          <DataTable
            caption={t('已发出的邀请，最新的在前', 'Invitations sent, newest first')}
            class="invitations"
            columns={[t('单位', 'Institution'), t('负责人', 'Site manager'), t('邮箱', 'E-mail'), t('发出时间', 'Sent'), t('状态', 'State')]}
          >
            {[...list.data.items, ...more.items].map((i) => (
              <tr key={i.invitationId} data-invitation={i.invitationId} data-state={i.state}>
                <td>
                  {i.institutionName}
                  {i.onRegister ? null : <span class="muted small"> · {t('不在试点名单内', 'not on the pilot register')}</span>}
                  <div class="muted small">
                    <code>{i.creditCode}</code>
                  </div>
                </td>
                <td>{i.name}</td>
                <td>{i.email}</td>
                <td>{formatTime(i.createdAt, t.lang)}</td>
                <td>
                  <Badge value={i.state} label={{ pending: t('待接受', 'Pending'), accepted: t('已接受', 'Accepted'), expired: t('已过期', 'Expired') }[i.state]} />
                  <div class="muted small">
                    {i.state === 'accepted' && i.acceptedAt
                      ? `${t('接受于', 'accepted')} ${formatTime(i.acceptedAt, t.lang)}`
                      : i.state === 'pending'
                        ? `${t('有效期至', 'valid until')} ${formatTime(i.expiresOn, t.lang)}`
                        : null}
                  </div>
                  {i.state === 'expired' ? (
                    <button type="button" class="small" onClick={() => inviteAgain(i)}>
                      {t(`重新邀请 ${i.name}`, `Invite ${i.name} again`)}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        ) : null}
        {nextCursor ? (
          <button type="button" onClick={() => void loadMore(nextCursor)}>
            {t('加载更多', 'Load more')}
          </button>
        ) : null}
      </section>
    </section>
  );
}

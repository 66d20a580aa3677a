import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { ErrorBox, PageTitle } from '../components/ui.tsx';
import { formatTime, useT } from '../i18n.ts';

interface Invitation {
  invitationId: string;
  creditCode: string;
  institutionName: string;
  onRegister: boolean;
  email: string;
  expiresOn: string;
}

/** Invites a college's site manager by e-mail; the account's institution comes from the invitation, never from the user. */
export function AdminInvitationsPage() {
  const t = useT();
  const empty = { creditCode: '', email: '', name: '', institutionName: '', provinceCode: '', cityCode: '' };
  const [form, setForm] = useState(empty);
  const [error, setError] = useState<unknown>(undefined);
  const [sent, setSent] = useState<Invitation[]>([]);
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
      setSent([inv, ...sent]);
      setForm(empty);
    } catch (e) {
      setError(e);
    }
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
      {sent.length ? (
        <section class="card" role="status">
          <h2>{t('已发送', 'Sent')}</h2>
          <ul class="plain">
            {sent.map((i) => (
              <li key={i.invitationId}>
                {i.institutionName} · {i.email} · {i.onRegister ? t('在试点名单内', 'on the pilot register') : t('不在试点名单内', 'not on the pilot register')} ·{' '}
                {t('有效期至', 'valid until')} {formatTime(i.expiresOn, t.lang)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}

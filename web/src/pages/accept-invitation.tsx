import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { useApp } from '../app-context.ts';
import { ErrorBox, Link, PageTitle } from '../components/ui.tsx';
import { useT } from '../i18n.ts';

/** `/invitations/accept#code=…`: the code rides in the fragment, so it never reaches a server log. */
export function AcceptInvitationPage() {
  const t = useT();
  const { refreshMe } = useApp();
  const code = new URLSearchParams(location.hash.slice(1)).get('code') ?? '';
  const [done, setDone] = useState<{ name: string; creditCode: string } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const accept = async () => {
    setError(undefined);
    try {
      setDone(await api<{ name: string; creditCode: string }>('POST', '/v1/invitations/accept', { body: { code } }));
      history.replaceState(null, '', location.pathname);
      await refreshMe();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section class="card narrow">
      <PageTitle>{t('接受邀请', 'Accept the invitation')}</PageTitle>
      {done ? (
        <>
          <p role="status">
            {t('您的账号已关联：', 'Your account is now linked to: ')}
            <strong>{done.name}</strong> <span class="muted">{done.creditCode}</span>
          </p>
          <Link href="/applications" class="button primary">
            {t('开始申请', 'Start an application')}
          </Link>
        </>
      ) : code ? (
        <>
          <p>{t('接受后，您将以站点负责人身份代表该院校提交考核站点申请。', 'Once accepted you apply for an exam site on behalf of the college as its site manager.')}</p>
          <button type="button" class="primary" onClick={() => void accept()}>
            {t('接受邀请', 'Accept')}
          </button>
        </>
      ) : (
        <p class="warn">{t('链接中没有邀请码，请使用邮件中的完整链接。', 'The link has no invitation code; use the full link from the e-mail.')}</p>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

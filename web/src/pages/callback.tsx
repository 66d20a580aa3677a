import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../app-context.ts';
import { completeSignIn, signIn } from '../auth.ts';
import { ErrorBox } from '../components/ui.tsx';
import { useT } from '../i18n.ts';
import { navigate } from '../router.ts';

/** `/callback`: the issuer sends the browser back here with the code. */
export function CallbackPage() {
  const t = useT();
  const { config } = useApp();
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    completeSignIn(config, location.search)
      .then((next) => navigate(next, true))
      .catch(setError);
  }, []);
  return (
    <section class="card narrow">
      <h1>{t('正在登录…', 'Signing in…')}</h1>
      <ErrorBox error={error} />
      {error ? (
        <button type="button" class="primary" onClick={() => void signIn(config, '/')}>
          {t('重新登录', 'Sign in again')}
        </button>
      ) : null}
    </section>
  );
}

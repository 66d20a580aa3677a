import { hasGroup, useApp } from '../app-context.ts';
import { signIn } from '../auth.ts';
import { Link, PageTitle } from '../components/ui.tsx';
import { useT } from '../i18n.ts';

/** The landing page: what the portal is for, and where each role starts. */
export function HomePage() {
  const t = useT();
  const state = useApp();
  const { session, me, config } = state;
  if (!session) {
    return (
      <section class="card narrow">
        <PageTitle>{t('1+X 考核站点管理平台', '1+X Exam-site Portal')}</PageTitle>
        <p>
          {t(
            '“跨境电子商务多平台运营”职业技能等级证书考核站点的申请、审核、实地考察与批准（《考核站点管理办法》第三条至第十一条）。',
            'Application, review, site visit and approval of exam sites of the "Cross-border E-commerce Multi-platform Operation" certificate (Measures, Art.3–11).',
          )}
        </p>
        <button type="button" class="primary" onClick={() => void signIn(config, '/')}>
          {t('登录', 'Sign in')}
        </button>
      </section>
    );
  }
  return (
    <section>
      <PageTitle>
        {t('您好，', 'Hello, ')}
        {me?.name ?? session.name ?? session.sub}
      </PageTitle>
      <div class="cards">
        {hasGroup(state, 'applicant') ? (
          <div class="card">
            <h2>{t('考核站点申请', 'Exam-site application')}</h2>
            {me?.membership ? (
              <p>
                {me.membership.name} <span class="muted">{me.membership.creditCode}</span>
              </p>
            ) : (
              <p class="warn">
                {t('您的账号尚未关联院校：请使用邮件中的邀请链接。', 'Your account is not linked to an institution yet: use the invitation link from your e-mail.')}
              </p>
            )}
            <Link href="/applications" class="button primary">
              {t('我的申请', 'My applications')}
            </Link>
          </div>
        ) : null}
        {hasGroup(state, 'reviewer') ? (
          <div class="card">
            <h2>{t('审核', 'Review')}</h2>
            <p>{t('待您决定的材料审核、实地考察与最终决定。', 'Material reviews, site visits and final decisions waiting for you.')}</p>
            <Link href="/tasks" class="button primary">
              {t('我的待办', 'My tasks')}
            </Link>
          </div>
        ) : null}
        {hasGroup(state, 'admin') ? (
          <div class="card">
            <h2>{t('管理', 'Administration')}</h2>
            <p>{t('试点院校名单、邀请、人员、改派与概览。', 'Pilot register, invitations, staff, reassignment and dashboard.')}</p>
            <Link href="/admin/dashboard" class="button primary">
              {t('概览', 'Dashboard')}
            </Link>
          </div>
        ) : null}
      </div>
    </section>
  );
}

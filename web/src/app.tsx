import type { ComponentChildren } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { AppContext, type AppState, hasGroup, useApp } from './app-context.ts';
import { get } from './api.ts';
import { currentSession, onSessionChange, signIn, signOut, type Session } from './auth.ts';
import { Link } from './components/ui.tsx';
import type { PortalConfig } from './config.ts';
import { LangContext, storeLang, useT, type Lang } from './i18n.ts';
import { match, useLocation } from './router.ts';
import type { Me } from './types.ts';
import { AcceptInvitationPage } from './pages/accept-invitation.tsx';
import { AdminDashboardPage } from './pages/admin-dashboard.tsx';
import { AdminInvitationsPage } from './pages/admin-invitations.tsx';
import { AdminPilotCollegesPage } from './pages/admin-pilot-colleges.tsx';
import { AdminStaffPage } from './pages/admin-staff.tsx';
import { ApplicationFormPage } from './pages/application-form.tsx';
import { ApplicationStatusPage } from './pages/application-status.tsx';
import { ApplicationsPage } from './pages/applications.tsx';
import { CallbackPage } from './pages/callback.tsx';
import { DecisionPage } from './pages/decision.tsx';
import { EvidencePage } from './pages/evidence.tsx';
import { HomePage } from './pages/home.tsx';
import { TasksPage } from './pages/tasks.tsx';
import { SitesPage } from './pages/sites.tsx';
import { RegisterPage } from './pages/register.tsx';
import { SitePage } from './pages/site.tsx';
import { SiteExitPage } from './pages/site-exit.tsx';
import { SessionPage, SiteSessionsPage } from './pages/site-sessions.tsx';
import { lazyComponent } from './charts/lazy.tsx';

/** The reports page with its charts: a chunk of its own, loaded when opened. */
const AdminReportsPage = lazyComponent(() => import('./pages/admin-reports.tsx').then((m) => m.AdminReportsPage));

/** Supervision pages (campaigns, a site's report, its supervision record): chunks of their own, loaded when opened. */
const AdminCampaignsPage = lazyComponent(() => import('./pages/admin-campaigns.tsx').then((m) => m.AdminCampaignsPage));
const AdminCampaignPage = lazyComponent(() => import('./pages/admin-campaigns.tsx').then((m) => m.AdminCampaignPage));
const SiteSupervisionPage = lazyComponent(() => import('./pages/supervision.tsx').then((m) => m.SiteSupervisionPage));
const SiteEvaluationsPage = lazyComponent(() => import('./pages/site-evaluations.tsx').then((m) => m.SiteEvaluationsPage));

type Page = (params: Record<string, string>) => ComponentChildren;

const ROUTES: ReadonlyArray<readonly [string, Page, boolean]> = [
  ['/', () => <HomePage />, false],
  ['/callback', () => <CallbackPage />, false],
  ['/applications', () => <ApplicationsPage />, true],
  ['/applications/:id', (p) => <ApplicationStatusPage id={p.id!} />, true],
  ['/applications/:id/form', (p) => <ApplicationFormPage id={p.id!} />, true],
  ['/applications/:id/evidence', (p) => <EvidencePage id={p.id!} />, true],
  ['/tasks', () => <TasksPage />, true],
  ['/sites', () => <SitesPage />, true],
  ['/sites/:siteId', (p) => <SitePage siteId={p.siteId!} />, true],
  ['/register', () => <RegisterPage />, false],
  ['/sites/:siteId/exit', (p) => <SiteExitPage siteId={p.siteId!} />, true],
  ['/sites/:siteId/sessions', (p) => <SiteSessionsPage siteId={p.siteId!} />, true],
  ['/sites/:siteId/supervision', (p) => <SiteSupervisionPage siteId={p.siteId!} />, true],
  ['/sites/:siteId/evaluations', (p) => <SiteEvaluationsPage siteId={p.siteId!} />, true],
  ['/sites/:siteId/sessions/:sessionId', (p) => <SessionPage siteId={p.siteId!} sessionId={p.sessionId!} />, true],
  ['/decisions/:decisionId', (p) => <DecisionPage decisionId={p.decisionId!} />, true],
  ['/admin/dashboard', () => <AdminDashboardPage />, true],
  ['/admin/reports', () => <AdminReportsPage />, true],
  ['/admin/pilot-colleges', () => <AdminPilotCollegesPage />, true],
  ['/admin/invitations', () => <AdminInvitationsPage />, true],
  ['/admin/staff', () => <AdminStaffPage />, true],
  ['/admin/campaigns', () => <AdminCampaignsPage />, true],
  ['/admin/campaigns/:campaignId', (p) => <AdminCampaignPage campaignId={p.campaignId!} />, true],
  ['/invitations/accept', () => <AcceptInvitationPage />, true],
];

/** The page of a signed-out visitor who followed a link that needs sign-in (e-mail links do). */
function SignInRequired() {
  const t = useT();
  const { config } = useApp();
  return (
    <section class="card narrow">
      <h1>{t('请先登录', 'Please sign in')}</h1>
      <p>{t('此页面需要登录后查看。登录后将返回此页面。', 'This page needs you to sign in. You will come back here afterwards.')}</p>
      {location.pathname === '/invitations/accept' ? (
        <p>{t('还没有账号？在登录页用收到邀请的邮箱注册。', 'No account yet? On the sign-in page, sign up with the address the invitation was sent to.')}</p>
      ) : null}
      <button type="button" class="primary" onClick={() => void signIn(config)}>
        {t('登录', 'Sign in')}
      </button>
    </section>
  );
}

function NavLink({ href, path, children }: { href: string; path: string; children: ComponentChildren }) {
  const current = path === href || path.startsWith(`${href}/`);
  return (
    <li>
      <Link href={href} aria-current={current ? 'page' : undefined}>
        {children}
      </Link>
    </li>
  );
}


function Header({ path }: { path: string }) {
  const t = useT();
  const state = useApp();
  const { lang, setLang } = useContext(LangContext);
  const { session, config } = state;
  return (
    <header class="top">
      <a class="skip" href="#main">
        {t('跳到主要内容', 'Skip to main content')}
      </a>
      <div class="brand">
        <Link href="/">{t('1+X 考核站点管理平台', '1+X Exam-site Portal')}</Link>
      </div>
      <nav aria-label={t('主导航', 'Main')}>
        <ul>
          <NavLink href="/register" path={path}>
            {t('考核站点名录', 'Public register')}
          </NavLink>
          {session && hasGroup(state, 'applicant') ? (
            <>
              <NavLink href="/applications" path={path}>
                {t('站点申请', 'Accreditation')}
              </NavLink>
              <NavLink href="/sites" path={path}>
                {t('我的站点', 'My site')}
              </NavLink>
            </>
          ) : null}
          {session && hasGroup(state, 'reviewer') ? (
            <>
              <NavLink href="/tasks" path={path}>
                {t('我的待办', 'My tasks')}
              </NavLink>
              <NavLink href="/applications" path={path}>
                {t('申请列表', 'Applications')}
              </NavLink>
              {hasGroup(state, 'admin') ? null : (
                <NavLink href="/sites" path={path}>
                  {t('考核站点', 'Exam sites')}
                </NavLink>
              )}
            </>
          ) : null}
          {session && hasGroup(state, 'admin') ? (
            <>
              <NavLink href="/admin/dashboard" path={path}>
                {t('概览', 'Dashboard')}
              </NavLink>
              <NavLink href="/admin/reports" path={path}>
                {t('统计报表', 'Reports')}
              </NavLink>
              {hasGroup(state, 'reviewer') ? null : (
                <NavLink href="/applications" path={path}>
                  {t('申请列表', 'Applications')}
                </NavLink>
              )}
              <NavLink href="/sites" path={path}>
                {t('考核站点', 'Exam sites')}
              </NavLink>
              <NavLink href="/admin/pilot-colleges" path={path}>
                {t('试点院校名单', 'Pilot colleges')}
              </NavLink>
              <NavLink href="/admin/invitations" path={path}>
                {t('邀请', 'Invitations')}
              </NavLink>
              <NavLink href="/admin/staff" path={path}>
                {t('人员', 'Staff')}
              </NavLink>
              <NavLink href="/admin/campaigns" path={path}>
                {t('检查评估', 'Evaluation campaigns')}
              </NavLink>
            </>
          ) : null}
        </ul>
      </nav>
      <div class="account">
        <button type="button" class="link" lang={lang === 'zh' ? 'en' : 'zh-CN'} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
          {lang === 'zh' ? 'English' : '中文'}
        </button>
        {session ? (
          <>
            <span class="who">{state.me?.name ?? session.name ?? session.sub}</span>
            <button type="button" onClick={() => void signOut(config)}>
              {t('退出登录', 'Sign out')}
            </button>
          </>
        ) : (
          <button type="button" class="primary" onClick={() => void signIn(config)}>
            {t('登录', 'Sign in')}
          </button>
        )}
      </div>
    </header>
  );
}

/** The portal: header, navigation by role, the page of the current path. */
export function App({ config, initialLang }: { config: PortalConfig; initialLang: Lang }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | undefined>(currentSession());
  const [me, setMe] = useState<Me | undefined>(undefined);
  const { path } = useLocation();

  useEffect(() => onSessionChange(() => setSession(currentSession())), []);
  const refreshMe = async () => {
    if (!currentSession()) {
      setMe(undefined);
      return;
    }
    try {
      setMe(await get<Me>('/v1/me'));
    } catch {
      setMe(undefined);
    }
  };
  useEffect(() => {
    void refreshMe();
  }, [session?.accessToken]);

  const setLang = (l: Lang) => {
    storeLang(l);
    setLangState(l);
  };
  useEffect(() => storeLang(lang), []);

  const state: AppState = { config, session, me, refreshMe };
  let content: ComponentChildren = null;
  for (const [pattern, page, needsSession] of ROUTES) {
    const params = match(pattern, path);
    if (!params) continue;
    content = needsSession && !session ? <SignInRequired /> : page(params);
    break;
  }
  return (
    <LangContext.Provider value={{ lang, setLang }}>
      <AppContext.Provider value={state}>
        <Header path={path} />
        <main id="main">{content ?? <NotFound />}</main>
        <footer class="muted small">
          {lang === 'zh' ? '依据《考核站点管理办法》' : 'Under the Exam-site Management Measures'}
          {config.stage ? ` · ${config.stage}` : ''}
        </footer>
      </AppContext.Provider>
    </LangContext.Provider>
  );
}

function NotFound() {
  const t = useT();
  return (
    <section class="card narrow">
      <h1>{t('页面不存在', 'Page not found')}</h1>
      <Link href="/">{t('返回首页', 'Back to the home page')}</Link>
    </section>
  );
}

// The app's entry: language, session, and a route table that loads each role's portal as its own
// chunk (the candidate never downloads the staff screens or the chart library).
import { StrictMode, Suspense, lazy, Component, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import './styles.css';
import { LangProvider, useI18n } from './i18n.tsx';
import { SessionProvider, useSession } from './session.tsx';
import { Redirect, useLocation } from './router.tsx';
import { Layout, homeFor } from './components/layout.tsx';
import { Spinner } from './components/feedback.tsx';
import { SignInPage } from './auth/sign-in.tsx';
import { ChangePasswordPage } from './auth/change-password.tsx';
import { TwoStepPage } from './auth/two-step-page.tsx';
import { NotFoundPage } from './auth/not-found.tsx';
import { RegistrationPointPage } from './auth/registration-point.tsx';

const CandidateApp = lazy(() => import('./candidate/candidate-app.tsx'));
const StaffApp = lazy(() => import('./staff/staff-app.tsx'));

class ErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    if (this.state.failed)
      return (
        <div role="alert">
          <h1>Đã có lỗi / Something went wrong</h1>
          <p>Dữ liệu bạn đã nhập vẫn được giữ trên máy này. Hãy tải lại trang. / What you typed is kept on this device. Please reload the page.</p>
        </div>
      );
    return this.props.children;
  }
}

function Routes() {
  const { user, loading } = useSession();
  const { path } = useLocation();
  const { t } = useI18n();
  if (loading) return <Spinner label={{ vi: 'Đang tải', en: 'Loading' }} />;
  if (path === '/sign-in') return user && !user.mustChangePassword ? <Redirect to={homeFor(user.role)} /> : <SignInPage />;
  if (!user) return <Redirect to={`/sign-in${path !== '/' ? `?next=${encodeURIComponent(path)}` : ''}`} />;
  if (path === '/change-password') return <ChangePasswordPage />;
  if (user.mustChangePassword) return <Redirect to="/change-password" />;
  if (path === '/') return <Redirect to={homeFor(user.role)} />;
  if (path === '/account/two-step') return user.role === 'candidate' ? <Redirect to="/candidate" /> : <TwoStepPage />;
  // a free candidate who came through VNeID chooses a registration point before the dossier
  if (path === '/registration-point') return user.role === 'candidate' ? <RegistrationPointPage /> : <Redirect to={homeFor(user.role)} />;
  const loadingLabel = { vi: 'Đang tải trang', en: 'Loading the page' };
  if (path === '/candidate' || path.startsWith('/candidate/')) {
    if (user.role !== 'candidate') return <Redirect to={homeFor(user.role)} />;
    return (
      <Suspense fallback={<Spinner label={loadingLabel} />}>
        <CandidateApp />
      </Suspense>
    );
  }
  if (/^\/(point|dashboard|support|config|operations|exam|admission)(\/|$)/.test(path)) {
    if (user.role === 'candidate') return <Redirect to="/candidate" />;
    return (
      <Suspense fallback={<Spinner label={loadingLabel} />}>
        <StaffApp />
      </Suspense>
    );
  }
  void t;
  return <NotFoundPage />;
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <LangProvider>
      <SessionProvider>
        <Layout>
          <ErrorBoundary>
            <Routes />
          </ErrorBoundary>
        </Layout>
      </SessionProvider>
    </LangProvider>
  </StrictMode>,
);

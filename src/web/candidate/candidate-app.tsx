// The candidate portal (its own chunk): loads the dossier once and routes between its pages.
import { isSectionId } from '../../domain/dossier.ts';
import { useI18n } from '../i18n.tsx';
import { Redirect, match, useLocation } from '../router.tsx';
import { NotificationBanner, Spinner } from '../components/feedback.tsx';
import { NotFoundPage } from '../auth/not-found.tsx';
import { DossierProvider, useDossier } from './dossier-store.tsx';
import { SectionPage } from './section-page.tsx';
import { ExamPage } from './exam-page.tsx';
import { ReviewsPage, ReviewsReturnPage } from './reviews-page.tsx';
import { WishesPage } from './wishes-page.tsx';
import { ResultsPage } from './results-page.tsx';
import { FeesPage, FeesReturnPage } from './fees-page.tsx';
import { AdmissionPage } from './admission-page.tsx';
import { CheckAnswersPage, ConfirmationPage, PhotoPage, StatusPage, TaskListPage } from './pages.tsx';

function Pages() {
  const { path } = useLocation();
  const { t, pick } = useI18n();
  const { view, loadError, reload } = useDossier();
  if (!view) {
    // an account without a candidate record yet (a VNeID free candidate): it chooses its point first
    if (loadError?.code === 'NO_CANDIDATE') return <Redirect to="/registration-point" />;
    if (loadError)
      return (
        <NotificationBanner title={t('Chưa tải được hồ sơ', 'Your registration could not be loaded')} kind="warning">
          <p>{pick(loadError)}</p>
          <p>
            <button type="button" className="button button--secondary" onClick={() => void reload()}>
              {t('Thử lại', 'Try again')}
            </button>
          </p>
        </NotificationBanner>
      );
    return <Spinner label={{ vi: 'Đang tải hồ sơ', en: 'Loading your registration' }} />;
  }
  const sec = match('/candidate/section/:id', path);
  if (sec && sec['id'] && isSectionId(sec['id'])) return <SectionPage key={sec['id']} id={sec['id']} />;
  switch (path.replace(/\/+$/, '')) {
    case '/candidate':
      return <TaskListPage />;
    case '/candidate/photo':
      return <PhotoPage />;
    case '/candidate/check':
      return <CheckAnswersPage />;
    case '/candidate/submitted':
      return <ConfirmationPage />;
    case '/candidate/status':
      return <StatusPage />;
    case '/candidate/exam':
      return <ExamPage />;
    case '/candidate/reviews':
      return <ReviewsPage />;
    case '/candidate/reviews/return':
      return <ReviewsReturnPage />;
    case '/candidate/wishes':
      return <WishesPage />;
    case '/candidate/results':
      return <ResultsPage />;
    case '/candidate/fees':
      return <FeesPage />;
    case '/candidate/fees/return':
      return <FeesReturnPage />;
    case '/candidate/admission':
      return <AdmissionPage />;
    default:
      return <NotFoundPage />;
  }
}

export default function CandidateApp() {
  return (
    <DossierProvider>
      <Pages />
    </DossierProvider>
  );
}

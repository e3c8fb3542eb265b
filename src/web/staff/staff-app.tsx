// The staff portals (their own chunk; charts load inside it only when a dashboard is shown).
import { useI18n } from '../i18n.tsx';
import { match, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import { NotFoundPage } from '../auth/not-found.tsx';
import { AccountsPage, ExportsPage, ImportPage, PointDossierPage, QueuePage } from './point.tsx';
import { DashboardPage } from './dashboard.tsx';
import { SupportPage } from './support.tsx';
import { ConfigPage } from './config.tsx';
import { OperationsPage } from './operations.tsx';
import { ExamSeatingPage } from './exam-seating.tsx';
import { ExamResultsPage } from './exam-results.tsx';
import { ExamReviewsPage } from './exam-reviews.tsx';
import { ExamStatisticsPage } from './exam-statistics.tsx';
import { AdmissionPaymentsPage } from './admission-payments.tsx';
import { AdmissionRunsPage, InstitutionAdmissionPage } from './admission-runs.tsx';
import { CataloguePage, InstitutionsPage } from './admission-catalogue.tsx';
import { InstitutionCountsPage, MinistryInstitutionCountsPage, NationalTotalsPage } from './admission-counts.tsx';
import { AdmissionSettingsPage } from './admission-settings.tsx';

export default function StaffApp() {
  const { path } = useLocation();
  const { user } = useSession();
  const { t } = useI18n();
  const role = user?.role;
  const p = path.replace(/\/+$/, '') || '/';
  const denied = <p>{t('Bạn không có quyền xem trang này.', 'You are not allowed to see this page.')}</p>;
  const dossier = match('/point/dossier/:id', p);
  // the ministry's view of one institution's live counts, from the institutions page
  const counts = match('/admission/institutions/:id/counts', p);
  if (counts?.['id']) return role === 'ministry_admin' ? <MinistryInstitutionCountsPage key={counts['id']} institutionId={counts['id']} /> : denied;
  if (dossier?.['id']) return role === 'point_officer' || role === 'department_officer' ? <PointDossierPage id={dossier['id']} /> : denied;
  switch (p) {
    case '/point':
      return role === 'point_officer' ? <QueuePage /> : denied;
    case '/point/accounts':
      return role === 'point_officer' ? <AccountsPage /> : denied;
    case '/point/import':
      return role === 'point_officer' ? <ImportPage /> : denied;
    case '/point/exports':
      return role === 'point_officer' ? <ExportsPage /> : denied;
    case '/dashboard':
      return <DashboardPage />;
    case '/support':
      // the desk's look-ups are the support desk's own right (policy: support.lookup)
      return role === 'support_agent' ? <SupportPage /> : denied;
    case '/config':
      return role === 'ministry_admin' ? <ConfigPage /> : denied;
    case '/exam/seating':
      return role === 'department_officer' ? <ExamSeatingPage /> : denied;
    case '/exam/results':
      return role === 'department_officer' ? <ExamResultsPage /> : denied;
    case '/exam/reviews':
      return role === 'department_officer' ? <ExamReviewsPage /> : denied;
    case '/exam/statistics':
      return role === 'department_officer' || role === 'ministry_admin' ? <ExamStatisticsPage /> : denied;
    case '/admission/settings':
      return role === 'ministry_admin' ? <AdmissionSettingsPage /> : denied;
    case '/admission/payments':
      return role === 'ministry_admin' ? <AdmissionPaymentsPage /> : denied;
    case '/admission/totals':
      return role === 'ministry_admin' ? <NationalTotalsPage /> : denied;
    case '/admission/institution/counts':
      return role === 'admissions_officer' ? <InstitutionCountsPage /> : denied;
    case '/admission/runs':
      return role === 'ministry_admin' ? <AdmissionRunsPage /> : denied;
    case '/admission/institutions':
      return role === 'ministry_admin' ? <InstitutionsPage /> : denied;
    case '/admission/catalogue':
      return role === 'admissions_officer' ? <CataloguePage /> : denied;
    case '/admission/institution':
      // the institutions' officers (their role arrives with the catalogue's migration 042); the ministry reads any institution from its own page
      return role === 'admissions_officer' ? <InstitutionAdmissionPage /> : denied;
    case '/operations':
      return role === 'ministry_admin' ? <OperationsPage /> : denied;
    default:
      return <NotFoundPage />;
  }
}

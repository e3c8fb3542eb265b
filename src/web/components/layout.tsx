// The page frame: skip link, header (service name, the role's navigation, language toggle, sign-out),
// <main> that receives focus on each navigation, and footer.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { LangToggle, useI18n } from '../i18n.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSession } from '../session.tsx';
import type { Role } from '../api/session-api.ts';

export function homeFor(role: Role): string {
  switch (role) {
    case 'candidate':
      return '/candidate';
    case 'point_officer':
      return '/point';
    case 'support_agent':
      return '/support';
    case 'admissions_officer':
      return '/admission/institution';
    default:
      return '/dashboard';
  }
}

function navFor(role: Role, t: (vi: string, en: string) => string): Array<{ to: string; label: string }> {
  switch (role) {
    case 'candidate':
      return [
        { to: '/candidate', label: t('Hồ sơ của tôi', 'My registration') },
        { to: '/candidate/status', label: t('Trạng thái', 'Status') },
        { to: '/candidate/exam', label: t('Số báo danh', 'Candidate number') },
        { to: '/candidate/results', label: t('Kết quả thi', 'Exam results') },
        { to: '/candidate/reviews', label: t('Phúc khảo', 'Score review') },
        { to: '/candidate/wishes', label: t('Nguyện vọng', 'Admission wishes') },
        { to: '/candidate/fees', label: t('Lệ phí xét tuyển', 'Admission fees') },
        { to: '/candidate/admission', label: t('Xét tuyển', 'Admission') },
      ];
    case 'point_officer':
      return [
        { to: '/point', label: t('Hồ sơ cần duyệt', 'Verification queue') },
        { to: '/point/accounts', label: t('Cấp tài khoản', 'Issue accounts') },
        { to: '/point/import', label: t('Nhập danh sách lớp', 'Import a class list') },
        { to: '/point/exports', label: t('In và xuất danh sách', 'Print and export') },
        { to: '/dashboard', label: t('Thống kê', 'Statistics') },
      ];
    case 'department_officer':
      return [
        { to: '/dashboard', label: t('Thống kê', 'Dashboard') },
        { to: '/exam/seating', label: t('Số báo danh, phòng thi', 'Numbers and rooms') },
        // 'Điểm bài thi', not 'Điểm thi': on the seating page beside it 'điểm thi' is an exam site
        { to: '/exam/results', label: t('Điểm bài thi', 'Exam marks') },
        { to: '/exam/reviews', label: t('Phúc khảo', 'Score reviews') },
        { to: '/exam/statistics', label: t('Phổ điểm, tốt nghiệp', 'Scores, graduation') },
      ];
    case 'ministry_admin':
      return [
        { to: '/dashboard', label: t('Thống kê', 'Dashboard') },
        { to: '/exam/statistics', label: t('Phổ điểm, tốt nghiệp', 'Scores, graduation') },
        { to: '/config', label: t('Cấu hình kỳ thi', 'Exam year') },
        { to: '/admission/settings', label: t('Thiết lập xét tuyển', 'Admission settings') },
        { to: '/admission/institutions', label: t('Cơ sở đào tạo', 'Institutions') },
        { to: '/admission/totals', label: t('Nguyện vọng toàn quốc', 'National wishes') },
        { to: '/admission/payments', label: t('Lệ phí xét tuyển', 'Admission fees') },
        { to: '/admission/runs', label: t('Xét tuyển', 'Admission run') },
        { to: '/operations', label: t('Vận hành', 'Operations') },
      ];
    case 'support_agent':
      return [{ to: '/support', label: t('Tra cứu, hỗ trợ', 'Support desk') }];
    case 'admissions_officer':
      return [
        { to: '/admission/catalogue', label: t('Chương trình đào tạo', 'Programmes') },
        { to: '/admission/institution', label: t('Kết quả xét tuyển', 'Admission results') },
        { to: '/admission/institution/counts', label: t('Nguyện vọng đăng ký', 'Wishes registered') },
      ];
  }
}

/** The header names the service a page belongs to: admission (wishes, fees, results, the institutions' pages) is a second service on the same account. */
function isAdmissionPage(path: string, role: string | undefined): boolean {
  if (role === 'admissions_officer') return true;
  return /^\/(admission(\/|$)|candidate\/(wishes|fees|admission)(\/|$))/.test(path);
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { user, signOut } = useSession();
  const { path } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // on a phone the pages fold under a "Menu" button (the header would otherwise take a third of the screen)
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    setMenuOpen(false);
    if (first.current) {
      first.current = false;
      return;
    }
    // after a navigation, start reading at the new page's content (not at the header again)
    main.current?.focus({ preventScroll: true });
  }, [path]);
  const nav = user && !user.mustChangePassword ? navFor(user.role, t) : [];
  return (
    <>
      <a href="#main-content" className="skip-link">
        {t('Chuyển đến nội dung chính', 'Skip to main content')}
      </a>
      <header className="header">
        <div className="header__inner">
          <Link to={user ? homeFor(user.role) : '/'} className="header__title">
            {isAdmissionPage(path, user?.role)
              ? t('Đăng ký xét tuyển đại học, cao đẳng', 'University and college admission')
              : t('Đăng ký dự thi tốt nghiệp THPT', 'Graduation exam registration')}
          </Link>
          <div className="header__nav header__account">
            <LangToggle />
            {user && (
              <>
                <span className="header__user">{user.displayName}</span>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    void signOut().then(() => navigate('/sign-in'));
                  }}
                >
                  {t('Đăng xuất', 'Sign out')}
                </button>
              </>
            )}
          </div>
          {nav.length > 0 && (
            <button type="button" className="link-button header__menu-button" aria-controls="header-pages" aria-expanded={menuOpen} onClick={() => setMenuOpen((o) => !o)}>
              {t('Menu', 'Menu')}
              <span aria-hidden="true">{menuOpen ? ' ▴' : ' ▾'}</span>
            </button>
          )}
          {nav.length > 0 && (
            // one row of the service's pages under the title; the same names as the pages' own headings
            <nav id="header-pages" className={`header__nav header__pages${menuOpen ? '' : ' header__pages--closed'}`} aria-label={t('Điều hướng chính', 'Main navigation')}>
              {nav.map((n) => (
                <Link key={n.to} to={n.to} aria-current={path === n.to ? 'page' : undefined}>
                  {n.label}
                </Link>
              ))}
            </nav>
          )}
        </div>
      </header>
      <div className="width-container">
        <main id="main-content" tabIndex={-1} ref={main}>
          {children}
        </main>
      </div>
      <footer className="footer">
        <div className="width-container">
          <p>
            {t(
              'Tổng đài hỗ trợ thí sinh 24/7: 1900 0000 (số minh hoạ). Phần mềm mã nguồn mở ghidanh.',
              'Candidate support, 24/7: 1900 0000 (example number). Open-source software ghidanh.',
            )}
          </p>
        </div>
      </footer>
    </>
  );
}

export function BackLink({ to, children }: { to: string; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <p className="back-link">
      <Link to={to}>← {children ?? t('Quay lại', 'Back')}</Link>
    </p>
  );
}

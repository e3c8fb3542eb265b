import { useI18n } from '../i18n.tsx';
import { Link, usePageTitle } from '../router.tsx';

export function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('Không tìm thấy trang', 'Page not found'));
  return (
    <>
      <h1>{t('Không tìm thấy trang', 'Page not found')}</h1>
      <p>{t('Nếu bạn gõ địa chỉ, hãy kiểm tra lại.', 'If you typed the web address, check it is correct.')}</p>
      <p>
        <Link to="/">{t('Về trang chính', 'Go to the start page')}</Link>
      </p>
    </>
  );
}

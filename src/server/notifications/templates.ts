// What each notification says, Vietnamese first, English after. Rendered by the worker when it sends, so a
// queued job holds the event and its few values, not the text.
export type Template = 'dossier.submitted' | 'dossier.returned' | 'dossier.verified' | 'account.password_reset' | 'window.closing' | 'review.outcome';

export const TEMPLATES: Readonly<Record<Template, (p: Readonly<Record<string, string>>) => { subject: string; text: string }>> = {
  'dossier.submitted': (p) => ({
    subject: 'Đã nhận hồ sơ đăng ký dự thi / Registration received',
    text: `Hồ sơ đăng ký dự thi ${p['code'] ?? ''} của bạn đã được nộp. Bạn vẫn có thể sửa đến khi cổng đăng ký đóng. / Your registration ${p['code'] ?? ''} was submitted; you can still edit it until registration closes.`,
  }),
  'dossier.returned': (p) => ({
    subject: 'Hồ sơ cần chỉnh sửa / Your registration needs a correction',
    text: `Điểm tiếp nhận đề nghị bạn sửa hồ sơ: ${p['reason'] ?? ''} / Your registration point asks you to correct your registration: ${p['reason'] ?? ''}`,
  }),
  'dossier.verified': (p) => ({
    subject: 'Hồ sơ đã được xác nhận / Registration verified',
    text: `Điểm tiếp nhận đã xác nhận hồ sơ đăng ký dự thi ${p['code'] ?? ''} của bạn. / Your registration point has verified your registration ${p['code'] ?? ''}.`,
  }),
  'account.password_reset': () => ({
    subject: 'Mật khẩu đã được đặt lại / Password reset',
    text: 'Mật khẩu tài khoản đăng ký dự thi của bạn vừa được đặt lại. Nếu không phải bạn yêu cầu, hãy liên hệ điểm tiếp nhận. / Your password was reset. If you did not ask for it, contact your registration point.',
  }),
  'window.closing': (p) => ({
    subject: 'Sắp hết hạn đăng ký dự thi / Registration closes soon',
    text: `Cổng đăng ký đóng lúc ${p['closesAt'] ?? ''}. Hồ sơ của bạn chưa được nộp. / Registration closes at ${p['closesAt'] ?? ''} and your registration is not submitted yet.`,
  }),
  'review.outcome': (p) =>
    p['changed'] === 'yes'
      ? {
          subject: 'Kết quả phúc khảo: điểm đã thay đổi / Score review: your mark changed',
          text: `Sau phúc khảo, điểm bài thi ${p['subject'] ?? ''} của bạn thay đổi từ ${p['old'] ?? ''} thành ${p['new'] ?? ''}; kết quả xét tốt nghiệp đã được tính lại. / After review, your ${p['subjectEn'] ?? p['subject'] ?? ''} mark changed from ${p['old'] ?? ''} to ${p['new'] ?? ''}; your graduation result has been recomputed.`,
        }
      : {
          subject: 'Kết quả phúc khảo: điểm giữ nguyên / Score review: your mark stands',
          text: `Sau phúc khảo, điểm bài thi ${p['subject'] ?? ''} của bạn giữ nguyên ${p['old'] ?? ''}. / After review, your ${p['subjectEn'] ?? p['subject'] ?? ''} mark stands at ${p['old'] ?? ''}.`,
        },
};

export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as [Template, ...Template[]];

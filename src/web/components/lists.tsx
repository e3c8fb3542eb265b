// The task list (which sections are done) and the summary list of check-your-answers, after
// govuk-frontend.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n.tsx';
import { Link } from '../router.tsx';

export interface Task {
  id: string;
  title: ReactNode;
  href: string | null;
  state: 'not_started' | 'in_progress' | 'complete' | 'has_errors' | 'cannot_start';
  hint?: ReactNode;
}

export function TaskList({ tasks }: { tasks: Task[] }) {
  const { t } = useI18n();
  const tag = (s: Task['state']) => {
    switch (s) {
      case 'complete':
        return <strong className="tag tag--green">{t('Đã xong', 'Completed')}</strong>;
      case 'has_errors':
        return <strong className="tag tag--red">{t('Cần sửa', 'Needs fixing')}</strong>;
      case 'in_progress':
        return <strong className="tag tag--yellow">{t('Đang khai', 'In progress')}</strong>;
      case 'cannot_start':
        return <strong className="tag tag--grey">{t('Chưa thể bắt đầu', 'Cannot start yet')}</strong>;
      default:
        return <strong className="tag">{t('Chưa khai', 'Not started')}</strong>;
    }
  };
  return (
    <ul className="task-list">
      {tasks.map((task) => (
        <li className="task-list__item" key={task.id}>
          <span>
            {task.href ? (
              <Link to={task.href} aria-describedby={`task-${task.id}-status`}>
                {task.title}
              </Link>
            ) : (
              task.title
            )}
            {task.hint && <span className="task-list__hint">{task.hint}</span>}
          </span>
          <span id={`task-${task.id}-status`}>{tag(task.state)}</span>
        </li>
      ))}
    </ul>
  );
}

export interface SummaryRow {
  key: ReactNode;
  value: ReactNode;
  change?: { href: string; hidden: string };
}

export function SummaryList({ rows }: { rows: SummaryRow[] }) {
  const { t } = useI18n();
  return (
    <dl className="summary-list">
      {rows.map((r, i) => (
        <div className="summary-list__row" key={i}>
          <dt className="summary-list__key">{r.key}</dt>
          <dd className="summary-list__value">{r.value === '' || r.value === null || r.value === undefined ? '—' : r.value}</dd>
          {r.change && (
            <dd className="summary-list__actions">
              <Link to={r.change.href}>
                {t('Thay đổi', 'Change')}
                <span className="visually-hidden"> {r.change.hidden}</span>
              </Link>
            </dd>
          )}
        </div>
      ))}
    </dl>
  );
}

export function SummaryCard({ title, action, children }: { title: ReactNode; action?: ReactNode; children: ReactNode }) {
  return (
    <section className="summary-card">
      <h2 className="summary-card__title">
        <span>{title}</span>
        {action}
      </h2>
      {children}
    </section>
  );
}

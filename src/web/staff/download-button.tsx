// A button that fetches a file from the API and saves it (see api/download.ts); a refusal goes to the
// page's error summary in the chosen language.
import { useState, type ReactNode } from 'react';
import { downloadFile } from '../api/download.ts';
import { Button } from '../components/feedback.tsx';

export function DownloadButton({
  url,
  fileName,
  children,
  variant = 'secondary',
  onError,
  onStart,
  testId,
}: {
  /** the address, or null when the form is not ready (the caller has said why) */
  url: () => string | null;
  fileName: string;
  children: ReactNode;
  variant?: 'secondary' | 'primary';
  onError: (e: unknown) => void;
  onStart?: () => void;
  testId?: string;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant={variant === 'primary' ? undefined : variant}
      busy={busy}
      data-testid={testId}
      onClick={() => {
        const href = url();
        if (!href) return;
        onStart?.();
        setBusy(true);
        downloadFile(href, fileName)
          .catch(onError)
          .finally(() => setBusy(false));
      }}
    >
      {children}
    </Button>
  );
}

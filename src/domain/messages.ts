// The one shape of a rule's finding, shared by the API and the browser: a stable code, the field it
// names (a dotted path into the submitted object), and the text in Vietnamese and English.
export type Severity = 'error' | 'warning';

export interface Finding {
  code: string;
  field: string;
  severity: Severity;
  vi: string;
  en: string;
  /** values the message mentions, for a client that formats its own text */
  params?: Record<string, string | number>;
}

export function error(code: string, field: string, vi: string, en: string, params?: Finding['params']): Finding {
  return params ? { code, field, severity: 'error', vi, en, params } : { code, field, severity: 'error', vi, en };
}

export function warning(code: string, field: string, vi: string, en: string, params?: Finding['params']): Finding {
  return params ? { code, field, severity: 'warning', vi, en, params } : { code, field, severity: 'warning', vi, en };
}

export const hasErrors = (findings: readonly Finding[]): boolean => findings.some((f) => f.severity === 'error');

// What every answer must carry (imported by the tests that walk the route table): the security headers,
// and no-store on every answer that may hold a person's data. Returns what is wrong, empty when nothing.
import type { RegisteredRoute } from '../http/auth.ts';

export function headerProblems(route: Pick<RegisteredRoute, 'url' | 'config'>, headers: Record<string, string | string[] | number | undefined>): string[] {
  const problems: string[] = [];
  const h = (k: string) => String(headers[k] ?? '');
  if (h('x-content-type-options') !== 'nosniff') problems.push('x-content-type-options is not nosniff');
  const csp = h('content-security-policy');
  if (!csp) problems.push('no content-security-policy');
  else {
    if (!/frame-ancestors 'none'/.test(csp)) problems.push(`CSP without frame-ancestors 'none': ${csp}`);
    if (/script-src[^;]*'unsafe-(inline|eval)'/.test(csp)) problems.push(`CSP allows inline script: ${csp}`);
  }
  if (!h('referrer-policy')) problems.push('no referrer-policy');
  const cache = h('cache-control');
  const isAsset = route.url.startsWith('/assets/');
  const isPage = route.url === '/' || route.url === '/*';
  if (!isAsset && !isPage && !route.config?.cacheable && !/\bno-store\b/.test(cache)) problems.push(`cache-control "${cache}" is not no-store`);
  if (route.config?.cacheable && /\bpublic\b/.test(cache)) problems.push(`cache-control "${cache}" lets shared caches keep it`);
  return problems;
}

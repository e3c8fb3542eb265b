// Files from the API (PDF, XLSX) fetched through the client, so a refusal (expired, not allowed, busy)
// is shown as a message in the chosen language instead of an error body saved as a file; the file is
// then handed to the browser under the name the server gave it.
import { api } from './client.ts';

function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1]);
    } catch {}
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

/** Fetches `url` and saves it; throws the ApiError of a refusal. Answers the file name used. */
export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  const res = (await api<Response>('GET', url, { raw: true })).data;
  const blob = await res.blob();
  const name = fileNameOf(res.headers.get('content-disposition'), fallbackName);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // the browser reads the blob after click() returns; free it once the save has surely started
  window.setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}

// Where a PDF's words are printed, as poppler reads them (pdftotext -bbox), and which of them print over
// one another: what a reader of the paper sees, whatever the layout code believed it measured.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PdfWord {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word of the PDF with its box (points, from the page's top left). */
export function pdfWords(pdf: Buffer): PdfWord[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ghidanh-pdfwords-'));
  try {
    const file = path.join(dir, 'in.pdf');
    fs.writeFileSync(file, pdf);
    const html = execFileSync('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const out: PdfWord[] = [];
    html.split('<page ').slice(1).forEach((p, page) => {
      for (const m of p.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
        out.push({ page, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5]!.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"') });
      }
    });
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Pairs of words on the same page whose boxes cross by more than `tolerance` points both ways, as "a / b". */
export function overlappingWords(words: readonly PdfWord[], tolerance = 0.5): string[] {
  const out: string[] = [];
  const byPage = new Map<number, PdfWord[]>();
  for (const w of words) byPage.set(w.page, [...(byPage.get(w.page) ?? []), w]);
  for (const list of byPage.values()) {
    const sorted = [...list].sort((a, b) => a.yMin - b.yMin);
    for (let i = 0; i < sorted.length; i++) {
      const a = sorted[i]!;
      for (let j = i + 1; j < sorted.length && sorted[j]!.yMin < a.yMax; j++) {
        const b = sorted[j]!;
        const ox = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
        const oy = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
        if (ox > tolerance && oy > tolerance) out.push(`p${a.page + 1} “${a.text}” (${a.yMin.toFixed(1)}–${a.yMax.toFixed(1)}) / “${b.text}” (${b.yMin.toFixed(1)}–${b.yMax.toFixed(1)})`);
      }
    }
  }
  return out;
}

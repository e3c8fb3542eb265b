// Property-based tests (fast-check) over the validators in src/domain: whatever a person (or an attacker)
// types, a validator answers with well-formed bilingual findings naming a field, never throws, and its
// normalisation is stable. The run is bounded and repeatable: a fixed seed and a number of runs per
// property (FUZZ_RUNS to go deeper, FUZZ_SEED to explore elsewhere).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import subjectsFile from '../../reference/subjects.json' with { type: 'json' };
import languagesFile from '../../reference/foreign-languages.json' with { type: 'json' };
import schemesFile from '../../reference/schemes.json' with { type: 'json' };
import certificatesFile from '../../reference/language-certificates.json' with { type: 'json' };
import priorityFile from '../../reference/priority.json' with { type: 'json' };
import { DOSSIER_SECTIONS, validateDossier, validateSection, type DossierContext } from './dossier.ts';
import { CertificatesFileSchema, LanguagesFileSchema, SchemesFileSchema, SubjectsFileSchema, validateCandidateStatus, validatePurpose } from './subjects.ts';
import { PriorityFileSchema, priorityTableFor } from './priority-object.ts';
import { areaLookupFromTables } from './priority-area.ts';
import { vietnamLocalToInstant } from './time.ts';
import type { Finding } from './messages.ts';
import { normaliseName, validateName, splitName, foldDiacritics } from './names.ts';
import { classifyId, normaliseIdNumber, parseCccd, validateIdNumber, validatePassport, maskId } from './cccd.ts';
import { normaliseEmail, normalisePhone, normaliseFreeText, validateAddress, validateEmail, validatePhone } from './contact.ts';
import { parseIsoDate, validateDateOfBirth, validatePastDate } from './dates.ts';
import { dossierCode, parseDossierCode } from './dossier-code.ts';
import { parseCandidateNumber, formatCandidateNumber } from './exam-seating.ts';
import { nameSortKey } from './sort-key.ts';
import { checkExamYear } from './exam-year.ts';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20260619);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const opts = { seed: SEED, numRuns: RUNS };

const ctx: DossierContext = {
  now: vietnamLocalToInstant('2025-04-22', '10:00'),
  examYear: 2025,
  schemes: SchemesFileSchema.parse(schemesFile).schemes,
  subjects: SubjectsFileSchema.parse(subjectsFile).subjects,
  languages: LanguagesFileSchema.parse(languagesFile).languages,
  certificates: CertificatesFileSchema.parse(certificatesFile),
  cccdPrefixes: ['001', '030', '031', '079'],
  provinces: [
    { code: '01', name: 'Hà Nội', cccdPrefixes: ['001'] },
    { code: '79', name: 'TP. Hồ Chí Minh', cccdPrefixes: ['079'] },
  ],
  ethnicityCodes: ['01', '02', '03'],
  priorityTable: priorityTableFor(PriorityFileSchema.parse(priorityFile), 2025),
  areaLookup: areaLookupFromTables({ communes: { '01:00001': 'KV3' }, schools: { '01:001': { area: 'KV3' } } }),
};

/** Text as people type it, and as attackers do: Vietnamese letters, combining marks, joiners, controls. */
const text = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'aăâeêioôơuưyđAĂÂĐ \u0300\u0301\u0303\u0309\u0323\u200b\u200c\u200d\u00a0\t\n-.\'0123456789+@'), maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });

function wellFormed(findings: readonly Finding[], fieldPrefix?: string): void {
  for (const f of findings) {
    assert.equal(typeof f.code, 'string');
    assert.ok(f.code.length > 0);
    assert.ok(['error', 'warning', 'info'].includes(f.severity), f.severity);
    assert.ok(f.vi.trim().length > 0 && f.en.trim().length > 0, `bilingual message for ${f.code}`);
    if (fieldPrefix !== undefined) assert.ok(f.field.startsWith(fieldPrefix), `${f.field} names the field (${fieldPrefix})`);
  }
}

test('names: normalisation is idempotent, NFC, without joiners; validation never throws and names the field', () => {
  fc.assert(
    fc.property(text, (s) => {
      const n = normaliseName(s);
      assert.equal(normaliseName(n), n);
      assert.equal(n, n.normalize('NFC'));
      assert.ok(!/[\u200b-\u200d\u2060\ufeff]/.test(n), 'no invisible joiners kept');
      wellFormed(validateName(s), 'personal.fullName');
      splitName(s);
      foldDiacritics(s);
      nameSortKey(s);
    }),
    opts,
  );
});

test('identity numbers: never throw; a parsed CCCD is 12 digits; masking hides the middle', () => {
  fc.assert(
    fc.property(fc.oneof(text, digits(12), digits(9)), fc.constantFrom('VN', 'US', 'KR', ''), (s, nat) => {
      const n = normaliseIdNumber(s);
      assert.equal(normaliseIdNumber(n), n);
      classifyId(s);
      const r = validateIdNumber(s, nat, ctx.cccdPrefixes);
      wellFormed(r.findings);
      if (r.ok && r.value.kind === 'cccd') assert.match(r.value.value, /^\d{12}$/);
      const p = parseCccd(s, ctx.cccdPrefixes);
      if (p.ok) assert.match(normaliseIdNumber(s), /^\d{12}$/);
      wellFormed(p.findings);
      wellFormed(validatePassport(s, nat).findings);
      const m = maskId(s);
      if (/^\d{12}$/.test(s)) assert.ok(!m.includes(s.slice(4, 8)) || s.slice(4, 8) === '****');
    }),
    opts,
  );
});

test('contact: phone, e-mail and address validators never throw and normalise stably', () => {
  fc.assert(
    fc.property(fc.oneof(text, fc.emailAddress(), digits(10).map((d) => `0${d.slice(1)}`)), (s) => {
      assert.equal(normalisePhone(normalisePhone(s)), normalisePhone(s));
      assert.equal(normaliseEmail(normaliseEmail(s)), normaliseEmail(s));
      assert.equal(normaliseFreeText(normaliseFreeText(s)), normaliseFreeText(s));
      const p = validatePhone(s);
      const e = validateEmail(s);
      const a = validateAddress(s);
      for (const r of [p, e, a]) {
        if (!r.ok) {
          wellFormed(r.findings, 'contact.');
          assert.ok(r.findings.length > 0, 'a refusal says why');
        }
      }
    }),
    opts,
  );
});

test('dates: any text or any real date is answered with findings, never an exception', () => {
  const now = new Date('2026-05-01T03:00:00Z');
  fc.assert(
    fc.property(fc.oneof(text, fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))), (s) => {
      parseIsoDate(s);
      wellFormed(validateDateOfBirth(s, { now, examYear: 2026 } as never), 'personal.dateOfBirth');
      wellFormed(validatePastDate(s, now, 'x.date'), 'x.date');
    }),
    opts,
  );
});

test('dossier codes and candidate numbers: what is made parses back; anything else is null, never a throw', () => {
  fc.assert(
    fc.property(digits(2), fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 999_999 }), fc.boolean(), (dept, year, serial, trial) => {
      const code = dossierCode(dept, year, serial, trial);
      assert.equal(parseDossierCode(code), code);
      assert.equal(parseDossierCode(code.toLowerCase().split('').join(' ')), code, 'typed in lower case with spaces');
    }),
    opts,
  );
  fc.assert(
    fc.property(text, (s) => {
      const p = parseDossierCode(s);
      if (p !== null) assert.equal(parseDossierCode(p), p);
      const c = parseCandidateNumber(s);
      if (c) assert.equal(formatCandidateNumber(c.councilCode, c.serial), s.trim());
    }),
    opts,
  );
});

/** Any JSON value at all, and dossier-shaped objects with wrong, missing or hostile values. */
const anyJson = fc.jsonValue({ maxDepth: 4 });
const hostileSection = fc.dictionary(fc.constantFrom('fullName', 'gender', 'dateOfBirth', 'idNumber', 'phone', 'email', 'address', 'candidateType', 'graduated', 'electives', 'foreignLanguage', '__proto__', 'constructor'), fc.oneof(anyJson, text));

test('the dossier validator: any JSON, any section value, answers findings with field paths inside the dossier', () => {
  fc.assert(
    fc.property(fc.oneof(anyJson, fc.dictionary(fc.constantFrom(...DOSSIER_SECTIONS.map((s) => s.id), 'purpose', 'extra'), fc.oneof(hostileSection, anyJson))), (d) => {
      wellFormed(validateDossier(d, ctx));
    }),
    { ...opts, numRuns: Math.max(50, Math.floor(RUNS / 2)) },
  );
  fc.assert(
    fc.property(fc.constantFrom(...DOSSIER_SECTIONS.map((s) => s.id)), fc.oneof(hostileSection, anyJson), (id, v) => {
      const f = validateSection(id, v, ctx);
      wellFormed(f);
    }),
    opts,
  );
});

test('status, purpose and exam-year checks: any combination is judged, never thrown on', () => {
  const profile = fc.record({ candidateType: fc.constantFrom('current', 'free', 'x' as never), graduated: fc.boolean(), track: fc.constantFrom('THPT', 'GDTX', 'y' as never), purpose: fc.constantFrom('graduation', 'admission', 'both', 'z' as never) });
  fc.assert(
    fc.property(profile, (p) => {
      wellFormed(validateCandidateStatus(p as never));
      wellFormed(validatePurpose(p as never));
    }),
    opts,
  );
  const day = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  const win = fc.record({ from: fc.oneof(day, text), to: fc.oneof(day, text), closesAt: fc.constantFrom('17:00', '25:00', 'x', undefined as never), opensAt: fc.constantFrom('08:00', undefined as never) });
  fc.assert(
    fc.property(fc.integer({ min: 1990, max: 2100 }), win, win, win, win, (year, a, t, o, c) => {
      const problems = checkExamYear({ year, windows: { accountIssuing: a, trial: t, official: o, correction: c } as never });
      assert.ok(Array.isArray(problems));
    }),
    opts,
  );
});

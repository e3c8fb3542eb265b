// The public API of the domain: pure exam rules shared by the server and the browser.
export * from './messages.ts';
export * from './time.ts';
export * from './exam-year.ts';
export * from './names.ts';
export * from './cccd.ts';
export * from './dates.ts';
export * from './contact.ts';
export * from './subjects.ts';
export * from './priority-area.ts';
export * from './priority-object.ts';
export * from './lifecycle.ts';
export * from './dossier.ts';
export { exact, hasAtMostDecimals, isMultipleOf, roundHalfUp, toNumber, type Ratio } from './exact.ts';
export * from './graduation.ts';
export * from './admission-score.ts';
export * from './exam-seating.ts';

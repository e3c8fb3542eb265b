// The render tasks the pool knows, by name: what a worker thread may be asked to draw. Each loads its
// renderer only when first asked (a thread that only writes lists never loads pdfkit). Inputs and pages
// cross a thread boundary, so they must survive structured cloning: plain objects, arrays, strings,
// numbers, Maps, Uint8Arrays; no functions, no class instances, no database handles.
//
// To add a renderer: write a pure function in its feature (data in, file out; no I/O), add a line here,
// and call `renderPool(s).run('its-name', input)` (or `.stream(...)` for a file built from pages).
import type { Writable } from 'node:stream';
import type { Credential, FailedRowOut, SlipContext } from '../accounts/documents.ts';
import type { ClassFormsInput, FormPage, RegistrationFormInput } from '../exports/forms-pdf.ts';
import type { CandidateListInput } from '../exports/candidate-list-xlsx.ts';
import type { ExportRow } from '../exports/exports.repository.ts';
import type { ClassNoticesInput, NoticeInput, NoticePage } from '../exam/notice-pdf.ts';
import type { RoomGroupPage, RoomListsInput } from '../exam/room-lists-xlsx.ts';
import type { AdmittedListInput } from '../admission/admitted-list-xlsx.ts';

/** A file drawn whole from its input (a form, a page of slips, a class's list): resolves with its bytes. */
export type FileTask<I> = (input: I) => Promise<Uint8Array>;
/** A file drawn from pages sent one at a time (a province's list): writes to `out`, ends it, resolves with the items drawn. */
export type StreamTask<I, P> = (input: I, pages: AsyncIterable<P>, out: Writable) => Promise<number>;

export const fileTasks = {
  'registration-form': async (i: RegistrationFormInput) => (await import('../exports/forms-pdf.ts')).registrationFormPdfFile(i),
  'credential-slips': async (i: { list: Credential[]; ctx: SlipContext }) => (await import('../accounts/documents.ts')).slipsPdf(i.list, i.ctx),
  'teacher-list': async (i: { list: Credential[]; ctx: SlipContext }) => (await import('../accounts/documents.ts')).teacherListXlsx(i.list, i.ctx),
  'class-list-template': async (_: Record<string, never>) => (await import('../accounts/documents.ts')).templateXlsx(),
  'class-list-failed-rows': async (i: { fileName: string; rows: FailedRowOut[] }) => (await import('../accounts/documents.ts')).failedRowsXlsx(i),
  'read-sheet': async (i: { data: Uint8Array; fileName: string; maxRows: number }) => (await import('../accounts/class-list-file.ts')).readSheetBytes(i),
  'exam-notice': async (i: NoticeInput) => (await import('../exam/notice-pdf.ts')).noticePdfFile(i),
  'programme-template': async (_: Record<string, never>) => (await import('../admission/catalogue-template.ts')).catalogueTemplateXlsx(),
  'programme-rows-to-fix': async (i: { fileName: string; rows: FailedRowOut[] }) => (await import('../admission/catalogue-template.ts')).catalogueRowsToFixXlsx(i),
  'admitted-list': async (i: AdmittedListInput) => (await import('../admission/admitted-list-xlsx.ts')).admittedListXlsx(i),
} satisfies Record<string, FileTask<never>>;

export const streamTasks = {
  'candidate-list': async (i: CandidateListInput, pages: AsyncIterable<ExportRow[]>, out: Writable) => (await import('../exports/candidate-list-xlsx.ts')).writeCandidateList(i, pages, out),
  'class-forms': async (i: ClassFormsInput, pages: AsyncIterable<FormPage>, out: Writable) => (await import('../exports/forms-pdf.ts')).writeClassForms(i, pages, out),
  'class-notices': async (i: ClassNoticesInput, pages: AsyncIterable<NoticePage>, out: Writable) => (await import('../exam/notice-pdf.ts')).writeClassNotices(i, pages, out),
  'room-lists': async (i: RoomListsInput, pages: AsyncIterable<RoomGroupPage>, out: Writable) => (await import('../exam/room-lists-xlsx.ts')).writeRoomLists(i, pages, out),
} satisfies Record<string, StreamTask<never, never>>;

export type FileTasks = typeof fileTasks;
export type StreamTasks = typeof streamTasks;
export type FileTaskName = keyof FileTasks;
export type StreamTaskName = keyof StreamTasks;
export type FileTaskInput<N extends FileTaskName> = Parameters<FileTasks[N]>[0];
export type StreamTaskInput<N extends StreamTaskName> = Parameters<StreamTasks[N]>[0];
export type StreamTaskPage<N extends StreamTaskName> = Parameters<StreamTasks[N]>[1] extends AsyncIterable<infer P> ? P : never;

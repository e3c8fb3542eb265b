// The registration forms as render tasks (run on a render thread, see render/tasks.ts): one candidate's
// form, or a class's forms one after another from pages of forms the main thread reads. Pure drawing
// from the data sent; the database and the uploaded photos are read by the caller.
import type { Writable } from 'node:stream';
import { drawRegistrationForm, newFormDocument, type FormNames, type FormSubject } from '../registration/registration-form-pdf.ts';

export interface FormData {
  subject: FormSubject;
  /** the stored photo's bytes, if there is one */
  photo?: Uint8Array | undefined;
}

export interface RegistrationFormInput extends FormData {
  title: string;
  names: FormNames;
  /** the request's clock reading (ISO): the date printed above the signatures */
  now: string;
}

export interface ClassFormsInput {
  title: string;
  names: FormNames;
  now: string;
  /** printed alone when the class has no form yet */
  emptyText: string;
}

/** A few forms of a class, with their photos: what one message to the render thread carries. */
export type FormPage = FormData[];

const asBuffer = (u: Uint8Array | undefined) => (u ? Buffer.from(u.buffer, u.byteOffset, u.byteLength) : undefined);

export function registrationFormPdfFile(i: RegistrationFormInput): Promise<Buffer> {
  const doc = newFormDocument(i.title);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  drawRegistrationForm(doc, i.subject, i.names, asBuffer(i.photo), new Date(i.now));
  doc.end();
  return done;
}

export async function writeClassForms(i: ClassFormsInput, pages: AsyncIterable<FormPage>, out: Writable): Promise<number> {
  const doc = newFormDocument(i.title);
  doc.pipe(out);
  const now = new Date(i.now);
  let drawn = 0;
  for await (const page of pages) {
    for (const f of page) {
      if (drawn > 0) doc.addPage();
      drawRegistrationForm(doc, f.subject, i.names, asBuffer(f.photo), now);
      drawn += 1;
    }
  }
  if (drawn === 0) doc.font('regular').fontSize(12).text(i.emptyText);
  doc.end();
  return drawn;
}

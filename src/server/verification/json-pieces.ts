// A JSON body with a long list (a point's 1,000 candidates), built a few dozen lines at a time. One
// JSON.stringify of such a page is a ~400 kB string that Node then flattens, measures and re-encodes as
// UTF-8 on its way to the socket: on the bench machine that cost four times the stringify itself, per
// request. Small pieces stay in the young generation and are encoded once, into one buffer.

const LINES_PER_PIECE = 50;

/** The bytes of `{ ...head, [key]: list }` as JSON (`head` first, the list last). */
export function jsonWithList(head: Record<string, unknown>, key: string, list: readonly unknown[]): Buffer {
  const open = JSON.stringify(head);
  const pieces: string[] = [`${open.slice(0, -1)}${open.length > 2 ? ',' : ''}${JSON.stringify(key)}:[`];
  for (let i = 0; i < list.length; i += LINES_PER_PIECE) {
    const part = JSON.stringify(list.slice(i, i + LINES_PER_PIECE));
    pieces.push(`${i === 0 ? '' : ','}${part.slice(1, -1)}`);
  }
  pieces.push(']}');
  let size = 0;
  for (const p of pieces) size += Buffer.byteLength(p);
  const body = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of pieces) at += body.write(p, at);
  return body;
}

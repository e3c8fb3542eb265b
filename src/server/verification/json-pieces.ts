// A JSON body around a long list (a point's 1,000 candidates) whose elements are already JSON text,
// joined by commas (the database writes and joins them: see verification.repository.ts). One
// JSON.stringify of such a page is a ~400 kB string that Node then flattens, measures and re-encodes as
// UTF-8 on its way to the socket; here the list is encoded once, straight into one buffer.

/** The bytes of `{ ...head, [key]: [elements] }`, `elements` being the elements' JSON joined by commas (`head` first). */
export function jsonWithElements(head: Record<string, unknown>, key: string, elements: string): Buffer {
  const open = JSON.stringify(head);
  const start = `${open.slice(0, -1)}${open.length > 2 ? ',' : ''}${JSON.stringify(key)}:[`;
  const startBytes = Buffer.byteLength(start);
  const body = Buffer.allocUnsafe(startBytes + Buffer.byteLength(elements) + 2);
  body.write(start, 0);
  const at = startBytes + body.write(elements, startBytes);
  body.write(']}', at);
  return body;
}

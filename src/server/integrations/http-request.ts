// One HTTP request to a national link on a kept-alive connection (node's own http and https modules): the
// body sent whole, the answer read whole up to a size limit, the whole exchange bounded by a timeout. The
// worker sends two of these per portal update while a backlog drains beside the candidates' requests:
// the fetch API spent about three times the CPU on each (0.65 ms against 0.2 ms, a loop of 3,000 small
// JSON POSTs on one of the 2-core machines), CPU the web's requests share when they share the machine.
import http from 'node:http';
import https from 'node:https';

export interface RawAnswer {
  status: number;
  text: string;
}

/** The exchange took longer than its timeout (named as the fetch API names it). */
export class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** An answer larger than this is cut off and counted as a failed exchange: no link's answer is this big. */
const MAX_ANSWER_BYTES = 2_000_000;

export type Agents = { http: http.Agent; https: https.Agent };

/** Kept-alive connections to one link (idle ones never hold the process open). */
export function keptAliveAgents(maxSockets = 32): Agents {
  return { http: new http.Agent({ keepAlive: true, maxSockets }), https: new https.Agent({ keepAlive: true, maxSockets }) };
}

export function sendRequest(
  agents: Agents,
  url: URL,
  method: 'GET' | 'POST',
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const req = (secure ? https : http).request(url, {
      method,
      agent: secure ? agents.https : agents.http,
      headers: payload ? { ...headers, 'content-length': String(payload.length) } : headers,
    });
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    };
    const timer = setTimeout(() => {
      const e = new RequestTimeoutError(`no answer within ${timeoutMs} ms`);
      fail(e);
      req.destroy(e);
    }, timeoutMs);
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) {
          const e = new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`);
          fail(e);
          res.destroy(e);
          return;
        }
        chunks.push(c);
      });
      res.on('error', fail);
      res.on('close', () => fail(new Error('the connection closed before the answer ended')));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(payload);
  });
}

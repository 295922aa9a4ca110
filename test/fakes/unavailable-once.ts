import { createServer } from 'node:http';
import { listenOnLoopback } from '../helpers/loopback.ts';

/**
 * A loopback proxy in front of a real service that answers the first
 * request matching `when` with 503 and `Retry-After: <seconds>` itself, and
 * forwards everything else (that request's retry included) unchanged.
 */
export async function unavailableOnce(
  target: string,
  when: (method: string, path: string) => boolean,
  retryAfterSeconds: number,
): Promise<{ url: string; refused: string[]; close(): Promise<void> }> {
  const refused: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (refused.length === 0 && when(req.method ?? 'GET', path)) {
        refused.push(`${req.method} ${path}`);
        res.writeHead(503, { 'retry-after': String(retryAfterSeconds), 'content-type': 'application/scim+json' });
        res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '503', detail: 'Down for a moment' }));
        return;
      }
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)),
      ) as Record<string, string>;
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      fetch(target + path, { method: req.method, headers, ...(body && { body }) })
        .then(async (answer) => {
          const text = await answer.text();
          const kept = ['content-type', 'etag', 'location'].flatMap((k) => (answer.headers.get(k) ? [[k, answer.headers.get(k)!] as const] : []));
          res.writeHead(answer.status, Object.fromEntries(kept));
          res.end(text);
        })
        .catch(() => req.socket.destroy());
    });
  });
  const { url, close } = await listenOnLoopback(server);
  return { url, refused, close };
}

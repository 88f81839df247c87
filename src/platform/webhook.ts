/**
 * Posting a provider's asynchronous notification (the payment sandbox's, the carrier sandbox's) to
 * its receiver: one POST over keep-alive HTTP/1.1, the answer read in full. `fetch` would do the
 * same at about three times the CPU per call, and a notification follows every payment.
 */
import http from 'node:http';
import https from 'node:https';

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

export type WebhookAnswer = { status: number; ok: boolean; text: string };

export function postWebhook(url: string, request: { headers: Record<string, string>; body: string; timeoutMs: number }): Promise<WebhookAnswer> {
  const target = new URL(url);
  const protocol = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = protocol.request(
      target,
      {
        method: 'POST',
        agent: agents[target.protocol as keyof typeof agents],
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        timeout: request.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${request.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

import { createServer } from 'node:http';

export interface WebhookSink {
  /** the port it listens on, on 127.0.0.1 */
  port: number;
  close: () => void;
}

/**
 * An HTTP server on 127.0.0.1 (a free port) that answers 204 and pushes every request's JSON
 * body into `bodies`, as a webhook receiver would.
 */
export async function startWebhookSink(bodies: Record<string, unknown>[]): Promise<WebhookSink> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

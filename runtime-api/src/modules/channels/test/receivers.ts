// What the channels' tests send to: HTTP receivers and an SMTP server on loopback, each
// recording what it got, exactly as it got it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  method: string;
  path: string;
  /** The request target as sent (path and query, percent-encoding kept). */
  target: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  raw: string;
  json: any;
}

export interface Receiver {
  url: string;
  port: number;
  got: Received[];
  /** What the next requests are answered with (the last one stays). */
  answers: Array<{ status: number; body: string }>;
  /** While set, answers wait for it: a receiver slow to answer. */
  gate?: Promise<void>;
  close(): Promise<void>;
}

export async function httpReceiver(answers: Array<{ status: number; body: string }> = [{ status: 200, body: 'ok' }]): Promise<Receiver> {
  const got: Received[] = [];
  const receiver = { got, answers } as Receiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://receiver');
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
      got.push({
        method: req.method ?? '',
        path: url.pathname,
        target: req.url ?? '',
        query: url.searchParams,
        headers: req.headers,
        raw,
        json,
      });
      const answer =
        receiver.answers.length > 1
          ? (receiver.answers.shift() as { status: number; body: string })
          : (receiver.answers[0] ?? { status: 200, body: 'ok' });
      void Promise.resolve(receiver.gate).then(() => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.port = port;
  receiver.url = `http://127.0.0.1:${port}`;
  receiver.close = () => new Promise((resolve) => server.close(() => resolve()));
  return receiver;
}

export interface MailSink {
  port: number;
  mails: Array<ParsedMail & { envelopeTo: string[] }>;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server), plain and without auth, parsing each mail (mailparser). */
export async function smtpSink(): Promise<MailSink> {
  const mails: MailSink['mails'] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(Object.assign(mail, { envelopeTo: session.envelope.rcptTo.map((r) => r.address) }));
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

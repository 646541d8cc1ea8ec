// Email over SMTP (nodemailer): one mail per recipient with an address, in the recipient's
// language, plain text with an HTML part made from it (escaped). The subject starts with
// `[<ticket>]`, and every mail about a ticket refers to one Message-ID made from its number, so
// mail clients thread them and a reply carries the number back (mail in matches the subject tag).
//
// The SMTP host passes the egress guard like any URL, and the connection goes to the address
// that was checked (TLS still verifies the host name), so DNS cannot change between the two.
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { checkDestination } from '../../../platform/egress/guard.ts';
import { type Notification, PartialFailure, PermanentFailure, type Recipient, type Sender } from '../message.ts';

const TIMEOUT_MS = 10_000;

/** The guard speaks URLs: an SMTP host and port checked as one (the allow-list may name host:port). */
export const smtpTarget = (host: string, port: number) => new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}`);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function htmlOf(text: string, locale: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  return `<!doctype html>\n<html lang="${escapeHtml(locale)}"><head><meta charset="utf-8"></head><body style="font-family:sans-serif">\n${paragraphs}\n</body></html>`;
}

const domainOf = (from: string) => /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'serviceloom.invalid';

/** The thread's root: the same for every mail about the ticket. */
export const threadId = (ticket: string, from: string) => `<${ticket}@${domainOf(from)}>`;

function subjectOf(n: Notification, subject: string): string {
  const tag = n.ticket ? `[${n.ticket}]` : '';
  return tag && !subject.startsWith(tag) ? `${tag} ${subject}` : subject;
}

export const sendEmail: Sender = async ({ channel, notification: n, policy }) => {
  const host = channel.host as string;
  const port = channel.port as number;
  const to = n.recipients.filter((r): r is Recipient & { email: string } => !!r.email && !(n.delivered ?? []).includes(r.email));
  if (!to.length && !(n.delivered ?? []).length) throw new PermanentFailure('no recipient has an email address');
  if (!to.length) return;
  const destination = await checkDestination(smtpTarget(host, port), policy);
  const transport = nodemailer.createTransport({
    host: destination.address,
    port,
    secure: channel.secure === true,
    ...(channel.user ? { auth: { user: channel.user, pass: channel.password ?? '' } } : {}),
    tls: { servername: host },
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
  });
  const from = channel.from as string;
  const delivered = [...(n.delivered ?? [])];
  const failures: string[] = [];
  try {
    for (const r of to) {
      const { subject, body } = n.messages[r.locale] ?? n.messages[n.defaultLocale];
      const unique = createHash('sha256').update(`${n.deliveryKey}\n${r.email}`).digest('hex').slice(0, 24);
      const root = n.ticket ? threadId(n.ticket, from) : undefined;
      try {
        await transport.sendMail({
          from,
          to: r.displayName ? { name: r.displayName, address: r.email } : r.email,
          subject: subjectOf(n, subject),
          text: body,
          html: htmlOf(body, r.locale),
          messageId: `<${n.ticket ?? 'notification'}.${unique}@${domainOf(from)}>`,
          ...(root ? { inReplyTo: root, references: [root] } : {}),
          headers: { 'Content-Language': r.locale, ...(n.ticket ? { 'X-ServiceLoom-Ticket': n.ticket } : {}) },
        });
        delivered.push(r.email);
      } catch (e) {
        failures.push(`${r.email}: ${(e as Error).message}`);
      }
    }
  } finally {
    transport.close();
  }
  if (failures.length) {
    const message = failures.join('; ').slice(0, 500);
    if (delivered.length > (n.delivered ?? []).length) throw new PartialFailure(message, delivered);
    throw new Error(message);
  }
};

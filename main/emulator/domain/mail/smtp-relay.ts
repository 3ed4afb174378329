import nodemailer from 'nodemailer';
import type { MailMessage } from './message.js';
import type { MailRelay } from './service.js';

/**
 * A relay to a real SMTP server (`smtp://user:pass@host:port`, or `smtps://` for TLS from the start), so a team
 * can also see the captured mail in its own inbox or Mailpit. Connections are pooled and time out quickly: a
 * dead relay delays nothing but its own delivery.
 */
export function createSmtpRelay(url: string): MailRelay {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'smtps:';
  const transport = nodemailer.createTransport({
    pool: true,
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : secure ? 465 : 587,
    secure,
    auth: parsed.username
      ? { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) }
      : undefined,
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 10_000,
  });
  return {
    async relay(message: MailMessage) {
      await transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: { 'X-Hexclave-Emulator-Message-Id': message.id },
      });
    },
    async close() {
      transport.close();
    },
  };
}

import { Hono } from 'hono';
import type { MailMessage } from '../domain/mail/index.js';
import { StatusError } from '../errors/index.js';
import type { EmulatorEnv } from '../wire/env.js';
import { json } from '../wire/respond.js';

/**
 * Inbucket's REST API over the captured mail (`/api/v1/mailbox/{name}` lists, `/{name}/{id}` reads, `DELETE`
 * purges), so tools written for Inbucket — upstream's e2e helpers among them — read the emulator's mailbox.
 * Like Inbucket it has no authentication: the emulator listens on loopback unless told otherwise.
 */
export const mailboxRoutes = new Hono<EmulatorEnv>();

function headerJson(message: MailMessage) {
  return {
    mailbox: message.mailbox,
    id: message.id,
    from: message.from,
    to: [`<${message.to}>`],
    subject: message.subject,
    date: new Date(message.receivedAtMillis).toISOString(),
    'posix-millis': message.receivedAtMillis,
    size: Buffer.byteLength(message.text) + Buffer.byteLength(message.html),
    seen: message.seen,
  };
}

mailboxRoutes.get('/mailbox/:name', async (c) => {
  const messages = await c.var.ctx.mail.mailbox.list(c.req.param('name'));
  return json(c, messages.map(headerJson));
});

mailboxRoutes.get('/mailbox/:name/:id', async (c) => {
  const message = await c.var.ctx.mail.mailbox.get(c.req.param('name'), c.req.param('id'));
  if (!message) throw new StatusError(404, 'Message not found.');
  return json(c, {
    ...headerJson(message),
    header: {
      From: [message.from],
      To: [message.to],
      Subject: [message.subject],
      Date: [new Date(message.receivedAtMillis).toUTCString()],
    },
    body: { text: message.text, html: message.html },
    attachments: [],
  });
});

mailboxRoutes.delete('/mailbox/:name', async (c) => {
  await c.var.ctx.mail.mailbox.clear(c.req.param('name'));
  return c.text('OK');
});

mailboxRoutes.delete('/mailbox/:name/:id', async (c) => {
  if (!(await c.var.ctx.mail.mailbox.clear(c.req.param('name'), c.req.param('id'))))
    throw new StatusError(404, 'Message not found.');
  return c.text('OK');
});

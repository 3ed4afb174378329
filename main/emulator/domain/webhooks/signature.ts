import { createHmac } from 'node:crypto';

/**
 * The headers Svix signs a delivery with, so a receiver using svix's `Webhook.verify` (or any Standard Webhooks
 * library) accepts it: `svix-id` (the message id, the same on every attempt), `svix-timestamp` (Unix seconds of
 * this attempt) and `svix-signature` = `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, keyed with the
 * base64-decoded part of the endpoint's `whsec_…` secret.
 */
export function signatureHeaders(
  secret: string,
  messageId: string,
  body: string,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
  return { 'svix-id': messageId, 'svix-timestamp': timestamp, 'svix-signature': `v1,${signature}` };
}

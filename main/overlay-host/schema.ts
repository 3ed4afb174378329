import { z } from 'zod';
import { FindingSchema } from '../../shared/checker/index.js';
import { OVERLAY_LIMITS } from '../../shared/overlay-protocol.js';

/**
 * Everything the ingest socket accepts, and nothing more: reports of exchanges and snapshots plus focus requests.
 * Strict objects, bounded strings and arrays; a message that does not parse is dropped whole.
 */

const text = (max: number) => z.string().max(max);
const URL_MAX = 8 * 1024;
const BODY_MAX = OVERLAY_LIMITS.maxBodyChars + 200;

/** RFC 9110 §9.1: a method is a token (`tchar`s only), so no quote, space, `(` or `)` ever reaches a command. */
export const HTTP_METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,16}$/;

/** RFC 9110 §5.1 and §5.5: a field name is a token; a field value never holds CR, LF or NUL, which a browser
 * cannot send and which would split a header in a copied cURL command. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[^\r\n\0]*$/;

const HeaderPairsSchema = z
  .array(
    z.tuple([
      text(256).regex(HEADER_NAME, 'a header name (RFC 9110 token characters)'),
      text(16 * 1024).regex(HEADER_VALUE, 'a header value without CR, LF or NUL'),
    ]),
  )
  .max(OVERLAY_LIMITS.maxHeaders);

const ExchangeSchema = z.strictObject({
  id: text(100),
  startedAt: z.number().finite(),
  durationMs: z.number().finite().nonnegative(),
  request: z.strictObject({
    method: z.string().regex(HTTP_METHOD, 'an HTTP method (RFC 9110 token characters, at most 16)'),
    url: text(URL_MAX),
    headers: HeaderPairsSchema,
    body: text(BODY_MAX).nullable().optional(),
  }),
  response: z
    .strictObject({
      status: z.number().int().min(0).max(999),
      statusText: text(200).optional(),
      headers: HeaderPairsSchema,
      body: text(BODY_MAX).nullable().optional(),
    })
    .nullable(),
  error: text(2_000).optional(),
  setCookies: z
    .array(text(8 * 1024))
    .max(OVERLAY_LIMITS.maxCookies)
    .optional(),
  cookieHeader: text(16 * 1024).optional(),
});

const AttributionSchema = z.strictObject({
  family: z.enum(['old', 'new', 'mixed', 'none']),
  source: z.enum(['headers', 'session', 'none']),
  clientVersion: text(200).nullable(),
});

const FindingsSchema = z.array(FindingSchema).max(OVERLAY_LIMITS.maxFindings);

const StorageSchema = z
  .record(text(512), text(4 * 1024))
  .refine((area) => Object.keys(area).length <= 200, 'at most 200 storage keys');

const SnapshotSchema = z.strictObject({
  pageUrl: text(URL_MAX).optional(),
  cookies: z
    .array(
      z.strictObject({
        name: text(512),
        value: text(8 * 1024),
        domain: text(256).optional(),
        path: text(1024).optional(),
        secure: z.boolean().optional(),
        httpOnly: z.boolean().optional(),
        sameSite: text(16).optional(),
        expires: z.number().nullable().optional(),
      }),
    )
    .max(OVERLAY_LIMITS.maxCookies),
  localStorage: StorageSchema.optional(),
  sessionStorage: StorageSchema.optional(),
  recentUrls: z.array(text(URL_MAX)).max(50).optional(),
  domIds: z.array(text(256)).max(50).optional(),
});

const PageUrlSchema = text(URL_MAX).refine((url) => /^https?:\/\//.test(url), 'an http(s) page URL');

export const OverlayReportSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('exchange'),
    pageUrl: PageUrlSchema,
    exchange: ExchangeSchema,
    attribution: AttributionSchema,
    findings: FindingsSchema,
  }),
  z.strictObject({
    type: z.literal('snapshot'),
    pageUrl: PageUrlSchema,
    snapshot: SnapshotSchema,
    findings: FindingsSchema,
  }),
  z.strictObject({
    type: z.literal('focus'),
    seq: z.number().int().positive(),
    pageUrl: z.string().max(2048).optional(),
  }),
]);

export type ParsedOverlayReport = z.output<typeof OverlayReportSchema>;

import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { JWTPayload } from 'jose';
import { z } from 'zod';
import type { Exchange, Finding, JsonWebKeySet } from '../../shared/checker/index.js';
import { capDeep } from '../../shared/output-caps.js';
import { identifier } from '../../shared/registry/index.js';
import type { ServerContext } from '../context.js';
import { errorResult, guarded, structuredResult } from './tool-result.js';

const inputSchema = {
  token: z
    .string()
    .min(1)
    .describe(
      'An access token (a JWT, eyJ…), or the SDK’s Authorization value `Bearer hexclave_<base64>` / `Bearer stackauth_<base64>` whose access token is then decoded.',
    ),
  projectId: z
    .string()
    .optional()
    .describe(
      'Project the token should belong to; defaults to the configured project, then the token’s own claim.',
    ),
  verify: z
    .boolean()
    .default(true)
    .describe(
      'Fetch the project’s JWKS from the backend and verify the signature (false: decode only, no network).',
    ),
};

const findingSchema = z.object({
  ruleId: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  message: z.string(),
  expected: z.string(),
  actual: z.string(),
});

const outputSchema = {
  header: z.record(z.string(), z.unknown()).describe('The JWS protected header (alg, kid).'),
  claims: z.record(z.string(), z.unknown()).describe('The decoded payload.'),
  projectId: z.string().nullable(),
  times: z.object({
    now: z.string().describe('This machine’s clock (ISO 8601).'),
    issuedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    notBefore: z.string().nullable(),
    secondsUntilExpiry: z.number().nullable().describe('Negative once expired.'),
    state: z.enum(['valid', 'expired', 'not-yet-valid', 'no-expiry']),
    skewSeconds: z
      .number()
      .nullable()
      .describe('How far iat is ahead of this clock (positive = issued in the future).'),
    explanation: z.string(),
  }),
  verification: z.object({
    status: z.enum(['verified', 'invalid', 'unreachable', 'skipped']),
    jwksUrl: z.string().nullable(),
    kid: z.string().nullable(),
    reason: z.string(),
  }),
  findings: z
    .array(findingSchema)
    .describe("The compatibility checker's token rules (issuer, audience, lifetime, skew, signature)."),
};

export function registerDecodeTokenTool(server: McpServer, context: ServerContext): RegisteredTool {
  return server.registerTool(
    'decode_token',
    {
      title: 'Decode and verify an access token',
      description:
        "Decode a Stack/Hexclave access token (or the SDK's `Bearer hexclave_…` / `Bearer stackauth_…` value) and explain it: claims, issued/expiry times relative to this machine's clock, clock skew beyond ±30 s, whether the issuer is an accepted stack-auth.com / hexclave.com / self-hosted variant, whether the audience fits the project, and the signature checked against the project's JWKS fetched from the backend (the configured API URL, else the SDK's default). Use it when a request is signed out or rejected. Never returns the raw token.",
      inputSchema,
      outputSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    ({ token, projectId, verify }) =>
      guarded(async () => {
        // jose and the checker's rules load when a token is decoded, not when the server starts.
        const [{ decodeJwt, decodeProtectedHeader }, { checkExchangeAsync }, tokens] = await Promise.all([
          import('jose'),
          import('../../shared/checker/index.js'),
          import('../../shared/tokens.js'),
        ]);
        const { CLOCK_TOLERANCE_SEC, explainTimes, extractJwt, fetchJwks, networkReason } = tokens;
        const jwt = extractJwt(token);
        let header: Record<string, unknown>;
        let claims: JWTPayload;
        try {
          header = decodeProtectedHeader(jwt);
          claims = decodeJwt(jwt);
        } catch (error) {
          return errorResult(
            `This is not a decodable JWT (${error instanceof Error ? error.message : String(error)}). Pass the access token (three base64url parts separated by dots) or the SDK's Bearer value.`,
          );
        }
        const project =
          projectId ??
          context.config.projectId ??
          (typeof claims.project_id === 'string' ? claims.project_id : null);
        const apiUrl = context.config.apiUrl ?? `https://${identifier('host.api').old}`;
        const kid = typeof header.kid === 'string' ? header.kid : null;
        const jwksUrl = project
          ? `${apiUrl}/api/v1/projects/${encodeURIComponent(project)}/.well-known/jwks.json?include_anonymous=true`
          : null;
        let verification: z.infer<typeof outputSchema.verification>;
        let jwks: JsonWebKeySet | undefined;
        if (!verify || !jwksUrl) {
          verification = {
            status: 'skipped',
            jwksUrl,
            kid,
            reason: verify
              ? 'No project id: pass projectId or configure --project-id to fetch its JWKS.'
              : 'verify was false.',
          };
        } else {
          try {
            jwks = await fetchJwks(jwksUrl);
            verification = {
              status: 'verified',
              jwksUrl,
              kid,
              reason: `Signature verified with key ${kid ?? '(no kid)'}.`,
            };
          } catch (error) {
            verification = {
              status: 'unreachable',
              jwksUrl,
              kid,
              reason: `Could not fetch the project's JWKS from ${jwksUrl}: ${networkReason(error)}. Is the backend running and --api-url right? The claims above are decoded but NOT verified.`,
            };
          }
        }
        const exchange: Exchange = {
          id: 'decode_token',
          startedAt: Date.now(),
          durationMs: 0,
          request: { method: 'GET', url: apiUrl, headers: [[identifier('header.access-token').new!, jwt]] },
          response: null,
        };
        const findings = (
          await checkExchangeAsync(exchange, {
            ...(project ? { projectId: project } : {}),
            expectedMode: 'unknown',
            apiBaseUrls: [apiUrl],
            ...(jwks ? { jwks } : {}),
            clockToleranceSec: CLOCK_TOLERANCE_SEC,
          })
        )
          // `verification` already says when the signature was not checked; findings list only what was judged.
          .filter(
            (f): f is Finding & { severity: 'error' | 'warning' | 'info' } =>
              f.ruleId.startsWith('token.') && f.severity !== 'not-checked',
          );
        const signature = findings.find((f) => f.ruleId === 'token.signature');
        if (signature && verification.status === 'verified') {
          verification = { ...verification, status: 'invalid', reason: signature.message };
        }
        const times = explainTimes(claims, Date.now() / 1000);
        // Custom claims can be anything: long strings and large objects are cut and marked.
        const capped = capDeep({ header, claims: claims as Record<string, unknown> });
        return structuredResult(
          outputSchema,
          {
            header: capped.value.header,
            claims: capped.value.claims,
            projectId: project,
            times,
            verification,
            findings: findings.map(({ ruleId, severity, message, expected, actual }) => ({
              ruleId,
              severity,
              message,
              expected,
              actual,
            })),
          },
          [
            `Token for ${typeof claims.sub === 'string' ? `user ${claims.sub}` : 'an unknown subject'}${project ? ` in project ${project}` : ''}, issuer ${typeof claims.iss === 'string' ? claims.iss : '(none)'}.`,
            `Signature: ${verification.status} — ${verification.reason}`,
            ...findings.map((f) => `- ${f.severity}: ${f.message}`),
          ].join('\n'),
        );
      }),
  );
}

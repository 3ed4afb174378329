import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export interface JwksBackend {
  readonly apiUrl: string;
  readonly projectId: string;
  /** Sign an access token shaped like upstream's (ES256, kid, iss/aud/sub/iat/exp). */
  sign(
    claims?: JWTPayload & { iatOffsetSec?: number; expOffsetSec?: number },
    options?: { foreignKey?: boolean },
  ): Promise<string>;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server answering only `/api/v1/projects/<id>/.well-known/jwks.json`, as a Stack/Hexclave
 * backend does: enough for token verification tests without the full emulator.
 */
export async function startJwksBackend(): Promise<JwksBackend> {
  const projectId = randomUUID();
  const kid = 'test-key-01a';
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const foreign = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256' };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === `/api/v1/projects/${projectId}/.well-known/jwks.json`) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const apiUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    apiUrl,
    projectId,
    async sign(claims = {}, options = {}) {
      const { iatOffsetSec = 0, expOffsetSec = 600, ...rest } = claims;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        project_id: projectId,
        branch_id: 'main',
        role: 'authenticated',
        is_anonymous: false,
        ...rest,
      })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setIssuer(`${apiUrl}/api/v1/projects/${projectId}`)
        .setAudience(projectId)
        .setSubject(randomUUID())
        .setIssuedAt(now + iatOffsetSec)
        .setExpirationTime(now + iatOffsetSec + expOffsetSec)
        .sign(options.foreignKey ? foreign.privateKey : privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { redactSecretsInText } from '../../shared/redact.js';
import { createEmulatorApp } from './app.js';
import type { CompatMode } from './compat.js';
import type { EmulatorContext } from './context.js';
import { type InternalDatabase, openInternalDatabase } from './database.js';
import { migrateInternalDatabase } from './db/index.js';
import { createSmtpRelay, Mailbox, MailService } from './domain/mail/index.js';
import type { IdentityProviderEndpoint } from './domain/oauth/index.js';
import {
  type EmulatorProject,
  ensureInternalProject,
  ensureProject,
  ProjectDirectory,
} from './domain/projects/index.js';
import { TokenService } from './domain/sessions/index.js';
import { STORAGE_BUCKET } from './domain/storage/index.js';
import { WebhookDeliverer } from './domain/webhooks/index.js';
import {
  closeServer,
  type Handler,
  listen,
  listenBeside,
  type Server,
  starting,
  urlHost,
} from './http-servers.js';
import { createMockOAuthProvider, type MockOAuthProvider } from './mock-oauth/index.js';
import { type EmulatorOptions, resolveEmulatorOptions, SDK_MIN_TOKEN_LIFETIME_SECONDS } from './options.js';
import { createStorageApp } from './routes/storage.js';
import { createSvixApi } from './routes/svix-api.js';
import { seedUsers } from './seed.js';

export interface RunningEmulator {
  /** Base URL for the SDKs' `baseUrl` (the API is under `/api/v1`). */
  readonly apiUrl: string;
  readonly projectId: string;
  readonly tenancyId: string;
  readonly publishableClientKey: string;
  readonly secretServerKey: string;
  readonly superSecretAdminKey: string;
  /** The `internal` project (upstream's dashboard project): its users manage projects with admin access tokens. */
  readonly internalProject: {
    readonly id: string;
    readonly publishableClientKey: string;
    readonly secretServerKey: string;
    readonly superSecretAdminKey: string;
  };
  /** Base URL of the Inbucket-compatible mailbox API (`GET {mailboxUrl}/api/v1/mailbox/{name}`). */
  readonly mailboxUrl: string;
  /** Issuer URL of the identity provider that serves every OAuth provider (its discovery document is below it). */
  readonly mockOAuthUrl: string;
  /** Base URL of the Svix-compatible webhooks API (what upstream calls STACK_SVIX_SERVER_URL). */
  readonly svixUrl: string;
  /** Where uploaded images are served (upstream's `<S3 endpoint>/stack-storage`); profile image URLs start with it. */
  readonly storageUrl: string;
  /** The emulator's internal database (upstream's schema plus change capture), for the sync engine. */
  readonly internalDatabaseUrl: string;
  readonly compat: CompatMode;
  readonly issuerBase: string;
  /** Close the HTTP server, then the pool, then the embedded Postgres (if any). Idempotent. */
  stop(): Promise<void>;
}

/**
 * The identity provider behind every OAuth provider: on its own server when one was bound (reached at the public
 * URL's host name on that port, as upstream's mock server is), else at `/mock-oauth` beside the API.
 */
async function startIdentityProvider(
  publicUrl: string,
  apiUrl: string,
  host: string,
  ownServer: Server | undefined,
): Promise<{ app: MockOAuthProvider['app']; endpoint: IdentityProviderEndpoint }> {
  let issuer = `${publicUrl}/mock-oauth`;
  let internalUrl = `${apiUrl}/mock-oauth`;
  if (ownServer) {
    const providerPort = (ownServer.address() as AddressInfo).port;
    issuer = `http://${new URL(publicUrl).hostname}:${providerPort}`;
    internalUrl = `http://${urlHost(host)}:${providerPort}`;
  }
  const provider = await createMockOAuthProvider({
    issuer,
    redirectUriPrefixes: [`${publicUrl}/api/v1/auth/oauth/callback/`],
  });
  return { app: provider.app, endpoint: { issuer, internalUrl, clientSecret: provider.clientSecret } };
}

/** Start a dual-protocol (or legacy) Stack/Hexclave backend on real Postgres. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const resolved = resolveEmulatorOptions(options);
  const log = resolved.log;
  let handler: Handler = starting;
  const server = await listen(resolved.host, resolved.port, (request) => handler(request));
  const port = (server.address() as AddressInfo).port;
  const apiUrl = `http://${urlHost(resolved.host)}:${port}`;
  let providerHandler: Handler = starting;
  let svixHandler: Handler = starting;
  let providerServer: Server | undefined;
  let providerNote: string | undefined;
  let svixServer: Server | undefined;
  let svixNote: string | undefined;
  let storageHandler: Handler = starting;
  let storageServer: Server | undefined;
  let storageNote: string | undefined;
  const closeSideServers = async () => {
    if (providerServer) await closeServer(providerServer);
    if (svixServer) await closeServer(svixServer);
    if (storageServer) await closeServer(storageServer);
  };
  try {
    ({ server: providerServer, note: providerNote } = await listenBeside(
      resolved.host,
      resolved.mockOAuthPort,
      resolved.preferredMockOAuthPort,
      '--mock-oauth-port',
      (port) =>
        `Port ${port} (upstream's mock OAuth port) is in use, so the provider is mounted on the emulator's port.`,
      () => providerHandler,
    ));
    ({ server: svixServer, note: svixNote } = await listenBeside(
      resolved.host,
      resolved.svixPort,
      resolved.preferredSvixPort,
      '--svix-port',
      (port) =>
        `Port ${port} (upstream's Svix port) is in use, so the webhooks API is mounted at /svix on the emulator's port.`,
      () => svixHandler,
    ));
    ({ server: storageServer, note: storageNote } = await listenBeside(
      resolved.host,
      resolved.storagePort,
      resolved.preferredStoragePort,
      '--storage-port',
      (port) =>
        `Port ${port} (upstream's S3 port) is in use, so stored images are served on the emulator's port.`,
      () => storageHandler,
    ));
  } catch (error) {
    await closeSideServers();
    await closeServer(server);
    throw error;
  }
  let database: InternalDatabase | undefined;
  let pool: pg.Pool | undefined;
  let deliverer: WebhookDeliverer | undefined;
  try {
    database = await openInternalDatabase({ ...resolved, log });
    const migration = await migrateInternalDatabase(database.url);
    if (migration.applied.length > 0)
      log(`Applied internal-database migrations ${migration.applied.join(', ')}.`);
    const project = await ensureProject(
      database.url,
      resolved.projectId ? { projectId: resolved.projectId } : {},
    );
    const internalProject: EmulatorProject = await ensureInternalProject(database.url);
    // UTC sessions: timestamps are `timestamp without time zone` holding UTC, as upstream's are.
    pool = new pg.Pool({ connectionString: database.url, max: 20, options: '-c TimeZone=UTC' });
    // An idle connection dropped by the server (e.g. Postgres stopping on Ctrl+C) must not crash the process.
    pool.on('error', (error) => log(`Postgres connection lost: ${redactSecretsInText(error.message)}`));
    const issuerBase = resolved.issuerBase ?? apiUrl;
    const tokens = await TokenService.load(pool, {
      compat: resolved.compat,
      issuerBase,
      accessTokenTtlSeconds: resolved.accessTokenTtlSeconds,
    });
    if (resolved.accessTokenTtlSeconds <= SDK_MIN_TOKEN_LIFETIME_SECONDS) {
      log(
        `Warning: access tokens live ${resolved.accessTokenTtlSeconds}s; the SDKs reject a fresh token that lives ${SDK_MIN_TOKEN_LIFETIME_SECONDS}s or less.`,
      );
    }
    if (resolved.seedUsers > 0) {
      const started = performance.now();
      const { inserted } = await seedUsers(pool, project, resolved.seedUsers);
      log(
        `Seed users: ${resolved.seedUsers} present (${inserted} new) in ${((performance.now() - started) / 1000).toFixed(1)}s.`,
      );
    }
    const mail = new MailService(
      new Mailbox(pool),
      resolved.smtpRelay ? createSmtpRelay(resolved.smtpRelay) : null,
      log,
    );
    const publicUrl = resolved.issuerBase ?? apiUrl;
    const provider = await startIdentityProvider(publicUrl, apiUrl, resolved.host, providerServer);
    if (providerServer) providerHandler = (request) => provider.app.fetch(request);
    const storageApp = createStorageApp(pool);
    let storageUrl = `${publicUrl}/${STORAGE_BUCKET}`;
    if (storageServer) {
      storageHandler = (request) => storageApp.fetch(request);
      // Reached at the public URL's host name on that port, as upstream's S3 endpoint is.
      storageUrl = `http://${new URL(publicUrl).hostname}:${(storageServer.address() as AddressInfo).port}/${STORAGE_BUCKET}`;
    }
    const ctx: EmulatorContext = {
      pool,
      compat: resolved.compat,
      project,
      internalProject,
      projects: new ProjectDirectory(pool),
      tokens,
      mail,
      apiUrl,
      publicUrl,
      identityProvider: provider.endpoint,
      storageUrl,
      log,
    };
    deliverer = await WebhookDeliverer.start(pool, database.url, log);
    const svixApi = createSvixApi(pool);
    let svixUrl = `${apiUrl}/svix`;
    if (svixServer) {
      svixHandler = (request) => svixApi.fetch(request);
      svixUrl = `http://${urlHost(resolved.host)}:${(svixServer.address() as AddressInfo).port}`;
    }
    const app = createEmulatorApp(ctx, {
      identityProvider: providerServer ? null : provider.app,
      webhooksApi: svixServer ? null : svixApi,
      storage: storageServer ? null : storageApp,
    });
    handler = (request) => app.fetch(request);
    log(`Emulator (${resolved.compat} mode) serving ${apiUrl} on ${database.description}.`);
    log(`Mock OAuth provider (every OAuth provider of every project): ${provider.endpoint.issuer}`);
    if (providerNote) log(providerNote);
    log(`Webhooks API (Svix-compatible; STACK_SVIX_SERVER_URL): ${svixUrl}`);
    if (svixNote) log(svixNote);
    log(`Uploaded images (upstream's S3 bucket): ${storageUrl}`);
    if (storageNote) log(storageNote);
    let stopping: Promise<void> | undefined;
    const openDeliverer = deliverer;
    const openPool = pool;
    const openMail = mail;
    const openDatabase = database;
    return {
      apiUrl,
      projectId: project.projectId,
      tenancyId: project.tenancyId,
      ...project.keys,
      internalProject: { id: internalProject.projectId, ...internalProject.keys },
      mailboxUrl: apiUrl,
      mockOAuthUrl: provider.endpoint.issuer,
      svixUrl,
      storageUrl,
      internalDatabaseUrl: database.url,
      compat: resolved.compat,
      issuerBase,
      stop() {
        stopping ??= (async () => {
          await closeServer(server);
          await closeSideServers();
          await openDeliverer.stop();
          await openMail.close();
          await openPool.end();
          await openDatabase.stop();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await closeServer(server);
    await closeSideServers();
    await deliverer?.stop();
    await pool?.end().catch(() => {});
    await database?.stop().catch(() => {});
    throw error;
  }
}

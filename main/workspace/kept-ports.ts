import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { finding } from '../../shared/checker/finding.js';
import type { Exchange, Finding } from '../../shared/checker/index.js';

type Role = 'api' | 'proxy';
const ROLE_NAMES: Record<Role, string> = { api: 'emulator API', proxy: 'capture proxy' };
/** How many earlier ports of a project are remembered, to recognise an app still aimed at one. */
const RETIRED_LIMIT = 8;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface KeptPortsFile {
  api: number | null;
  proxy: number | null;
  /** Ports this project listened on before and does not any more, newest first. */
  retired: { port: number; role: Role }[];
}

function portOf(url: string | null | undefined): number | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return LOOPBACK.has(parsed.hostname) && parsed.port ? Number(parsed.port) : null;
  } catch {
    return null;
  }
}

/**
 * The loopback ports a project's services listened on, kept in its folder (`ports.json`) so the next start asks
 * for the same ones — the app's API URL and the overlay's `<script>` tag keep working across restarts — and the
 * ports it used before, so traffic still aimed at one can be flagged rather than silently lost.
 */
export class KeptPorts {
  constructor(private readonly file: string) {}

  read(): KeptPortsFile {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<KeptPortsFile>;
      const port = (value: unknown) =>
        Number.isInteger(value) && (value as number) > 0 && (value as number) < 65536
          ? (value as number)
          : null;
      return {
        api: port(parsed.api),
        proxy: port(parsed.proxy),
        retired: Array.isArray(parsed.retired)
          ? parsed.retired.filter((r) => port(r?.port) !== null && (r.role === 'api' || r.role === 'proxy'))
          : [],
      };
    } catch {
      return { api: null, proxy: null, retired: [] };
    }
  }

  /** The ports a start listened on: kept for the next start; a port given up is remembered as retired. */
  record(urls: { api: string | null; proxy: string | null }): void {
    const before = this.read();
    const now: KeptPortsFile = { api: portOf(urls.api), proxy: portOf(urls.proxy), retired: before.retired };
    for (const role of ['api', 'proxy'] as const) {
      const old = before[role];
      if (old !== null && old !== now[role]) now.retired = [{ port: old, role }, ...now.retired];
    }
    const current = new Set([now.api, now.proxy]);
    now.retired = now.retired.filter((r) => !current.has(r.port)).slice(0, RETIRED_LIMIT);
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(now, null, 2), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.file);
  }

  /** Whether a URL is on a loopback port this project listens or listened on. */
  knows(url: string | null): boolean {
    const port = portOf(url);
    if (port === null) return false;
    const kept = this.read();
    return kept.api === port || kept.proxy === port || kept.retired.some((r) => r.port === port);
  }

  /**
   * A finding when an exchange went to a loopback port this project used but the companion does not serve now:
   * an earlier run's port, or this project's while it is stopped. `serving`: its URLs now (null: not running),
   * `servedElsewhere`: whether another project of the companion listens on that URL's port.
   */
  deadPortFinding(
    exchange: Exchange,
    serving: Record<Role, string | null>,
    servedElsewhere: (url: string) => boolean,
  ): Finding | null {
    const port = portOf(exchange.request.url);
    if (port === null || portOf(serving.api) === port || portOf(serving.proxy) === port) return null;
    if (servedElsewhere(exchange.request.url)) return null;
    const kept = this.read();
    const role: Role | undefined =
      kept.api === port
        ? 'api'
        : kept.proxy === port
          ? 'proxy'
          : kept.retired.find((r) => r.port === port)?.role;
    if (!role) return null;
    const now = serving[role];
    const origin = new URL(exchange.request.url).origin;
    return finding(
      'address.not-served',
      {
        severity: 'error',
        identifier: null,
        message: `Sent to ${origin}, which the companion no longer serves (this project's ${ROLE_NAMES[role]} used it before).`,
        expected: now
          ? `the project's ${ROLE_NAMES[role]} at ${now}`
          : `the project running (start it), or an API URL it serves`,
        actual: origin,
        evidence: `${exchange.request.method} ${exchange.request.url}`,
        explanation: now
          ? `Your app's API URL points at a port from an earlier run, so its requests reach nothing. Set it to ${now} (Projects → Your app's .env).`
          : 'The project is stopped, so nothing listens there: start it in Projects.',
      },
      exchange.id,
    );
  }
}

import { timingSafeEqual } from 'node:crypto';

/**
 * The local API must not be usable by other sites: loopback only, Host and Origin pinned to our own
 * address (DNS-rebinding and cross-site defence), and a per-launch token on every API call.
 */
export class LocalGuard {
  constructor(
    private readonly token: string,
    private readonly port: () => number,
  ) {}

  private allowedAuthorities(): string[] {
    const port = this.port();
    return [`127.0.0.1:${port}`, `localhost:${port}`];
  }

  hostAllowed(host: string | undefined): boolean {
    return host !== undefined && this.allowedAuthorities().includes(host.toLowerCase());
  }

  /** Requests without an Origin (same-origin GETs, curl) pass; a foreign Origin never does. */
  originAllowed(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    return this.allowedAuthorities().some((authority) => origin.toLowerCase() === `http://${authority}`);
  }

  tokenValid(candidate: string | undefined | null): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

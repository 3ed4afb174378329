import type { WebContents } from 'electron';
import type { Exchange } from '../../shared/checker/index.js';
import { CdpExchangeAssembler } from './cdp-exchanges.js';

export interface NetworkCaptureOptions {
  readonly isBackend: (url: string) => boolean;
  readonly record: (exchange: Exchange, pageUrl: string | null) => void;
  readonly log?: (line: string) => void;
}

const PROTOCOL_VERSION = '1.3';
const MAX_POST_DATA = 64 * 1024;
const REATTACH_MS = [250, 1_000, 5_000];

/**
 * CDP capture of one web contents through `webContents.debugger`: Network.enable, events into the assembler,
 * bodies on request. Opening DevTools on the app (or anything else) can detach the debugger; it is re-attached.
 */
export function attachNetworkCapture(
  contents: WebContents,
  options: NetworkCaptureOptions,
): { stop(): void } {
  const cdp = contents.debugger;
  let stopped = false;
  let attempt = 0;
  const send = <T>(method: string, params: Record<string, unknown>) =>
    cdp.sendCommand(method, params) as Promise<T>;

  const assembler = new CdpExchangeAssembler({
    isBackend: options.isBackend,
    responseBody: async (requestId) => {
      const { body, base64Encoded } = await send<{ body: string; base64Encoded: boolean }>(
        'Network.getResponseBody',
        { requestId },
      );
      return base64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
    },
    requestBody: async (requestId) =>
      (await send<{ postData: string }>('Network.getRequestPostData', { requestId })).postData,
    emit: options.record,
  });

  const attach = async () => {
    if (stopped || contents.isDestroyed() || cdp.isAttached()) return;
    try {
      cdp.attach(PROTOCOL_VERSION);
      await send('Network.enable', { maxPostDataSize: MAX_POST_DATA });
      attempt = 0;
    } catch (error) {
      const delay = REATTACH_MS[Math.min(attempt++, REATTACH_MS.length - 1)]!;
      options.log?.(
        `Traffic capture of the app window could not attach (${String(error)}); retrying in ${delay} ms.`,
      );
      setTimeout(() => void attach(), delay);
    }
  };
  const onMessage = (_event: unknown, method: string, params: unknown) => assembler.handle(method, params);
  const onDetach = (_event: unknown, reason: string) => {
    assembler.reset();
    if (stopped || contents.isDestroyed()) return;
    options.log?.(`Traffic capture of the app window detached (${reason}); re-attaching.`);
    setTimeout(() => void attach(), REATTACH_MS[0]);
  };
  cdp.on('message', onMessage);
  cdp.on('detach', onDetach);
  // DevTools opening may take the debugger over without a detach event on some versions: check again.
  const onDevtools = () => setTimeout(() => void attach(), REATTACH_MS[0]);
  contents.on('devtools-opened', onDevtools);
  contents.on('devtools-closed', onDevtools);
  void attach();

  return {
    stop() {
      stopped = true;
      cdp.off('message', onMessage);
      cdp.off('detach', onDetach);
      if (!contents.isDestroyed()) {
        contents.off('devtools-opened', onDevtools);
        contents.off('devtools-closed', onDevtools);
        if (cdp.isAttached()) cdp.detach();
      }
    },
  };
}

import type { WebContents } from 'electron';
import type { Exchange } from '../../shared/checker/index.js';
import { type CaptureContext, CdpExchangeAssembler } from './cdp-exchanges.js';

/** Where an exchange came from in the wrapped window: the assembler's context plus the page's own frame. */
export interface WindowCaptureContext extends CaptureContext {
  /** Made by the page's main frame (false for subframes, and when the main frame is not known yet). */
  readonly fromMainFrame: boolean;
}

export interface NetworkCaptureOptions {
  readonly isBackend: (url: string) => boolean;
  readonly record: (exchange: Exchange, context: WindowCaptureContext) => void;
  readonly log?: (line: string) => void;
}

const PROTOCOL_VERSION = '1.3';
const MAX_POST_DATA = 64 * 1024;
const RETRY_MS = [250, 1_000, 5_000];

/**
 * CDP capture of one web contents through `webContents.debugger`: attach, Network.enable, events into the
 * assembler, bodies on request. Whatever fails — attaching, Network.enable after a successful attach, a detach
 * (DevTools, a crashed renderer) — is retried with back-off until it works or the window closes.
 */
export function attachNetworkCapture(
  contents: WebContents,
  options: NetworkCaptureOptions,
): { stop(): void } {
  const cdp = contents.debugger;
  let stopped = false;
  /** Network.enable succeeded on the current attachment. */
  let enabled = false;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let starting: Promise<void> | null = null;
  let mainFrameId: string | null = null;
  const send = <T>(method: string, params: Record<string, unknown> = {}) =>
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
    emit: (exchange, context) =>
      options.record(exchange, {
        ...context,
        fromMainFrame: context.frameId !== null && context.frameId === mainFrameId,
      }),
  });

  /** Start again after `delay`; `why` (when something failed) is logged. */
  const retryLater = (why: string | null, delay = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)]!) => {
    if (stopped || retry) return;
    if (why) options.log?.(`Traffic capture of the app window: ${why}; retrying in ${delay} ms.`);
    retry = setTimeout(() => {
      retry = null;
      void start();
    }, delay);
  };

  const startOnce = async () => {
    if (stopped || contents.isDestroyed()) return;
    try {
      if (!cdp.isAttached()) {
        enabled = false;
        cdp.attach(PROTOCOL_VERSION);
      }
      if (enabled) return;
      await send('Network.enable', { maxPostDataSize: MAX_POST_DATA });
      const tree = await send<{ frameTree: { frame: { id: string } } }>('Page.getFrameTree').catch(
        () => null,
      );
      mainFrameId = tree?.frameTree.frame.id ?? null;
      enabled = true;
      attempt = 0;
    } catch (error) {
      enabled = false;
      retryLater(`could not start (${error instanceof Error ? error.message : String(error)})`);
    }
  };
  /** One start at a time: DevTools events and retries may ask together. */
  const start = () => {
    starting ??= startOnce().finally(() => {
      starting = null;
    });
    return starting;
  };

  const onMessage = (_event: unknown, method: string, params: unknown) => assembler.handle(method, params);
  const onDetach = (_event: unknown, reason: string) => {
    enabled = false;
    assembler.reset();
    if (stopped || contents.isDestroyed()) return;
    retryLater(`detached (${reason})`, RETRY_MS[0]);
  };
  cdp.on('message', onMessage);
  cdp.on('detach', onDetach);
  // DevTools opening may take the debugger over without a detach event on some versions: check again.
  const onDevtools = () => retryLater(null, RETRY_MS[0]);
  contents.on('devtools-opened', onDevtools);
  contents.on('devtools-closed', onDevtools);
  void start();

  return {
    stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
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

import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcMain } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_RPC_CHANNEL } from '../../shared/api/ipc-channels.js';
import type { Dispatch } from '../api/dispatcher.js';
import { serializeError } from '../api/dispatcher.js';
import type { EventBus } from '../api/events.js';

/**
 * The IPC transport of the typed API. Checklist 17: every message's sender frame must be our own renderer
 * (main frame, app URL); anything else is refused before dispatch.
 */
export function registerIpc(dispatch: Dispatch, isAppUrl: (url: string) => boolean): void {
  ipcMain.handle(IPC_RPC_CHANNEL, async (event: IpcMainInvokeEvent, method: unknown, input: unknown) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || !isAppUrl(frame.url)) {
      return { ok: false, error: { name: 'Forbidden', message: 'IPC from an unexpected frame.' } };
    }
    try {
      return { ok: true, result: await dispatch(String(method), input) };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  });
}

export function forwardEvents(events: EventBus, target: WebContents): () => void {
  return events.subscribe((topic, payload) => {
    if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, topic, payload);
  });
}

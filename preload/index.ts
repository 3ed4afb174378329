import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_RPC_CHANNEL } from '../shared/api/ipc-channels.js';

// The renderer gets exactly two functions: call a method of the typed API, and subscribe to its events.
// Main validates the method, its input and the sender; nothing of Node or Electron leaks through.
contextBridge.exposeInMainWorld('hexclaveCompanion', {
  call: (method: string, input: unknown) => ipcRenderer.invoke(IPC_RPC_CHANNEL, String(method), input),
  subscribe: (topic: string, listener: (payload: unknown) => void) => {
    const handler = (_event: IpcRendererEvent, eventTopic: string, payload: unknown) => {
      if (eventTopic === topic) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
    };
  },
});

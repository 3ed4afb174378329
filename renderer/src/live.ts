import type { EventPayload } from '../../shared/api/contract.js';
import { api } from './api.js';
import { frameBatcher } from './lib/frame-batch.js';
import { navigate } from './lib/router.js';
import { useMailStore } from './stores/mail.js';
import { useProjectsStore } from './stores/projects.js';
import { useSyncStore } from './stores/sync.js';
import { useTrafficStore } from './stores/traffic.js';

/**
 * The one place events from main enter the UI. Each topic goes to the store that owns it; high-rate topics are
 * batched per animation frame, so the screens render at most once a frame whatever the event rate.
 */
export function connectLiveData(): () => void {
  const syncStatus = frameBatcher<EventPayload<'sync.status'>>((batch) =>
    useSyncStore.getState().receive(batch),
  );
  const trafficItem = frameBatcher<EventPayload<'traffic.item'>>((batch) =>
    useTrafficStore.getState().receive(batch),
  );
  const unsubscribers = [
    api.on('projects.changed', () => void useProjectsStore.getState().load()),
    api.on('runtime.state', ({ project, runtime }) =>
      useProjectsStore.getState().applyRuntime(project, runtime),
    ),
    api.on('project.health', ({ project, health }) =>
      useProjectsStore.getState().applyHealth(project, health),
    ),
    api.on('sync.status', syncStatus),
    api.on('sync.event', (payload) => useSyncStore.getState().receiveEvent(payload)),
    api.on('traffic.item', trafficItem),
    api.on('mail.received', ({ project }) => useMailStore.getState().received(project)),
    api.on('app.navigate', ({ project, screen, param }) => {
      if (project) useProjectsStore.getState().select(project);
      navigate(screen, param ?? undefined);
    }),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}

import { worstSeverity } from '../shared/checker/finding.js';
import { preflightRefusedFinding } from '../shared/checker/rules/network.js';
import type { Exchange, Finding } from '../shared/checker/types.js';
import type {
  IngestReply,
  OverlayEmbeddedConfig,
  OverlayWindowBridge,
  WindowTrafficItem,
} from '../shared/overlay-protocol.js';
import { type ObservedExchange, PageModel } from './analysis/model.js';
import { formatCountdown } from './analysis/user.js';
import { backendMatcher } from './capture/backend.js';
import { observeFetch } from './capture/fetch.js';
import { createPreflightProbe } from './capture/preflight-probe.js';
import { observeXhr } from './capture/xhr.js';
import { Emitter } from './emitter.js';
import { installGlobals } from './globals.js';
import { createIdleQueue } from './idle-queue.js';
import { type Mount, mountRoot } from './mount.js';
import { devToolNames } from './names.js';
import { PageFactsReader, sdkDevToolRoots } from './page-facts.js';
import { loadPanelState, loadTriggerPosition, savePanelState, saveTriggerPosition } from './persist.js';
import { redactExchange, redactSnapshot } from './report/redact.js';
import { bridgeReporter, connectReporter, type Reporter } from './report/reporter.js';
import { type DevToolEvent, type DevToolState, type ExchangeView, exchangeView } from './state.js';
import { createPanel, type Panel } from './ui/panel.js';
import { createTrigger, type Trigger } from './ui/trigger.js';

export interface OverlayOptions {
  readonly win: Window;
  /** Baked in by the companion that served the script; null when the file was loaded some other way. */
  readonly config: OverlayEmbeddedConfig | null;
  /** Present in the companion's wrapped app window: traffic comes from there instead of fetch/XHR. */
  readonly bridge: OverlayWindowBridge | null;
  /** Extra backend URL prefixes (`data-api-url` on the script tag) besides any `/api/v1/` path. */
  readonly apiUrls: readonly string[];
}

export interface DevToolApi {
  open(): void;
  close(): void;
  toggle(): void;
  getState(): DevToolState;
  on(event: DevToolEvent, listener: (payload: unknown) => void): () => void;
  readonly version: string;
}

const SNAPSHOT_EVERY_MS = 1_000;

/** The in-page dev tool: watches the page, runs the rules engine on it, shows a panel and reports to the companion. */
export function installOverlay(options: OverlayOptions): DevToolApi {
  const { win, config, bridge } = options;
  const doc = win.document;
  const model = new PageModel();
  const idle = createIdleQueue(win);
  const emitter = new Emitter<DevToolEvent>();
  const facts = new PageFactsReader(win);
  // Storage keys do not depend on a clash; the root id is settled when the panel mounts.
  let names = devToolNames(false);
  let open = loadPanelState(names.stateKey).isOpen;
  let mount: Mount | null = null;
  let panel: Panel | null = null;
  let trigger: Trigger | null = null;
  let lastSnapshotJson = '';
  let adopted: ReadonlySet<string> = new Set();

  const onReply = (reply: IngestReply) => {
    if (reply.type !== 'ack') return;
    const item = model.acknowledge(reply.id, reply.seq);
    if (item) changed();
  };
  const reporter: Reporter | null = bridge
    ? bridgeReporter(bridge)
    : config
      ? connectReporter(config, {
          onReply,
          onStatus: (status) => {
            emitter.emit('connection', status);
            changed();
          },
        })
      : null;

  // Links into the companion's Traffic screen only where a browser can open it (not in the wrapped window).
  const companionOrigin = config && !bridge ? config.companionOrigin : null;
  const view = (item: ObservedExchange) => exchangeView(item, companionOrigin);

  const getState = (): DevToolState => {
    const now = Date.now();
    const headline = model.headline();
    const user = headline.user;
    const own = mount?.host ?? null;
    return {
      version: config?.version ?? 'dev',
      mode: bridge ? 'window' : 'script',
      open,
      companion: { status: reporter?.status() ?? 'standalone', origin: config?.companionOrigin ?? null },
      names,
      sdkDevTool: { rootIds: sdkDevToolRoots(doc, own), methods: [...adopted] },
      sdk: model.sdk(),
      user: user && {
        ...user,
        expiresInSec: user.expiresAt === null ? null : Math.round((user.expiresAt - now) / 1000),
      },
      headline,
      cookiePairs: model.pairs(),
      snapshotFindings: model.snapshotFindings(),
      exchanges: [...model.exchanges()].reverse().map(view),
    };
  };

  let renderQueued = false;
  function changed() {
    if (renderQueued) return;
    renderQueued = true;
    // Batch bursts of traffic into one update per frame; the full state is built only when someone looks.
    setTimeout(() => {
      renderQueued = false;
      trigger?.setWorst(
        worstSeverity([...model.snapshotFindings(), ...model.exchanges().flatMap((e) => e.findings)]),
      );
      if (!open && !emitter.has('change')) return;
      const state = getState();
      panel?.render(state, Date.now());
      emitter.emit('change', state);
    }, 16);
  }

  const snapshot = () => {
    const { snapshot: taken, findings } = model.takeSnapshot(facts.read(mount?.host ?? null), Date.now());
    const redacted = redactSnapshot(taken);
    const json = JSON.stringify([redacted, findings.map((f) => f.ruleId + f.message)]);
    if (json === lastSnapshotJson) return;
    lastSnapshotJson = json;
    reporter?.send({ type: 'snapshot', pageUrl: win.location.href, snapshot: redacted, findings });
    emitter.emit('snapshot', { cookiePairs: model.pairs(), findings });
    changed();
  };
  let snapshotQueued: ReturnType<typeof setTimeout> | undefined;
  const snapshotSoon = () => {
    clearTimeout(snapshotQueued);
    snapshotQueued = setTimeout(snapshot, 50);
  };

  const answeredFetches = new Set<() => void>();
  const pageFetch = typeof win.fetch === 'function' ? win.fetch.bind(win) : null;
  const probe = pageFetch ? createPreflightProbe(pageFetch) : null;
  const record = (exchange: Exchange) => {
    const probing = !exchange.response && probe ? probe(exchange) : null;
    if (probing) {
      // Why did it fail? Ask before analysing; a probe that fails itself leaves the plain network error.
      probing.then(
        (result) =>
          analyse(
            exchange,
            result.kind === 'preflight-refused' ? [preflightRefusedFinding(exchange, result.refused)] : [],
          ),
        () => analyse(exchange, []),
      );
      return;
    }
    analyse(exchange, []);
  };
  const analyse = (exchange: Exchange, extra: readonly Finding[]) => {
    idle.push(() => {
      const item = model.addExchange(exchange, extra);
      reporter?.send({
        type: 'exchange',
        pageUrl: win.location.href,
        exchange: redactExchange(exchange),
        attribution: item.attribution,
        findings: item.findings,
      });
      emitter.emit('exchange', view(item));
      changed();
      snapshotSoon(); // the SDK writes its cookies right after auth responses
    });
  };

  if (bridge) {
    bridge.onTraffic((item: WindowTrafficItem) => {
      const observed = model.addCheckedExchange(item);
      observed.seq = item.seq;
      emitter.emit('exchange', view(observed));
      changed();
      snapshotSoon();
    });
  } else {
    const isBackend = backendMatcher(options.apiUrls, () => win.location.href);
    observeFetch(win, isBackend, record, answeredFetches);
    const { XMLHttpRequest } = win as Window & typeof globalThis;
    if (XMLHttpRequest) observeXhr(XMLHttpRequest.prototype, isBackend, record);
  }

  const setOpen = (next: boolean) => {
    if (next === open) return;
    open = next;
    savePanelState(names.stateKey, { isOpen: open });
    if (trigger) panel?.place(trigger.position());
    panel?.render(getState(), Date.now());
    emitter.emit(open ? 'open' : 'close', getState());
    changed();
  };
  const onFocus = (item: ExchangeView) => {
    if (item.seq !== null) reporter?.send({ type: 'focus', seq: item.seq, pageUrl: location.href });
  };

  const api: DevToolApi = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!open),
    getState,
    on: (event, listener) => emitter.on(event, listener),
    version: config?.version ?? 'dev',
  };
  adopted = installGlobals(win, api);

  const mountUi = () => {
    mount = mountRoot(doc, (renamed) => {
      names = renamed;
      changed();
    });
    names = mount.names();
    trigger = createTrigger({
      attribute: names.triggerAttribute,
      initial: loadTriggerPosition(names.positionKey),
      onToggle: api.toggle,
      onMoved: (position) => {
        saveTriggerPosition(names.positionKey, position);
        panel?.place(position);
      },
    });
    panel = createPanel(api.close, onFocus);
    const root = doc.createElement('div');
    root.className = 'root';
    root.append(trigger.element, panel.element);
    mount.shadow.append(root);
    panel.place(trigger.position());
    win.addEventListener('resize', () => {
      trigger?.clamp();
      if (trigger) panel?.place(trigger.position());
    });
    snapshot();
    changed();
  };
  if (doc.body) mountUi();
  else doc.addEventListener('DOMContentLoaded', mountUi, { once: true });

  win.addEventListener(
    'keydown',
    (event) => {
      if (event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyH') {
        event.preventDefault();
        api.toggle();
      }
    },
    true,
  );
  // Requests just before a navigation (sign-out, redirects) must not die in the idle queue or the socket.
  const flushOnExit = () => {
    for (const report of [...answeredFetches]) report();
    idle.flushNow();
    reporter?.flushOnExit();
  };
  win.addEventListener('pagehide', flushOnExit);
  doc.addEventListener('visibilitychange', () => {
    if (doc.visibilityState === 'hidden') flushOnExit();
  });
  win.setInterval(() => {
    if (mount) snapshot();
    if (open) {
      const expiry = mount?.shadow.querySelector('[data-testid=hexclave-devtool-user-expiry]');
      const user = model.user();
      if (expiry && user) expiry.textContent = formatCountdown(user.expiresAt, Date.now());
    }
  }, SNAPSHOT_EVERY_MS);
  return api;
}

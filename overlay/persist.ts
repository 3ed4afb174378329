/** Panel state and trigger position, per origin (localStorage), under the keys from names.ts. */

export interface PanelState {
  readonly isOpen: boolean;
}

export interface TriggerPosition {
  readonly left: number;
  readonly top: number;
}

function read(key: string): unknown {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? null : JSON.parse(raw);
  } catch {
    return null; // storage blocked (sandboxed iframe, privacy mode) or not our JSON
  }
}

function write(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage blocked or full: the panel still works, it just forgets
  }
}

export function loadPanelState(key: string): PanelState {
  const value = read(key);
  const isOpen =
    typeof value === 'object' && value !== null && (value as { isOpen?: unknown }).isOpen === true;
  return { isOpen };
}

export function savePanelState(key: string, state: PanelState): void {
  write(key, state);
}

export function loadTriggerPosition(key: string): TriggerPosition | null {
  const value = read(key) as { left?: unknown; top?: unknown } | null;
  if (!value || typeof value.left !== 'number' || typeof value.top !== 'number') return null;
  return { left: value.left, top: value.top };
}

export function saveTriggerPosition(key: string, position: TriggerPosition): void {
  write(key, { left: Math.round(position.left), top: Math.round(position.top) });
}

import type { Severity } from '../../shared/checker/types.js';
import type { TriggerPosition } from '../persist.js';
import { h } from './dom.js';

const SIZE = 40;
const MARGIN = 12;
const DRAG_THRESHOLD = 5;

export interface Trigger {
  readonly element: HTMLElement;
  setWorst(worst: Severity | null): void;
  position(): TriggerPosition;
  /** Keep it on screen after the viewport shrank. */
  clamp(): void;
}

export interface TriggerOptions {
  readonly attribute: string;
  readonly initial: TriggerPosition | null;
  readonly onToggle: () => void;
  readonly onMoved: (position: TriggerPosition) => void;
}

function clampPosition(p: TriggerPosition): TriggerPosition {
  const maxLeft = Math.max(MARGIN, window.innerWidth - SIZE - MARGIN);
  const maxTop = Math.max(MARGIN, window.innerHeight - SIZE - MARGIN);
  return {
    left: Math.min(Math.max(p.left, MARGIN), maxLeft),
    top: Math.min(Math.max(p.top, MARGIN), maxTop),
  };
}

/** Bottom-left by default: the SDK's own dev tool sits bottom-right. */
function defaultPosition(): TriggerPosition {
  return { left: MARGIN + 4, top: window.innerHeight - SIZE - MARGIN - 4 };
}

/** The round button: click toggles the panel, drag moves it (a press that moved less than 5 px is a click). */
export function createTrigger(options: TriggerOptions): Trigger {
  const badge = h('span', { className: 'badge', 'data-testid': 'hexclave-devtool-badge' });
  const button = h(
    'button',
    {
      className: 'trigger',
      type: 'button',
      title: 'Hexclave dev tool (Alt+Shift+H)',
      'aria-label': 'Toggle the Hexclave dev tool',
      [options.attribute]: 'true',
      'data-testid': 'hexclave-devtool-trigger',
    },
    'H',
    badge,
  );
  let position = clampPosition(options.initial ?? defaultPosition());
  const place = () => {
    button.style.left = `${position.left}px`;
    button.style.top = `${position.top}px`;
  };
  place();

  let drag: { x: number; y: number; start: TriggerPosition; moved: boolean } | null = null;
  button.addEventListener('pointerdown', (event) => {
    const e = event as PointerEvent;
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, start: position, moved: false };
    button.setPointerCapture(e.pointerId);
  });
  button.addEventListener('pointermove', (event) => {
    const e = event as PointerEvent;
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
    drag.moved = true;
    button.setAttribute('data-dragging', '');
    position = clampPosition({ left: drag.start.left + dx, top: drag.start.top + dy });
    place();
  });
  let suppressClick = false;
  button.addEventListener('pointerup', () => {
    if (!drag) return;
    const moved = drag.moved;
    drag = null;
    button.removeAttribute('data-dragging');
    if (!moved) return;
    suppressClick = true; // the click that ends a drag must not toggle
    options.onMoved(position);
  });
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    if (suppressClick) suppressClick = false;
    else options.onToggle();
  });

  return {
    element: button,
    setWorst(worst) {
      if (worst) badge.setAttribute('data-worst', worst);
      else badge.removeAttribute('data-worst');
    },
    position: () => position,
    clamp() {
      position = clampPosition(position);
      place();
    },
  };
}

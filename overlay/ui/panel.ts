import type { DevToolState, ExchangeView } from '../state.js';
import { clear, h } from './dom.js';
import { cookieSection, exchangesSection, findingsSection, sdkSection, userSection } from './sections.js';

export interface Panel {
  readonly element: HTMLElement;
  render(state: DevToolState, now: number): void;
  /** Next to the trigger, on the side of the screen it sits on. */
  place(trigger: { left: number; top: number }): void;
}

export function createPanel(onClose: () => void, onFocus: (view: ExchangeView) => void): Panel {
  const content = h('div');
  const element = h(
    'div',
    {
      className: 'panel',
      role: 'dialog',
      'aria-label': 'Hexclave dev tool',
      'data-testid': 'hexclave-devtool-panel',
      hidden: true,
    },
    h(
      'header',
      {},
      h('h1', {}, 'Hexclave dev tool'),
      h('button', { className: 'close', type: 'button', 'aria-label': 'Close', onclick: onClose }, '×'),
    ),
    content,
  );
  return {
    element,
    render(state, now) {
      element.hidden = !state.open;
      if (!state.open) return;
      clear(content);
      content.append(
        userSection(state, now),
        cookieSection(state),
        exchangesSection(state, onFocus),
        findingsSection(state),
        sdkSection(state),
      );
    },
    place(trigger) {
      const right = trigger.left > window.innerWidth / 2;
      element.style.left = right ? '' : `${Math.max(12, trigger.left)}px`;
      element.style.right = right ? `${Math.max(12, window.innerWidth - trigger.left - 40)}px` : '';
      const below = trigger.top < window.innerHeight / 2;
      element.style.top = below ? `${trigger.top + 48}px` : '';
      element.style.bottom = below ? '' : `${Math.max(12, window.innerHeight - trigger.top + 8)}px`;
    },
  };
}

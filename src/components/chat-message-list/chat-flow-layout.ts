/** The virtualizer's flow layout as chat-message-list uses it. */
import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';

/**
 * Height the layout assumes for a row it has not measured yet. Lower than a typical message on
 * purpose: when measured rows turn out taller, the layout grows and holds the pinned row; when they
 * turn out shorter than assumed, the first layout while holding the newest row can land past the
 * end and show nothing for a frame or two.
 */
export const ROW_ESTIMATE_PX = 40;

/** The flow layout with a chat-sized first guess of row heights. */
export class ChatFlowLayout extends FlowLayout {
  constructor(...args: ConstructorParameters<typeof FlowLayout>) {
    super(...args);
    this._itemSize = { width: 100, height: ROW_ESTIMATE_PX };
  }
}

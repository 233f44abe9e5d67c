/**
 * Arrow keys in the reading direction: in a right-to-left element (an author's `dir="rtl"`, or
 * a right-to-left language) ArrowLeft moves forward and ArrowRight back, so the handlers of tabs
 * and grids read `ArrowRight` as "next" whatever the direction.
 */
export function logicalKey(event: KeyboardEvent, el: Element | null = event.target instanceof Element ? event.target : null): string {
  if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return event.key;
  if (!el?.matches(':dir(rtl)')) return event.key;
  return event.key === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft';
}

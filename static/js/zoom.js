// Zooming the Panorama: buttons, ctrl+wheel and trackpad pinch (the browser sends those as
// ctrl+wheel), two-finger pinch on a touch screen, and "fit". Wheel and pinch zoom in proportion
// to the gesture, around the point under the pointer or between the fingers. Fit never makes text
// smaller than READABLE_PX on screen: past that, the board scrolls instead.

export const READABLE_PX = 12;
const MIN_ZOOM = 0.4;
const MAX_ZOOM = 2;
const WHEEL_RATE = 0.0015; // zoom factor e^(-rate·deltaY): a wheel notch (100 px) is about 14 %
const TEXT = ".card-text, .row-head, .column-head, .free-area h2, .canvas-head h2";

/**
 * Zoom `panorama` inside its scrolling `viewport`. Returns {zoom, set(value, anchor?), fit(options)}
 * where anchor is a screen point {clientX, clientY} that stays over the same spot of the board.
 */
export function enableZoom(viewport, panorama) {
  const state = { zoom: 1 };

  const set = (value, anchor = null) => {
    const next = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, value));
    const box = viewport.getBoundingClientRect();
    const ax = anchor ? anchor.clientX - box.left : viewport.clientWidth / 2;
    const ay = anchor ? anchor.clientY - box.top : viewport.clientHeight / 2;
    const ratio = next / state.zoom;
    const left = (viewport.scrollLeft + ax) * ratio - ax;
    const top = (viewport.scrollTop + ay) * ratio - ay;
    state.zoom = next;
    panorama.style.zoom = next;
    viewport.scrollLeft = left;
    viewport.scrollTop = top;
  };

  /** The lowest zoom at which the smallest text of the board is still READABLE_PX on screen. */
  const readableZoom = () => {
    let smallest = Infinity;
    for (const node of panorama.querySelectorAll(TEXT)) {
      smallest = Math.min(smallest, parseFloat(getComputedStyle(node).fontSize) || Infinity);
    }
    // Under a finger, never below 100 %: the touch targets keep their 44 px.
    if (matchMedia("(pointer: coarse)").matches) return 1;
    return Number.isFinite(smallest) ? Math.min(1, READABLE_PX / smallest) : MIN_ZOOM;
  };

  /** Zoom so the whole Panorama shows (or its whole width), never below readable text, never above 100 %. */
  const fit = ({ widthOnly = false } = {}) => {
    panorama.style.zoom = 1;
    state.zoom = 1;
    // How much the board overflows its viewport at 100 % (1 or more: it fits that way).
    const byWidth = viewport.clientWidth / viewport.scrollWidth;
    const byHeight = viewport.clientHeight / viewport.scrollHeight;
    const wanted = widthOnly ? byWidth : Math.min(byWidth, byHeight);
    set(Math.max(readableZoom(), Math.min(1, wanted)));
  };

  viewport.addEventListener("wheel", (event) => {
    if (!event.ctrlKey) return; // a plain wheel scrolls (pans); ctrl+wheel and trackpad pinch zoom
    event.preventDefault();
    const pixels = event.deltaY * (event.deltaMode === 1 ? 16 : event.deltaMode === 2 ? 400 : 1);
    set(state.zoom * Math.exp(-pixels * WHEEL_RATE), event);
  }, { passive: false });

  // Two fingers: the board follows the distance between them, from where the pinch began.
  let pinch = null;
  const spread = (touches) => Math.hypot(touches[0].clientX - touches[1].clientX, touches[0].clientY - touches[1].clientY);
  const middle = (touches) => ({ clientX: (touches[0].clientX + touches[1].clientX) / 2,
    clientY: (touches[0].clientY + touches[1].clientY) / 2 });
  viewport.addEventListener("touchstart", (event) => {
    if (event.touches.length === 2) pinch = { distance: spread(event.touches) || 1, zoom: state.zoom };
  }, { passive: true });
  viewport.addEventListener("touchmove", (event) => {
    if (!pinch || event.touches.length !== 2) return;
    event.preventDefault();
    set(pinch.zoom * (spread(event.touches) / pinch.distance), middle(event.touches));
  }, { passive: false });
  viewport.addEventListener("touchend", (event) => {
    if (event.touches.length < 2) pinch = null;
  });

  return {
    get zoom() { return state.zoom; },
    set,
    fit,
  };
}

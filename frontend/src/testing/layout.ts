// happy-dom lays nothing out, so Naive UI's virtual lists (which draw only the rows that fit their
// height) would draw none. Importing this module before naive-ui gives every observed element a
// height of 400 px, so a virtual table draws its first rows.
class SizedResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(target: Element) {
    const entry = { target, contentRect: { width: 900, height: 400 } } as unknown as ResizeObserverEntry
    queueMicrotask(() => this.callback([entry], this as unknown as ResizeObserver))
  }
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = SizedResizeObserver as unknown as typeof ResizeObserver

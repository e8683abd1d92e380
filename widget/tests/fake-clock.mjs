// A fake clock for timer-driven front-end code: setTimeout/clearTimeout as the modules take
// them, and advance(ms), which runs every timer due by then in time order.
export function clock() {
  const c = { now: 0, timers: [], id: 0 };
  c.setTimeout = (fn, ms) => { c.id += 1; c.timers.push({ id: c.id, at: c.now + ms, fn }); return c.id; };
  c.clearTimeout = (id) => { c.timers = c.timers.filter((x) => x.id !== id); };
  c.advance = (ms) => {
    const until = c.now + ms;
    for (;;) {
      c.timers.sort((a, b) => a.at - b.at);
      const next = c.timers[0];
      if (!next || next.at > until) break;
      c.timers.shift();
      c.now = next.at;
      next.fn();
    }
    c.now = until;
  };
  return c;
}

/**
 * Lets the Worker's other requests run before a long job takes its next step. On workerd with a local D1
 * (wrangler dev, the tests) the database answers inside the same process, so a job going from one D1 call
 * straight to the next (a big POS file recorded in `waitUntil`, a run of forecast chunks) never lets the event
 * loop look for new connections or due timers: during a 20,000-line import every other request, the health
 * check and the import's own progress included, waited until it was done, 19 s later, and requests that gave
 * up meanwhile left their sockets half-closed. A timer turn between steps lets them in (the same import then
 * answers them within 0.3 s while it runs). On Cloudflare, where D1 is across the network, the turn costs
 * next to nothing.
 */
export function letRequestsIn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

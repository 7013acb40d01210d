// Offline reading: registers the site's service worker (sw.js at the site's root, written by the build's offline
// stage), asks it to keep this page, its pictures and its scripts, and shows a notice when the page is a saved copy
// because the reader is offline. The site works the same without it.

const html = document.documentElement;
const root = new URL(html.dataset.siteRoot || "./", document.baseURI);
const workers = window.isSecureContext && "serviceWorker" in navigator ? navigator.serviceWorker : null;

/** "Saved copy from 27 November 2026 at 09:14, you are offline.", announced politely. */
function showSavedCopy(savedAt) {
  const when = new Date(savedAt);
  if (Number.isNaN(when.getTime())) return;
  const notice = document.createElement("p");
  notice.className = "offline-notice";
  notice.setAttribute("role", "status");
  (document.querySelector("main") || document.body).prepend(notice);
  const time = document.createElement("time");
  time.dateTime = when.toISOString();
  // the site's own date format, whatever the browser's language: "27 November 2026", then the time, 09:14
  const month = new Intl.DateTimeFormat(html.lang || "en", { month: "long" }).format(when);
  const hours = [when.getHours(), when.getMinutes()].map((n) => String(n).padStart(2, "0")).join(":");
  time.textContent = `${when.getDate()} ${month} ${when.getFullYear()} at ${hours}`;
  // filled after the empty status region is in the page, so that screen readers announce it
  requestAnimationFrame(() => notice.append("Saved copy from ", time, ", you are offline."));
}

/** Asks the worker that served this page whether it was a saved copy, and when it was saved. */
function askHowThisPageWasServed(worker) {
  const channel = new MessageChannel();
  channel.port1.onmessage = ({ data }) => data && data.savedAt && showSavedCopy(data.savedAt);
  worker.postMessage({ type: "served", url: location.href.split("#")[0] }, [channel.port2]);
}

/** This page, its pictures and its scripts (a component's module beyond the worker's core files), so that it
 * can be read offline later (the worker skips what it has). */
function keepThisPage(worker) {
  const pictures = [...document.images].map((image) => image.currentSrc || image.src).filter(Boolean);
  const scripts = [...document.scripts].map((script) => script.src).filter(Boolean);
  worker.postMessage({ type: "keep", urls: [location.href.split("#")[0], ...pictures, ...scripts] });
}

if (workers && html.hasAttribute("data-offline-reading")) {
  if (workers.controller) askHowThisPageWasServed(workers.controller);
  workers
    .register(new URL("sw.js", root), { scope: root.href })
    .then(() => workers.ready)
    .then((registration) => registration.active && keepThisPage(registration.active))
    .catch(() => {}); // no offline reading here (a private window, say): the site works as before
} else if (workers) {
  // offline reading is off for this build (the preview): a worker left from another build must not serve it
  workers
    .getRegistration(root.href)
    .then((registration) => registration && registration.scope === root.href && registration.unregister())
    .catch(() => {});
}

// The site's service worker: pages stay readable offline. Written to the site's root as sw.js by the build's
// offline stage (plugins/stages/offline), which fills in VERSION and CORE; registered by theme/static/js/offline.js.
//
// - Pages (navigations): network first; each page read online is kept, with the time it was saved. Offline, the
//   kept copy is served (the page's own script then asks how it was served and shows "Saved copy from …"), or
//   offline.html for a page never read.
// - The theme's CSS and JS (addressed by their content: ?v=) and pictures: from the cache first.
// - On install: the core (stylesheet, scripts, offline.html, favicon). Nothing is stored as a redirected response
//   (see storable), and a page kept at x is found offline for a link to x.html (see pretty), so the site reads
//   offline on hosts that drop ".html" too. Caches of other versions of this site
//   (same scope) are deleted on activate; caches of other sites on the same host are left alone.

const VERSION = "__VERSION__"; // a hash of CORE's files and of this script: a new site gives a new worker
const CORE = ["__CORE__"]; // relative to this script, the site's root
const OFFLINE_PAGE = "__OFFLINE__"; // OFFLINE_URL, filled in by the offline stage
const SAVED_AT = "X-Saved-At";

const SCOPE = self.registration.scope;
const PREFIX = `energy-healing-site ${SCOPE} `;
const CACHE = PREFIX + VERSION;
const served = new Map(); // page (client id or URL) -> when its saved copy was saved, for its notice

const inScope = (url) => url.href.startsWith(SCOPE);
// A page is kept once, whatever its ?query or #fragment: a link with ?utm_… or ?q= would otherwise add a copy per visit
const pageKey = (url) => url.split("#")[0].split("?")[0];
// where a host with pretty URLs (Cloudflare Pages) serves a page: x.html at x, a folder's index.html at the folder
const pretty = (url) => url.replace(/\/index\.html$/, "/").replace(/\.html$/, "");

/** `response` as it may be stored: a page says when it was saved, and nothing stored is marked redirected (a host
 * with "pretty URLs", such as Cloudflare Pages, answers x.html with a 308 to x, and a browser refuses a redirected
 * response for a navigation: the offline page would fail to show). */
async function storable(response, page) {
  if (!page && !response.redirected) return response;
  const headers = new Headers(response.headers);
  if (page) headers.set(SAVED_AT, new Date().toISOString());
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

function keepable(response) {
  return response && response.ok && response.type === "basic";
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) =>
        Promise.all(
          CORE.map(async (path) => {
            const url = new URL(path, SCOPE).href;
            const response = await fetch(url);
            if (!response.ok) throw new TypeError(`${url}: HTTP ${response.status}`); // as cache.addAll
            await cache.put(url, await storable(response, false));
          }),
        ),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

async function page(event) {
  const cache = await caches.open(CACHE);
  const url = pageKey(event.request.url);
  try {
    const response = await fetch(event.request);
    const type = response.headers.get("Content-Type") || "";
    if (keepable(response) && type.startsWith("text/html")) {
      event.waitUntil(storable(response.clone(), true).then((copy) => cache.put(url, copy)));
    }
    return response;
  } catch (offline) {
    const saved = (await cache.match(url)) || (await cache.match(pretty(url)));
    if (saved) {
      served.set(event.resultingClientId || url, saved.headers.get(SAVED_AT));
      return saved;
    }
    return (await cache.match(new URL(OFFLINE_PAGE, SCOPE).href)) || Response.error();
  }
}

async function asset(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request);
  const fetched = fetch(event.request).then((response) => {
    if (keepable(response)) event.waitUntil(cache.put(event.request, response.clone()));
    return response;
  });
  if (cached) {
    // a picture may change at its address: keep the cached one for now and refresh it for next time
    if (event.request.destination === "image") event.waitUntil(fetched.catch(() => {}));
    return cached;
  }
  return fetched.catch(() => Response.error());
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== location.origin || !inScope(url)) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event));
  } else if (url.searchParams.has("v") || request.destination === "image") {
    event.respondWith(asset(event));
  }
});

/** Keeps these pages and pictures (those not kept yet): the page just read and its diagrams. */
async function keep(urls) {
  const cache = await caches.open(CACHE);
  for (const href of urls) {
    const url = new URL(href, SCOPE);
    if (url.origin !== location.origin || !inScope(url) || (await cache.match(url.href))) continue;
    try {
      const response = await fetch(url.href, { credentials: "same-origin" });
      const type = response.headers.get("Content-Type") || "";
      const page = type.startsWith("text/html");
      if (keepable(response)) await cache.put(page ? pageKey(url.href) : url.href, await storable(response, page));
    } catch (offline) {
      // kept next time
    }
  }
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "keep" && Array.isArray(message.urls)) {
    event.waitUntil(keep(message.urls.map((url) => String(url).split("#")[0])));
  } else if (message.type === "served" && event.ports[0]) {
    const key = served.has(event.source && event.source.id) ? event.source.id : pageKey(String(message.url));
    event.ports[0].postMessage({ savedAt: served.get(key) || null });
    served.delete(key);
  }
});

// The site's search (search.html only): a search form over the Pagefind index the build writes to pagefind/
// (plugins/stages/search). Pagefind's own interfaces are not used: this one makes no inline style, loads no
// picture, and says what it found to screen readers. Without this script the page says that search needs
// JavaScript and lists every topic.

const container = document.querySelector("[data-search]");
const bundle = new URL(container.dataset.search, document.baseURI);
const siteRoot = new URL(document.documentElement.dataset.siteRoot || "./", document.baseURI);
const topics = [...document.querySelectorAll(".search-topics a")];
const BATCH = 10;

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

const form = element("form", { class: "search-form", role: "search" });
const label = element("label", { for: "search-query" }, "Search the site");
const input = element("input", {
  id: "search-query",
  type: "search",
  name: "q",
  autocomplete: "off",
  spellcheck: "false",
  enterkeyhint: "search",
});
const submit = element("button", { type: "submit", class: "button" }, "Search");
const row = element("div", { class: "search-row" });
row.append(input, submit);
form.append(label, row);
const status = element("p", { class: "search-status", role: "status" });
const list = element("ol", { class: "search-results" });
const more = element(
  "button",
  { type: "button", class: "button button-quiet search-more", hidden: "" },
  "Show more results",
);
container.replaceChildren(form, status, list, more);

let engine = null; // Pagefind, imported on first use
let latest = 0; // the newest search: an older one that finishes later is dropped
let results = [];
let shown = 0;

function pagefind() {
  engine ??= import(new URL("pagefind.js", bundle).href).then(async (module) => {
    // no web worker: the page's policy allows WebAssembly here, and nothing else is needed
    await module.options({ noWorker: true, baseUrl: siteRoot.pathname });
    await module.init();
    return module;
  });
  return engine;
}

/** Pagefind's excerpt (text with <mark> around the words found) as nodes: only text and <mark> are kept. */
function excerptNodes(excerpt) {
  const parsed = new DOMParser().parseFromString(`<body>${excerpt}</body>`, "text/html").body;
  return [...parsed.childNodes].map((node) => {
    if (node.nodeName === "MARK") return element("mark", {}, node.textContent);
    return document.createTextNode(node.textContent);
  });
}

function resultItem(data) {
  const item = element("li", { class: "search-result" });
  const heading = element("h2", { class: "search-result-title" });
  const link = element("a", { href: new URL(data.url, siteRoot).href }, data.meta?.title || data.url);
  heading.append(link);
  const excerpt = element("p", { class: "search-result-excerpt" });
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(heading, excerpt);
  return item;
}

async function showMore(search) {
  const batch = results.slice(shown, shown + BATCH);
  const items = (await Promise.all(batch.map((result) => result.data()))).map(resultItem);
  if (search !== latest) return [];
  list.append(...items);
  shown += batch.length;
  more.hidden = shown >= results.length;
  return items;
}

function say(...parts) {
  status.replaceChildren(...parts);
}

function noResults(query) {
  const parts = [`Nothing found for “${query}”. Try other words, or browse a topic: `];
  topics.forEach((topic, index) => {
    parts.push(element("a", { href: topic.href }, topic.textContent), index < topics.length - 1 ? ", " : ".");
  });
  return parts;
}

async function search(query) {
  const search = ++latest;
  const words = query.trim();
  history.replaceState(null, "", words ? `?q=${encodeURIComponent(words)}` : location.pathname);
  if (!words) {
    results = [];
    list.replaceChildren();
    more.hidden = true;
    say();
    return;
  }
  let found;
  try {
    found = await (await pagefind()).search(words);
  } catch {
    if (search === latest) say("Search is not working right now. Every article is listed on the page of its topic, below.");
    return;
  }
  if (search !== latest) return;
  results = found.results;
  shown = 0;
  list.replaceChildren();
  await showMore(search);
  if (search !== latest) return;
  if (!results.length) say(...noResults(words));
  else say(`${results.length} ${results.length === 1 ? "page" : "pages"} found for “${words}”.`);
}

let typing = 0;
input.addEventListener("input", () => {
  window.clearTimeout(typing);
  typing = window.setTimeout(() => search(input.value), 300);
});
input.addEventListener("focus", () => pagefind().catch(() => {}), { once: true });
form.addEventListener("submit", (event) => {
  event.preventDefault();
  window.clearTimeout(typing);
  search(input.value);
});
more.addEventListener("click", async () => {
  const added = await showMore(latest);
  added[0]?.querySelector("a").focus();
});

const asked = new URLSearchParams(location.search).get("q");
if (asked) {
  input.value = asked;
  search(asked);
}

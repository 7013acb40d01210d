// The site's search (search.html only): a search form over the Pagefind index the build writes to pagefind/
// (plugins/stages/search). Pagefind's own interfaces are not used: this one makes no inline style, loads no
// picture, and says what it found to screen readers. Without this script the page says that search needs
// JavaScript and lists every topic.

const container = document.querySelector("[data-search]");
const bundle = new URL(container.dataset.search, document.baseURI);
const siteRoot = new URL(document.documentElement.dataset.siteRoot || "./", document.baseURI);
const topics = [...document.querySelectorAll(".search-topics a")];
const BATCH = 10;
const LOADED = 100; // results whose words are checked (Pagefind ranks the real answers first)

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

/** A word as compared: lower case, letters and digits only. */
const plain = (word) => word.toLowerCase().normalize("NFKD").replace(/[^\p{L}\p{N}]/gu, "");

/** Whether a word the index found answers a word the reader typed: they begin alike for most of the typed
 * word (Pagefind also matches the beginnings of words, down to "a" for "acupresure": that is no answer). */
function answers(found, typed) {
  const need = Math.min(typed.length, Math.max(3, Math.ceil(typed.length * 0.6)));
  let same = 0;
  while (same < found.length && found[same] === typed[same]) same += 1;
  return same >= need;
}

/** The words Pagefind marked in a result's excerpts. */
function marked(data) {
  const excerpts = [data.excerpt, ...(data.sub_results || []).map((sub) => sub.excerpt)].join(" ");
  const parsed = new DOMParser().parseFromString(`<body>${excerpts}</body>`, "text/html").body;
  return [...parsed.querySelectorAll("mark")].map((mark) => plain(mark.textContent)).filter(Boolean);
}

/** Where a result links: the section whose heading the words found come soonest after (the section about
 * them: Pagefind's sub-results, one for each heading with an id, and one for the page's top). */
function target(data) {
  const start = (sub) => sub.anchor?.location ?? 0;
  const distance = (sub) => Math.min(...(sub.locations || []).filter((at) => at >= start(sub))) - start(sub);
  const best = [...(data.sub_results || [])].sort((a, b) => distance(a) - distance(b))[0];
  return best && Number.isFinite(distance(best)) ? best.url : data.url;
}

function resultItem(data) {
  const item = element("li", { class: "search-result" });
  const heading = element("h2", { class: "search-result-title" });
  const link = element("a", { href: new URL(target(data), siteRoot).href }, data.meta?.title || data.url);
  heading.append(link);
  const excerpt = element("p", { class: "search-result-excerpt" });
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(heading, excerpt);
  return item;
}

async function showMore(search) {
  const batch = results.slice(shown, shown + BATCH);
  const items = batch.map(resultItem);
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
  let instead = ""; // the word searched for in place of a misspelt one
  try {
    const typed = words.split(/\s+/).map(plain).filter(Boolean);
    found = await pages(words, typed);
    // nothing: the beginning of each word typed, which finds "acupressure" for "acupresure"
    const shorter = typed.map((word) => word.slice(0, Math.max(3, Math.ceil(word.length * 0.6)))).join(" ");
    if (!found.length && shorter !== typed.join(" ")) {
      found = await pages(shorter, typed);
      instead = found.length ? marked(found[0]).find((word) => typed.some((t) => answers(word, t))) || "" : "";
    }
  } catch {
    if (search === latest) say("Search is not working right now. Every article is listed on the page of its topic, below.");
    return;
  }
  if (search !== latest) return;
  results = found;
  shown = 0;
  list.replaceChildren();
  await showMore(search);
  if (search !== latest) return;
  const count = `${results.length} ${results.length === 1 ? "page" : "pages"} found`;
  if (!results.length) say(...noResults(words));
  else if (instead) say(`Nothing found for “${words}”. ${count} for “${instead}”.`);
  else say(`${count} for “${words}”.`);
}

/** The pages that answer the words typed (their data loaded): Pagefind's results, less those it found only by
 * a word's first letters. */
async function pages(query, typed) {
  const found = await (await pagefind()).search(query);
  const data = await Promise.all(found.results.slice(0, LOADED).map((result) => result.data()));
  return data.filter((page) => marked(page).some((word) => typed.some((t) => answers(word, t))));
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

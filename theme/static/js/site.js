// Progressive enhancement for self-care articles: a hold control on every point (a countdown where
// the text gives a hold time, a count-up where it does not), with a chime, a vibration and the
// screen kept awake; "Do all the points" in the order of the summary; a guided, one-step-at-a-time
// view of every step list; diagrams that open full screen. The page is complete without it: every
// control here is made by this script.

const SPEECH = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
const GAP = 8; // px above what a jump shows
const NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

/** "1 minute", "30 seconds", "1 minute 30 seconds" */
export function spokenDuration(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  const parts = [];
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  if (rest || !minutes) parts.push(`${rest} second${rest === 1 ? "" : "s"}`);
  return parts.join(" ");
}

/** "1:00", "0:09" */
export function clock(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function button(text, className = "button button-quiet", attributes = {}) {
  return element("button", { type: "button", class: className, ...attributes }, text);
}

/** Calls `show` once the browser has a speech voice (voices often arrive after the page loads). */
function whenVoices(show) {
  if (!SPEECH) return;
  const ready = () => speechSynthesis.getVoices().length > 0;
  if (ready()) return show();
  const check = () => {
    if (!ready()) return;
    speechSynthesis.removeEventListener("voiceschanged", check);
    show();
  };
  speechSynthesis.addEventListener("voiceschanged", check);
}

function say(text) {
  speechSynthesis.cancel();
  speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

/** The reader's sound setting, remembered (on unless they turned it off). */
const sound = {
  key: "hold-sound",
  get on() {
    try {
      return localStorage.getItem(this.key) !== "off";
    } catch {
      return true;
    }
  },
  set on(value) {
    try {
      localStorage.setItem(this.key, value ? "on" : "off");
    } catch {
      // private mode: the setting lasts as long as the page
    }
    document.dispatchEvent(new CustomEvent("hold-sound", { detail: value }));
  },
  /** A "Sound" checkbox, in step with every other one on the page. */
  checkbox(text) {
    const label = element("label", { class: "sound-setting" });
    const input = element("input", { type: "checkbox" });
    input.checked = this.on;
    input.addEventListener("change", () => {
      if (input.checked) cues.prepare();
      this.on = input.checked;
    });
    document.addEventListener("hold-sound", (event) => (input.checked = event.detail));
    label.append(input, ` ${text}`);
    return label;
  },
};

/** What tells a reader with their hands on their back that a hold is over, and keeps the screen on. */
const cues = {
  audio: null,
  lock: null,
  asking: false,
  holders: new Set(),

  /** Makes the sound possible: browsers allow audio only from a click, so this runs in the click. */
  prepare() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!sound.on || !Context) return;
    try {
      this.audio ||= new Context();
      if (this.audio.state === "suspended") this.audio.resume();
    } catch {
      this.audio = null;
    }
  },

  /** A gentle generated chime: two soft bell tones at the end of a hold, one at the start. */
  chime(kind = "end") {
    if (!sound.on || !this.audio) return;
    const notes = kind === "end" ? [659.25, 523.25] : [523.25];
    const start = this.audio.currentTime;
    notes.forEach((frequency, index) => {
      const at = start + index * 0.35;
      const oscillator = this.audio.createOscillator();
      const gain = this.audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.setValueAtTime(frequency, at);
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.4);
      oscillator.connect(gain).connect(this.audio.destination);
      oscillator.start(at);
      oscillator.stop(at + 1.5);
    });
  },

  vibrate() {
    if (typeof navigator.vibrate === "function") navigator.vibrate([200, 100, 200]);
  },

  /** Keeps the screen awake while anything holds it (a hold, a sequence). */
  hold(holder) {
    this.holders.add(holder);
    this.acquire();
  },

  letGo(holder) {
    this.holders.delete(holder);
    if (this.holders.size || !this.lock) return;
    const lock = this.lock;
    this.lock = null;
    lock.release().catch(() => {});
  },

  async acquire() {
    if (this.lock || this.asking || !this.holders.size || !navigator.wakeLock) return;
    if (document.visibilityState !== "visible") return;
    this.asking = true;
    try {
      const lock = await navigator.wakeLock.request("screen");
      if (!this.holders.size) return lock.release();
      this.lock = lock;
      lock.addEventListener?.("release", () => {
        if (this.lock === lock) this.lock = null;
      });
    } catch {
      // refused (battery saver, or not allowed here): the hold works without it
    } finally {
      this.asking = false;
    }
  },
};

// the browser lets the lock go when the page is hidden; it is taken again when the reader comes back
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") cues.acquire();
});

/** Scrolls a point into view with what shows it: its diagram (the last one before it in its list item) above
 * it and its place on screen (above `bar`, the sequence's, while it runs); where both do not fit, as much of the
 * diagram as fits above the point's place, and never less than the point's heading. */
function reveal(point, bar) {
  const figure = [...(point.closest("li")?.querySelectorAll("figure.diagram") || [])]
    .filter((f) => f.compareDocumentPosition(point) & Node.DOCUMENT_POSITION_FOLLOWING)
    .at(-1);
  const where = (point.querySelector('[data-field="where"]') || point).getBoundingClientRect().bottom;
  const room = (bar?.classList.contains("is-running") ? bar.getBoundingClientRect().top : innerHeight) - GAP;
  const top = (figure || point).getBoundingClientRect().top - GAP;
  const by = where - top <= room ? top : Math.min(point.getBoundingClientRect().top - GAP, where - room);
  window.scrollBy({ top: by, behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
}

/** A hold control for one point: a countdown from the point's hold time, or, where the text gives
 * none, a count-up (a duration is never made up). Start, pause, resume, reset; announced politely. */
class HoldTimer {
  constructor(point) {
    this.point = point;
    this.total = Number(point.dataset.holdSeconds) || 0;
    this.counting = this.total === 0; // up, from 0:00
    this.label = point.dataset.point;
    this.where = point.querySelector('[data-field="where"]')?.textContent.trim() || "";
    this.name = point.querySelector(".point-also")?.textContent.split(/\s·\s/)[0].trim() || "";
    this.elapsed = 0; // seconds held so far
    this.since = 0; // when the running stretch began (ms), with `base` seconds held before it
    this.base = 0;
    this.interval = 0;
    this.quiet = false; // a sequence announces for it
    this.onFinish = null;
    this.next = null; // what comes after this point in the summary's order: {text, href}, or nothing

    this.root = element("div", { class: "hold-timer", role: "group", "aria-label": `Hold timer for ${this.label}` });
    this.toggle = button("", "hold-toggle button");
    this.reset = button("Reset", "hold-reset button button-quiet", { hidden: "" });
    this.time = element("span", { class: "hold-time", role: "timer", "aria-atomic": "true" });
    this.bar = element("span", { class: "hold-bar", "aria-hidden": "true" });
    this.bar.append(element("span", { class: "hold-bar-fill" }));
    this.status = element("p", { class: "visually-hidden", "aria-live": "polite", "data-hold-status": "" });
    // after a hold, on screen: that it is done and what comes next (the status says it aloud)
    this.message = element("p", { class: "hold-message", hidden: "" });
    this.buttons = element("span", { class: "hold-buttons" });
    this.buttons.append(this.toggle, this.reset);
    this.root.append(this.buttons, this.time, sound.checkbox("Sound"));
    if (!this.counting) this.root.append(this.bar);
    this.root.append(this.message, this.status);
    if (this.counting) {
      this.root.append(element("p", { class: "hold-note" }, "No time is given for this point: the timer counts up."));
    }
    point.append(this.root);

    this.toggle.addEventListener("click", () => (this.interval ? this.pause() : this.start()));
    this.reset.addEventListener("click", () => {
      this.stop();
      this.announce(`Hold timer for ${this.label} reset.`);
      this.toggle.focus();
    });
    this.show("idle");
  }

  get remaining() {
    return Math.max(0, this.total - this.elapsed);
  }

  get words() {
    return this.counting ? "" : spokenDuration(this.total);
  }

  show(state) {
    this.state = state;
    this.root.dataset.state = state;
    const start = this.counting ? "Start timing" : `Start ${this.words} hold`;
    this.toggle.textContent = { idle: start, running: "Pause", paused: "Resume", done: "Start again" }[state];
    this.reset.hidden = state === "idle";
    this.message.hidden = state !== "done";
    this.time.textContent = clock(this.counting ? this.elapsed : this.remaining);
    if (!this.counting) this.bar.firstChild.style.width = `${(100 * this.elapsed) / this.total}%`;
    this.point.dispatchEvent(new CustomEvent("hold-tick", { bubbles: true }));
  }

  /** Starts or resumes (in a click, which lets the chime play later). */
  start() {
    cues.prepare();
    if (this.state === "done") this.elapsed = 0;
    const resuming = this.elapsed > 0;
    this.base = this.elapsed;
    this.since = Date.now();
    window.clearInterval(this.interval);
    this.interval = window.setInterval(() => this.tick(), 250);
    cues.hold(this);
    this.show("running");
    if (resuming) this.announce(`Hold resumed on ${this.label}: ${clock(this.counting ? this.elapsed : this.remaining)}${this.counting ? " so far" : " left"}.`);
    else if (this.counting) this.announce(`Timing the hold on ${this.label}, counting up.`);
    else this.announce(`Hold started on ${this.label}: ${this.words}.`);
  }

  tick() {
    this.elapsed = this.base + Math.floor((Date.now() - this.since) / 1000);
    if (!this.counting && this.elapsed >= this.total) return this.finish();
    this.show("running");
  }

  halt() {
    window.clearInterval(this.interval);
    this.interval = 0;
    cues.letGo(this);
  }

  pause() {
    if (this.state !== "running") return; // a paused hold stays paused: its pause is never counted
    this.tick();
    if (this.state !== "running") return;
    this.halt();
    this.show("paused");
    this.announce(`Hold paused on ${this.label}: ${clock(this.counting ? this.elapsed : this.remaining)}${this.counting ? " so far" : " left"}.`);
  }

  finish() {
    this.halt();
    if (!this.counting) this.elapsed = this.total;
    this.show("done");
    cues.chime("end");
    cues.vibrate();
    const done = this.counting ? `Hold done on ${this.label}: ${spokenDuration(this.elapsed)}.` : `Hold finished on ${this.label}: ${this.words} is up.`;
    const link = this.next && element("a", { href: this.next.href }, this.next.text);
    this.message.replaceChildren(`${done} `, ...(link ? ["Next: ", link, "."] : ["That was the last point."]));
    this.announce(this.message.textContent);
    const then = this.onFinish;
    this.onFinish = null;
    then?.();
  }

  stop() {
    this.halt();
    this.elapsed = 0;
    this.onFinish = null;
    this.show("idle");
  }

  announce(message) {
    if (!this.quiet) this.status.textContent = message;
  }
}

/** "Do all the points": every hold in the summary's order, a short pause between them to move the
 * hands, each point announced with its location and time; pause, resume, next and stop. Its place, its
 * hint and its pause come with the page (components/at_a_glance.html); this fills in the controls. */
class Sequence {
  constructor(root, timers) {
    this.timers = timers;
    this.move = Number(root.dataset.moveSeconds); // the pause between two points, to move the hands
    this.index = -1;
    this.phase = "idle"; // holding, moving, paused, idle
    this.interval = 0;
    const count = timers.length;
    this.all = count === 2 ? "both" : `all ${NUMBERS[count] || count}`; // "Do both points", "Do all four points"

    this.root = root;
    root.classList.add("sequence");
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "Do all the points");
    this.begin = button(`Do ${this.all} points`, "sequence-start button");
    // in the order they are seen (and reached with Tab): while it runs, the bar's clock, message, controls,
    // settings; the hint says that a point with no time given counts up until the reader goes on
    [this.now, this.status, this.controls, this.hint] = [".sequence-now", ".sequence-status", ".sequence-controls", ".sequence-hint"].map((s) => root.querySelector(s));
    this.pauseButton = button("Pause", "sequence-pause button");
    this.nextButton = button("Next point", "sequence-next button button-quiet");
    this.stopButton = button("Stop", "sequence-stop button button-quiet");
    this.controls.append(this.pauseButton, this.nextButton, this.stopButton);
    const row = root.querySelector(".sequence-row");
    row.append(this.begin, sound.checkbox("Sound"));
    whenVoices(() => {
      const label = element("label", { class: "sound-setting" });
      this.speak = element("input", { type: "checkbox" });
      label.append(this.speak, " Say each point aloud");
      row.append(label);
    });

    this.begin.addEventListener("click", () => this.start());
    this.pauseButton.addEventListener("click", () => (this.phase === "paused" ? this.resume() : this.pause()));
    this.nextButton.addEventListener("click", () => this.next());
    this.stopButton.addEventListener("click", () => this.stop());
    document.addEventListener("hold-tick", () => this.showClock());
  }

  get timer() {
    return this.timers[this.index];
  }

  announce(message) {
    this.status.textContent = message;
    if (this.speak?.checked) say(message);
  }

  running(on) {
    this.root.classList.toggle("is-running", on);
    document.documentElement.classList.toggle("sequence-running", on);
    this.controls.hidden = !on;
    this.now.hidden = !on;
    this.begin.hidden = on;
    this.hint.hidden = on;
    // one set of controls: a card's own Start, Pause and Reset are gone while the sequence runs them, and only
    // the point being held shows its timer
    this.timers.forEach((timer) => {
      timer.buttons.hidden = on;
      timer.root.hidden = on && timer !== this.timer;
    });
  }

  start() {
    cues.prepare();
    cues.hold(this);
    this.timers.forEach((timer) => {
      timer.stop();
      timer.quiet = true;
    });
    this.running(true);
    this.pauseButton.focus();
    this.hold(0);
  }

  hold(index) {
    this.index = index;
    this.phase = "holding";
    const timer = this.timer;
    this.timers.forEach((other) => (other.root.hidden = other !== timer));
    const last = index === this.timers.length - 1;
    this.nextButton.textContent = last ? "Finish" : "Next point";
    const time = timer.counting
      ? `No time given: hold as long as feels right, then press ${this.nextButton.textContent}.`
      : `Hold for ${timer.words}.`;
    this.announce(`Point ${index + 1} of ${this.timers.length}, ${timer.label}${timer.name ? `, ${timer.name}` : ""}: ${timer.where}. ${time}`);
    this.pauseButton.textContent = "Pause";
    reveal(timer.point, this.root);
    timer.onFinish = () => this.after();
    timer.start();
    if (index > 0) cues.chime("start");
  }

  /** After a hold: the pause to move the hands, or the end. */
  after() {
    const done = this.timer;
    if (this.index === this.timers.length - 1) return this.finish(`${done.label} done.`);
    const next = this.timers[this.index + 1];
    this.phase = "moving";
    this.pauseButton.textContent = "Pause";
    this.announce(`${done.label} done. Move your hands to ${next.label}: ${next.where}. Starting in ${this.move} seconds.`);
    this.nextButton.textContent = `Start ${next.label} now`;
    this.moveFrom(this.move);
  }

  moveFrom(seconds) {
    this.left = seconds;
    this.until = Date.now() + seconds * 1000;
    window.clearInterval(this.interval);
    this.interval = window.setInterval(() => {
      this.left = Math.max(0, Math.ceil((this.until - Date.now()) / 1000));
      this.showClock();
      if (this.left === 0) {
        window.clearInterval(this.interval);
        this.hold(this.index + 1);
      }
    }, 250);
    this.showClock();
  }

  showClock() {
    if (this.phase === "idle") return;
    const timer = this.timer;
    const moving = this.phase === "moving" || (this.phase === "paused" && this.was === "moving");
    const text = moving
      ? `Move to ${this.timers[this.index + 1].label}: ${clock(this.left)}`
      : `${timer.label}: ${clock(timer.counting ? timer.elapsed : timer.remaining)}${timer.counting ? " (counting up)" : " left"}`;
    this.now.textContent = text;
  }

  pause() {
    if (this.phase === "holding") this.timer.pause();
    if (this.phase === "moving") {
      window.clearInterval(this.interval);
      this.left = Math.max(0, Math.ceil((this.until - Date.now()) / 1000));
    }
    this.was = this.phase;
    this.phase = "paused";
    cues.letGo(this); // the screen may sleep while the reader rests
    this.pauseButton.textContent = "Resume";
    this.announce("Paused.");
    this.showClock();
  }

  resume() {
    cues.prepare();
    cues.hold(this);
    this.phase = this.was;
    this.pauseButton.textContent = "Pause";
    this.announce("Resumed.");
    if (this.phase === "holding") this.timer.start();
    else this.moveFrom(this.left);
  }

  next() {
    window.clearInterval(this.interval);
    cues.prepare();
    cues.hold(this);
    const phase = this.phase === "paused" ? this.was : this.phase;
    if (phase === "moving") return this.hold(this.index + 1);
    const timer = this.timer;
    timer.onFinish = null;
    if (timer.counting) timer.finish();
    else timer.stop();
    this.after();
  }

  finish(message) {
    this.end(`${message} ${this.all[0].toUpperCase()}${this.all.slice(1)} points done.`);
  }

  stop() {
    this.timer?.stop();
    this.end("Stopped.");
  }

  /** The reader stays where they are: the focus goes to the card on screen (to what comes next once all
   * are done), never back up to the summary. */
  end(message) {
    window.clearInterval(this.interval);
    this.phase = "idle";
    this.timers.forEach((timer) => (timer.quiet = false));
    cues.letGo(this);
    this.running(false);
    this.announce(message);
    const timer = this.timer || this.timers[0];
    const next = timer.state === "done" && timer.message.querySelector("a");
    (next || timer.toggle).focus({ preventScroll: true });
  }
}

/** A calm dialog that shows the steps of a list one at a time. */
class StepGuide {
  constructor(list, index) {
    this.items = [...list.querySelectorAll(":scope > li")];
    this.current = 0;
    const name = list.dataset.steps || "Steps";
    const id = `guide-${index}`;

    this.opener = element("button", { type: "button", class: "guide-open button button-quiet", "aria-haspopup": "dialog" },
      `Guide me through the ${this.items.length} steps, one at a time`);
    const wrapper = element("p", { class: "guide-opener" });
    wrapper.append(this.opener);
    list.before(wrapper);

    this.dialog = element("dialog", { class: "guide", "aria-labelledby": `${id}-title` });
    const title = element("h2", { id: `${id}-title`, class: "guide-title" }, name);
    this.progress = element("p", { class: "guide-progress", "aria-live": "polite" });
    this.step = element("div", { class: "guide-step", tabindex: "-1", "aria-live": "polite" });
    this.back = element("button", { type: "button", class: "guide-back button button-quiet" }, "Back");
    this.next = element("button", { type: "button", class: "guide-next button" }, "Next");
    const controls = element("div", { class: "guide-controls" });
    controls.append(this.back, this.next);
    const close = element("button", { type: "button", class: "guide-close button button-quiet" }, "Close");
    this.dialog.append(title, this.progress, this.step, controls, close);
    // reading aloud is offered only once the browser has a voice to read with
    whenVoices(() => {
      const label = element("label", { class: "guide-speech" });
      this.speak = element("input", { type: "checkbox" });
      label.append(this.speak, " Read each step aloud");
      close.before(label);
      this.speak.addEventListener("change", () => (this.speak.checked ? this.say() : speechSynthesis.cancel()));
    });
    document.body.append(this.dialog);

    this.opener.addEventListener("click", () => this.open());
    this.back.addEventListener("click", () => this.go(this.current - 1));
    this.next.addEventListener("click", () => (this.current === this.items.length - 1 ? this.dialog.close() : this.go(this.current + 1)));
    close.addEventListener("click", () => this.dialog.close());
    this.dialog.addEventListener("keydown", (event) => {
      if (event.target instanceof HTMLInputElement) return;
      if (event.key === "ArrowRight") this.go(this.current + 1); // on the last step: nothing (Finish closes)
      if (event.key === "ArrowLeft") this.go(this.current - 1);
    });
    this.dialog.addEventListener("close", () => {
      if (SPEECH) speechSynthesis.cancel();
      this.opener.focus();
    });
  }

  open() {
    this.dialog.showModal();
    this.go(0);
    this.next.focus();
  }

  go(index) {
    if (index < 0 || index >= this.items.length) return;
    this.current = index;
    const last = index === this.items.length - 1;
    this.progress.textContent = `Step ${index + 1} of ${this.items.length}`;
    this.step.replaceChildren(...[...this.items[index].childNodes].map((node) => node.cloneNode(true)));
    this.back.setAttribute("aria-disabled", String(index === 0));
    this.next.textContent = last ? "Finish" : "Next";
    if (this.speak?.checked) this.say();
  }

  say() {
    say(this.items[this.current].textContent.trim());
  }
}

/** Tap a diagram to see it full screen, with its text alternative and caption; without this script
 * its link opens the picture on its own. */
class Enlarge {
  constructor(links) {
    this.dialog = element("dialog", { class: "enlarge", "aria-labelledby": "enlarge-caption" });
    this.figure = element("figure");
    this.caption = element("figcaption", { id: "enlarge-caption" });
    const close = button("Close", "enlarge-close button");
    this.dialog.append(close, this.figure);
    document.body.append(this.dialog);
    close.addEventListener("click", () => this.dialog.close());
    this.dialog.addEventListener("click", (event) => {
      if (event.target === this.dialog) this.dialog.close(); // a tap on the backdrop
    });
    this.dialog.addEventListener("close", () => this.opener?.focus());
    for (const link of links) {
      link.setAttribute("aria-haspopup", "dialog");
      link.addEventListener("click", (event) => {
        event.preventDefault();
        this.open(link);
      });
    }
  }

  open(link) {
    const source = link.querySelector("img");
    this.opener = link;
    // the picture is made when it is opened, so that no empty picture waits in the page
    const image = element("img", { src: source.currentSrc || source.src, alt: source.alt });
    this.caption.textContent = link.closest("figure")?.querySelector("figcaption")?.textContent || source.alt;
    this.figure.replaceChildren(image, this.caption);
    this.dialog.showModal();
    this.dialog.querySelector(".enlarge-close").focus();
  }
}

// The printed page names its address: the development build writes it relative, the browser knows it whole
const address = document.querySelector("[data-print-address]");
if (address && !/^https?:/.test(address.textContent)) address.textContent = location.href.split("#")[0];

const timers = [...document.querySelectorAll("section.point[data-point]")].map((point) => new HoldTimer(point));
const glance = document.querySelector("[data-glance]");
const byId = new Map(timers.map((timer) => [timer.point.id, timer]));
// the summary's order (the author's): each hold says which point comes next, the last one the exercise
const order = [...(glance?.querySelectorAll(".glance-points > li[data-for]") || [])].map((item) => byId.get(item.dataset.for)).filter(Boolean);
const exercise = glance?.querySelector(".glance-more a");
order.forEach((timer, index) => {
  const next = order[index + 1];
  if (next) timer.next = { text: `${next.label}${next.name ? ` ${next.name}` : ""}`, href: `#${next.point.id}` };
  else if (exercise) timer.next = { text: `the exercise, ${exercise.textContent}`, href: exercise.getAttribute("href") };
});
const slot = glance?.querySelector("[data-sequence]");
if (slot && order.length > 1) new Sequence(slot, order);
// a link to a point (the summary's, the author's "See below") shows the point with its diagram
// (a point's own id, or its heading's: search links there)
function jump(hash) {
  let id = hash.slice(1);
  try {
    id = decodeURIComponent(id);
  } catch {
    // not percent-encoded: the id as written
  }
  return id && document.getElementById(id)?.closest("section.point[data-point]");
}
document.addEventListener("click", (event) => {
  const link = event.target.closest?.('a[href^="#"]');
  const point = link && jump(link.getAttribute("href"));
  if (!point || event.defaultPrevented || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  history.pushState(null, "", link.getAttribute("href"));
  point.tabIndex = -1;
  point.focus({ preventScroll: true });
  reveal(point, document.querySelector(".sequence"));
});
// arriving with a point's address: after the browser's own jump to it, which comes with the page's load
if (jump(location.hash)) addEventListener("load", () => requestAnimationFrame(() => reveal(jump(location.hash))), { once: true });
const diagrams = document.querySelectorAll("figure.diagram a.diagram-link");
if (diagrams.length) new Enlarge(diagrams);
document.querySelectorAll("ol[data-steps]").forEach((list, index) => new StepGuide(list, index + 1));

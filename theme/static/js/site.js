// Progressive enhancement for articles: a hold timer on every point that gives a hold time,
// and a guided, one-step-at-a-time view of every step list. The page is complete without it:
// every control here is made by this script.

const SPEECH = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";

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

/** A countdown for one point: start, pause, resume, reset; start and end are announced politely. */
class HoldTimer {
  constructor(point) {
    this.total = Number(point.dataset.holdSeconds);
    this.label = point.dataset.point;
    this.remaining = this.total;
    this.deadline = 0;
    this.interval = 0;

    this.root = element("div", { class: "hold-timer", role: "group", "aria-label": `Hold timer for ${this.label}` });
    this.toggle = element("button", { type: "button", class: "hold-toggle button" });
    this.reset = element("button", { type: "button", class: "hold-reset button button-quiet", hidden: "" }, "Reset");
    this.time = element("span", { class: "hold-time", role: "timer", "aria-atomic": "true" }, clock(this.total));
    this.bar = element("span", { class: "hold-bar", "aria-hidden": "true" });
    this.bar.append(element("span", { class: "hold-bar-fill" }));
    this.status = element("p", { class: "visually-hidden", "aria-live": "polite", "data-hold-status": "" });
    this.root.append(this.toggle, this.time, this.reset, this.bar, this.status);
    point.append(this.root);

    this.toggle.addEventListener("click", () => (this.interval ? this.pause() : this.start()));
    this.reset.addEventListener("click", () => this.stop());
    this.show("idle");
  }

  show(state) {
    this.root.dataset.state = state;
    const words = spokenDuration(this.total);
    this.toggle.textContent = { idle: `Start ${words} hold`, running: "Pause", paused: "Resume", done: "Start again" }[state];
    this.reset.hidden = state === "idle";
    this.time.textContent = clock(this.remaining);
    this.bar.firstChild.style.width = `${(100 * (this.total - this.remaining)) / this.total}%`;
  }

  start() {
    if (this.remaining <= 0) this.remaining = this.total;
    const resuming = this.remaining < this.total;
    this.deadline = Date.now() + this.remaining * 1000;
    this.interval = window.setInterval(() => this.tick(), 250);
    this.show("running");
    this.announce(resuming ? `Hold resumed on ${this.label}: ${clock(this.remaining)} left.`
      : `Hold started on ${this.label}: ${spokenDuration(this.total)}.`);
  }

  tick() {
    this.remaining = Math.max(0, Math.ceil((this.deadline - Date.now()) / 1000));
    if (this.remaining === 0) return this.finish();
    this.show("running");
  }

  pause() {
    this.tick();
    window.clearInterval(this.interval);
    this.interval = 0;
    this.show("paused");
    this.announce(`Hold paused on ${this.label}: ${clock(this.remaining)} left.`);
  }

  finish() {
    window.clearInterval(this.interval);
    this.interval = 0;
    this.remaining = 0;
    this.show("done");
    this.announce(`Hold finished on ${this.label}: ${spokenDuration(this.total)} is up.`);
  }

  stop() {
    window.clearInterval(this.interval);
    this.interval = 0;
    this.remaining = this.total;
    this.show("idle");
    this.announce(`Hold timer for ${this.label} reset.`);
    this.toggle.focus();
  }

  announce(message) {
    this.status.textContent = message;
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
    this.dialog.append(title, this.progress, this.step, controls);
    if (SPEECH) {
      const label = element("label", { class: "guide-speech" });
      this.speak = element("input", { type: "checkbox" });
      label.append(this.speak, " Read each step aloud");
      this.dialog.append(label);
      this.speak.addEventListener("change", () => (this.speak.checked ? this.say() : speechSynthesis.cancel()));
    }
    this.dialog.append(close);
    document.body.append(this.dialog);

    this.opener.addEventListener("click", () => this.open());
    this.back.addEventListener("click", () => this.go(this.current - 1));
    this.next.addEventListener("click", () => (this.current === this.items.length - 1 ? this.dialog.close() : this.go(this.current + 1)));
    close.addEventListener("click", () => this.dialog.close());
    this.dialog.addEventListener("keydown", (event) => {
      if (event.target instanceof HTMLInputElement) return;
      if (event.key === "ArrowRight") this.next.click();
      if (event.key === "ArrowLeft") this.back.click();
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
    speechSynthesis.cancel();
    speechSynthesis.speak(new SpeechSynthesisUtterance(this.items[this.current].textContent.trim()));
  }
}

document.querySelectorAll("[data-point][data-hold-seconds]").forEach((point) => new HoldTimer(point));
document.querySelectorAll("ol[data-steps]").forEach((list, index) => new StepGuide(list, index + 1));

// The dashboard's small helpers: API calls with the session's CSRF token, the scorecard's
// "how was this computed" panel, and progress of long runs. No external libraries.
// Words and number conventions come from the page: <html lang>, <meta name="number-locale">
// and the JSON block #bass-words that the server renders from the word store.
"use strict";

const bass = {
  csrf() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  },
  async api(path, options = {}) {
    const headers = Object.assign({ "Accept": "application/json" }, options.headers || {});
    if (options.body && !(options.body instanceof FormData)) headers["Content-Type"] = "application/json";
    if ((options.method || "GET") !== "GET") headers["X-CSRF-Token"] = bass.csrf();
    const response = await fetch(path, Object.assign({}, options, { headers, credentials: "same-origin" }));
    const body = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) throw new Error((body && body.detail) || response.statusText);
    return body;
  },
  lang() {
    return document.documentElement.lang;
  },
  word(key) {
    const block = document.getElementById("bass-words");
    const words = block ? JSON.parse(block.textContent) : {};
    return words[key] || key;
  },
  number(value) {
    if (value === null || value === undefined) return "–";
    const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 1 ? 2 : 3;
    const meta = document.querySelector('meta[name="number-locale"]');
    return value.toLocaleString(meta ? meta.content : undefined, { maximumFractionDigits: digits });
  },
};

function showExplanation(cell) {
  const box = document.getElementById("explain");
  const body = document.getElementById("explain-body");
  const scenario = document.getElementById("heatmap").dataset.scenario;
  const params = new URLSearchParams({ indicator: cell.dataset.indicator, specialty: cell.dataset.specialty, lang: bass.lang() });
  if (cell.dataset.site) params.set("site", cell.dataset.site);
  document.querySelectorAll("td.heat-cell.selected").forEach((c) => c.classList.remove("selected"));
  cell.classList.add("selected");
  box.hidden = false;
  body.textContent = "…";
  bass.api(`/api/scenarios/${encodeURIComponent(scenario)}/explain?${params}`).then((found) => {
    body.replaceChildren();
    const head = document.createElement("p");
    head.textContent = cell.title;
    const list = document.createElement("ol");
    for (const step of found.steps) {
      const item = document.createElement("li");
      item.textContent = `${step.label}: ${bass.number(step.value)} ${step.unit_label || step.unit}`;
      if (step.detail) {
        const detail = document.createElement("div");
        detail.className = "detail";
        detail.textContent = step.detail;
        item.appendChild(detail);
      }
      list.appendChild(item);
    }
    body.append(head, list);
  }).catch((error) => { body.textContent = error.message; });
}

document.addEventListener("click", (event) => {
  const cell = event.target.closest("td.heat-cell[data-indicator]");
  if (cell) showExplanation(cell);
});
document.addEventListener("keydown", (event) => {
  const cell = event.target.closest && event.target.closest("td.heat-cell[data-indicator]");
  if (cell && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); showExplanation(cell); }
});

// A choice that applies at once: <select data-autosubmit> sends its form when it changes
// (no inline handlers: the Content-Security-Policy allows only this file's script).
document.addEventListener("change", (event) => {
  const select = event.target.closest && event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});

// Long runs: an element [data-job] polls /api/jobs/<id> and fills its <progress> and message.
function followJob(element) {
  const bar = element.querySelector("progress");
  const text = element.querySelector(".job-message");
  const tick = () => bass.api(`/api/jobs/${element.dataset.job}?lang=${bass.lang()}`).then((job) => {
    if (bar) bar.value = job.progress;
    if (text) text.textContent = job.message || bass.word(`sc_job_${job.status}`);
    if (job.status === "done" || job.status === "failed" || job.status === "cancelled") {
      element.dataset.status = job.status;
      element.dispatchEvent(new CustomEvent("bass:job-finished", { bubbles: true, detail: job }));
      if (element.dataset.reload !== undefined) window.location.reload();
      return;
    }
    setTimeout(tick, 500);
  }).catch((error) => { if (text) text.textContent = error.message; });
  tick();
}
document.addEventListener("DOMContentLoaded", () => document.querySelectorAll("[data-job]").forEach(followJob));

// Scenarier (routes_scenarios): when one of the scenario's runs finishes, show its result by
// loading the page again, without the one-off confirmation (?ok=…) in the address.
document.addEventListener("bass:job-finished", (event) => {
  if (!event.target.closest("#scenario-jobs")) return;
  window.location.replace(`${window.location.pathname}#job-${event.detail.id}`);
});

// The translation page: edit in place, approve segments, keyboard shortcuts.
// Saves go to the REST API with the session's CSRF token; a 409 means someone else
// saved the segment first, and their text is shown next to the reviewer's (kept) draft.
(function () {
  "use strict";
  const table = document.getElementById("segments");
  if (!table) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const translationId = table.dataset.translation;
  const rows = Array.from(table.querySelectorAll("tr.segment"));
  let current = -1;

  function api(path, method, body) {
    return fetch(`/api/translations/${translationId}${path}`, {
      method: method,
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(body || {}),
      credentials: "same-origin",
    }).then(async (response) => ({status: response.status, body: await response.json().catch(() => ({}))}));
  }

  function focusRow(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("current", i === current));
    rows[current].focus();
    rows[current].scrollIntoView({block: "nearest"});
  }

  function parts(row) {
    return {
      text: row.querySelector(".draft .text"), editor: row.querySelector("textarea.editor"),
      edit: row.querySelector("button.edit"), save: row.querySelector("button.save"),
      cancel: row.querySelector("button.cancel"), approve: row.querySelector("button.approve"),
      conflict: row.querySelector(".conflict"), flags: row.querySelector(".flags ul"),
      state: row.querySelector(".segstate"),
    };
  }

  function editing(row, on) {
    const p = parts(row);
    if (!p.editor) return;
    p.editor.hidden = !on; p.save.hidden = !on; p.cancel.hidden = !on;
    p.text.hidden = on; p.edit.hidden = on;
    if (on) p.editor.focus();
  }

  function showSegment(row, segment) {
    const p = parts(row);
    row.dataset.version = segment.version;
    row.className = `segment state-${segment.state}` + (rows.indexOf(row) === current ? " current" : "");
    p.text.textContent = segment.text;
    p.editor.value = segment.text;
    p.state.textContent = segment.state;
    p.flags.replaceChildren(...segment.flags.map((flag) => {
      const item = document.createElement("li");
      item.className = `sev-${flag.severity}`; item.title = flag.id; item.textContent = flag.message;
      if (flag.fix && p.editor) {  // a one-click fix (a particle, a forbidden form): saved as an edit
        const fix = document.createElement("button");
        fix.type = "button"; fix.className = "fix"; fix.textContent = `Fix: ${flag.fix.replace}`;
        fix.dataset.find = flag.fix.find; fix.dataset.replace = flag.fix.replace;
        item.append(" ", fix);
      }
      return item;
    }));
    if (p.approve) p.approve.disabled = segment.state === "approved";
    updateProgress();
  }

  function updateProgress() {
    const done = table.querySelectorAll("tr.segment.state-approved").length;
    const progress = document.getElementById("progress");
    progress.textContent = `${done} of ${progress.dataset.total} approved`;
  }

  async function save(row) {
    const p = parts(row);
    const result = await api(`/segments/${row.dataset.id}`, "PUT",
                             {text: p.editor.value, version: Number(row.dataset.version)});
    if (result.status === 200) {
      p.conflict.hidden = true;
      showSegment(row, result.body);
      editing(row, false);
    } else if (result.status === 409) {
      p.conflict.hidden = false;
      p.conflict.textContent = `Not saved: someone else changed this segment (version ${result.body.current_version}): ` +
        `“${result.body.current_text}”. Your text is still in the box; copy what you need and reload.`;
    } else {
      p.conflict.hidden = false;
      p.conflict.textContent = `Not saved: ${result.body.detail || result.status}`;
    }
  }

  async function approve(row) {
    const p = parts(row);
    if (!p.approve || p.approve.disabled) return;
    const result = await api(`/segments/${row.dataset.id}/approve`, "POST", {version: Number(row.dataset.version)});
    if (result.status === 200) { p.conflict.hidden = true; showSegment(row, result.body); }
    else { p.conflict.hidden = false; p.conflict.textContent = `Not approved: ${result.body.detail || result.status}`; }
  }

  // A flag's fix replaces its span in the segment's text and saves that as an ordinary edit
  // (same version check, QA runs again), so the fix is one click and leaves history.
  table.addEventListener("click", (event) => {
    const button = event.target.closest("button.fix");
    if (!button) return;
    const row = button.closest("tr.segment");
    const p = parts(row);
    const text = p.text.textContent;
    if (!p.editor || !text.includes(button.dataset.find)) return;
    p.editor.value = text.replace(button.dataset.find, button.dataset.replace);
    save(row);
  });

  rows.forEach((row, index) => {
    const p = parts(row);
    row.addEventListener("click", () => { if (current !== index) focusRow(index); });
    if (!p.editor) return;
    p.edit.addEventListener("click", () => editing(row, true));
    p.cancel.addEventListener("click", () => { p.editor.value = p.text.textContent; editing(row, false); });
    p.save.addEventListener("click", () => save(row));
    if (p.approve) p.approve.addEventListener("click", () => approve(row));
    p.editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); save(row); }
      if (event.key === "Escape") { p.editor.value = p.text.textContent; editing(row, false); row.focus(); }
    });
  });

  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (tag === "textarea" || tag === "input" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") focusRow(current + 1);
    else if (event.key === "k") focusRow(current - 1);
    else if (event.key === "e" && current >= 0) { event.preventDefault(); editing(rows[current], true); }
    else if (event.key === "a" && current >= 0) approve(rows[current]);
    else return;
  });
})();

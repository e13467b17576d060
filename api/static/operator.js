// The operators' page: sign in with a token, paste or drop schedule text, watch the preview,
// publish with an explicit click, and look after the day's history (compare, roll back).
// It only talks to the JSON API; the token stays in this tab's sessionStorage.
(() => {
  "use strict";

  const root = document.getElementById("operator");
  if (!root) return;
  document.getElementById("needs-js")?.remove();
  root.hidden = false;

  const $ = (id) => document.getElementById(id);
  const el = {
    signin: $("signin"), signinForm: $("signin-form"), token: $("token"), signinError: $("signin-error"),
    workspace: $("workspace"), channel: $("channel"), day: $("day"), format: $("format"), who: $("who"),
    signout: $("signout"), file: $("file"), editor: $("editor"), gutter: $("gutter"), bands: $("bands"),
    text: $("text"), preview: $("preview"), summary: $("summary"), problem: $("problem"), showInfo: $("show-info"),
    status: $("status"), publish: $("publish"), revisions: $("revisions"), daystate: $("daystate"), diff: $("diff"),
    shown: $("shown"),
  };

  const TOKEN_KEY = "epg.operator.token";
  const LINE_HEIGHT = 20; // px, as .editor --lh
  const PAD_TOP = 8; // px, as the textarea's padding
  const SEVERITY = { info: 1, warning: 2, error: 3 };

  const state = {
    token: sessionStorage.getItem(TOKEN_KEY),
    etag: null, // the day's ETag when it was loaded: sent as If-Match so nobody is overwritten unseen
    current: null, // the day's current revision number, null when nothing is published
    previewed: null, // the text (and format) the last good preview was made of
    programmes: 0,
    busy: false,
    seq: 0,
    controller: null,
    timer: null,
  };

  // -- small helpers ---------------------------------------------------------

  const { t, tn, dayLabel, when, h } = window.epgMessages;
  const hm = (iso) => iso.slice(11, 16);
  const SEVERITY_NAME = { info: t("info"), warning: t("warning"), error: t("error") };
  const CHANGE_NAME = { moved: t("moved"), retitled: t("retitled"), "re-rated": t("re-rated"), changed: t("changed") };
  const dayPath = () => `/api/channels/${encodeURIComponent(el.channel.value)}/days/${el.day.value}`;
  const ready = () => Boolean(state.token && el.channel.value && /^\d{4}-\d{2}-\d{2}$/.test(el.day.value));

  async function api(method, path, { body, headers = {}, auth = false, signal } = {}) {
    const sent = { Accept: "application/json, application/problem+json", ...headers };
    if (auth && state.token) sent.Authorization = `Bearer ${state.token}`;
    const response = await fetch(path, { method, body, headers: sent, signal, cache: "no-cache" });
    const type = response.headers.get("content-type") || "";
    let data = null;
    if (type.includes("json")) data = await response.json().catch(() => null);
    else if (response.status !== 204) data = { detail: (await response.text()).slice(0, 300) };
    return { response, status: response.status, ok: response.ok, data };
  }
  const detailOf = (result) => (result.data && result.data.detail) || `${result.status} ${result.response.statusText}`;

  // Programmes come as the JSON feeds show them (age_rating, min_age) or, in diffs, as stored (rating{}).
  function ageBadge(p) {
    const mark = p.age_rating ?? p.rating?.value;
    if (!mark) return null;
    const age = p.min_age ?? p.rating?.min_age;
    const grade = age === null || age === undefined ? "age-other"
      : age <= 6 ? "age-kids" : age < 16 ? "age-12" : age < 18 ? "age-16" : "age-18";
    return h("span", { className: `age ${grade}`, textContent: mark });
  }
  function flagBadges(p) {
    return [p.live && h("span", { className: "flag flag-live", textContent: t("Live") }),
      p.premiere && h("span", { className: "flag flag-new", textContent: t("Premiere") }),
      p.repeat && h("span", { className: "flag", textContent: t("Repeat") })];
  }
  function programmeLine(p) {
    return [h("time", { dateTime: p.start, textContent: `${hm(p.start)}–${hm(p.stop)}` }),
      h("span", { className: "ptitle", textContent: p.title }),
      p.sub_title && h("span", { className: "psub", textContent: p.sub_title }),
      ageBadge(p), flagBadges(p)];
  }

  // -- signing in ------------------------------------------------------------------

  function showSignin(message) {
    el.signin.hidden = false;
    el.workspace.hidden = true;
    el.signinError.hidden = !message;
    el.signinError.textContent = message || "";
    el.token.focus();
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.token = null;
    showSignin(message);
  }

  async function showWorkspace() {
    // The token is checked before anything says "Signed in": a mistyped one gets the sign-in form back.
    const me = await api("GET", "/api/whoami", { auth: true });
    if (!me.ok) {
      signOut(me.status === 401 ? t("This token is unknown or revoked. Check it and sign in again.")
                                : t("Could not check the token: {detail}", { detail: detailOf(me) }));
      return;
    }
    const scope = me.data.channels ? me.data.channels.join(", ") : t("all channels");
    el.signin.hidden = true;
    el.workspace.hidden = false;
    el.who.textContent = t("Signed in as {name} ({scope})", { name: me.data.name, scope });
    if (!el.channel.options.length) await loadChannels();
    await refreshDay();
    schedulePreview(0);
  }

  el.signinForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const token = el.token.value.trim();
    if (!token) return;
    state.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    el.token.value = "";
    showWorkspace();
  });
  el.signout.addEventListener("click", () => signOut(""));

  // -- channel and day -------------------------------------------------------------

  async function loadChannels() {
    const result = await api("GET", "/api/channels");
    if (!result.ok) {
      setStatus(t("Could not load the channels: {detail}", { detail: detailOf(result) }), "bad");
      return;
    }
    if (!result.data.length) {
      setStatus(t("There are no channels yet: add one with `epg channels add` first."), "warn");
      return;
    }
    const wanted = root.dataset.channel;
    el.channel.replaceChildren(...result.data.map((c) => h("option", {
      value: c.id, textContent: `${c.number ? `${c.number} · ` : ""}${c.name}`, selected: c.id === wanted,
      dataset: { name: c.name },
    })));
  }

  async function loadDay() {
    const result = await api("GET", dayPath(), { auth: true });
    if (result.ok) {
      state.etag = result.response.headers.get("ETag");
      state.current = result.data.revision ? result.data.revision.number : null;
      el.daystate.textContent = t("Published · revision {n} · {programmes}", {
        n: state.current, programmes: tn("{n} programme", result.data.programmes.length) });
      renderShown(result.data.programmes);
    } else if (result.status === 404) {
      state.etag = null;
      state.current = null;
      el.daystate.textContent = t("Not published yet");
      renderShown([]);
    } else {
      el.daystate.textContent = detailOf(result);
    }
  }

  // -- the day as shown: editing one programme (a description, a poster, an episode number) ---------

  const EPISODE_SYSTEM = "onscreen";

  function renderShown(programmes) {
    el.shown.replaceChildren(...programmes.map((p) => {
      const edit = h("button", { type: "button", className: "button small", textContent: t("Edit") });
      const item = h("li", { dataset: { programme: p.id } },
        h("div", { className: "body" }, programmeLine(p),
          p.provenance && h("span", { className: "tag", textContent: p.provenance.source })),
        edit);
      edit.addEventListener("click", () => {
        const open = item.querySelector("form");
        if (open) open.remove();
        else item.append(editForm(p));
      });
      return item;
    }));
  }

  function editForm(p) {
    const details = p.details || {};
    const episodes = details.episode_nums || [];
    const was = {
      title: p.title, sub_title: p.sub_title || "", description: p.description || "",
      poster: (details.icons || [])[0]?.src || "",
      episode: episodes.find((e) => e.system === EPISODE_SYSTEM)?.value || "",
    };
    const field = (name, label, input) => h("label", { className: "field" }, label,
      Object.assign(input, { name, value: was[name] }));
    const error = h("p", { className: "error-text", role: "alert", hidden: true });
    const save = h("button", { type: "submit", className: "button small primary", textContent: t("Save") });
    const form = h("form", { className: "editform" },
      field("title", t("Title"), h("input", { required: true, maxLength: 500 })),
      field("sub_title", t("Sub-title"), h("input", { maxLength: 500 })),
      field("description", t("Description"), h("textarea", { rows: 3 })),
      field("poster", t("Poster (an https address)"), h("input", { type: "url", placeholder: "https://…" })),
      field("episode", t("Episode as shown on screen"), h("input", { placeholder: "S01E05" })),
      h("div", { className: "inline" }, save), error);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const now = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim()]));
      const patch = {};
      for (const name of ["title", "sub_title", "description"]) {
        if (now[name] !== was[name]) patch[name] = now[name] || null;
      }
      const changed = {};
      if (now.poster !== was.poster) {
        const rest = (details.icons || []).slice(1);
        changed.icons = now.poster ? [{ src: now.poster }, ...rest] : (rest.length ? rest : null);
      }
      if (now.episode !== was.episode) {
        const rest = episodes.filter((e) => e.system !== EPISODE_SYSTEM);
        const all = now.episode ? [...rest, { value: now.episode, system: EPISODE_SYSTEM }] : rest;
        changed.episode_nums = all.length ? all : null;
      }
      if (Object.keys(changed).length) patch.details = changed;
      if (!Object.keys(patch).length) {
        form.remove();
        return;
      }
      save.disabled = true;
      const result = await api("PATCH", `/api/programmes/${encodeURIComponent(p.id)}`, {
        auth: true, body: JSON.stringify(patch), headers: { "Content-Type": "application/merge-patch+json" } });
      save.disabled = false;
      if (result.ok) {
        setStatus(t("Saved {title}: the day has a new revision.", { title: now.title || p.title }), "ok");
        await loadDay();
        await loadHistory();
      } else if (result.status === 401) {
        handleProblem(result);
      } else {
        error.hidden = false;
        error.textContent = detailOf(result);
      }
    });
    return form;
  }

  async function refreshDay() {
    if (!ready()) return;
    const url = new URL(location.href);
    url.searchParams.set("channel", el.channel.value);
    url.searchParams.set("day", el.day.value);
    history.replaceState(null, "", url);
    el.diff.hidden = true;
    await loadDay();
    await loadHistory();
  }

  el.channel.addEventListener("change", async () => { await refreshDay(); schedulePreview(0); });
  el.day.addEventListener("change", async () => { await refreshDay(); schedulePreview(0); });
  el.format.addEventListener("change", () => schedulePreview(0));

  // -- the editor: line numbers and highlighted lines ------------------------------------

  let marks = new Map(); // line → "sev-info" | "sev-warning" | "sev-error" | "has-prog"

  function renderGutter() {
    const count = el.text.value.split("\n").length;
    const rows = [];
    for (let n = 1; n <= count; n += 1) rows.push(`<div class="${marks.get(n) || ""}">${n}</div>`);
    el.gutter.innerHTML = `<div class="gutter-inner">${rows.join("")}</div>`;
    syncScroll();
  }

  function renderBands() {
    const bands = [];
    for (const [line, mark] of marks) {
      if (mark.startsWith("sev-")) {
        bands.push(`<div class="band ${mark}" data-line="${line}" style="top:${PAD_TOP + (line - 1) * LINE_HEIGHT}px"></div>`);
      }
    }
    el.bands.innerHTML = `<div class="bands-inner">${bands.join("")}</div>`;
    syncScroll();
  }

  function syncScroll() {
    const y = `translateY(${-el.text.scrollTop}px)`;
    const gutter = el.gutter.firstElementChild;
    const bands = el.bands.firstElementChild;
    if (gutter) gutter.style.transform = y;
    if (bands) bands.style.transform = y;
  }

  function goToLine(line) {
    const lines = el.text.value.split("\n");
    let start = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i += 1) start += lines[i].length + 1;
    const end = start + (lines[line - 1] || "").length;
    el.text.focus({ preventScroll: true });
    el.text.setSelectionRange(start, end);
    el.text.scrollTop = Math.max(0, (line - 1) * LINE_HEIGHT - el.text.clientHeight / 3);
    syncScroll();
    const band = el.bands.querySelector(`[data-line="${line}"]`);
    if (band) {
      band.classList.add("flash");
      setTimeout(() => band.classList.remove("flash"), 900);
    }
  }

  el.text.addEventListener("scroll", syncScroll);
  el.text.addEventListener("input", () => { renderGutter(); schedulePreview(); });

  // Files: chosen or dropped. Decoded here (UTF-8, UTF-16 with BOM, else Windows-1251) so the text can be edited.
  async function readFile(file) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let text;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) text = new TextDecoder("utf-8").decode(bytes.subarray(3));
    else if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder("utf-16le").decode(bytes.subarray(2));
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder("utf-16be").decode(bytes.subarray(2));
    else {
      try { text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); }
      catch { text = new TextDecoder("windows-1251").decode(bytes); }
    }
    const html = /\.html?$/i.test(file.name) || file.type === "text/html" || /^\s*<(!doctype|html|head|body)\b/i.test(text);
    el.format.value = html ? "text/html" : "text/plain";
    el.text.value = text;
    el.text.scrollTop = 0;
    renderGutter();
    setStatus(t("Read {name} ({lines}).", { name: file.name, lines: tn("{n} line", text.split("\n").length) }));
    schedulePreview(0);
  }

  el.file.addEventListener("change", () => { if (el.file.files[0]) readFile(el.file.files[0]); el.file.value = ""; });
  let dragDepth = 0;
  el.editor.addEventListener("dragenter", (event) => {
    if (![...event.dataTransfer.types].includes("Files")) return;
    event.preventDefault();
    dragDepth += 1;
    el.editor.classList.add("dragging");
  });
  el.editor.addEventListener("dragover", (event) => {
    if ([...event.dataTransfer.types].includes("Files")) event.preventDefault();
  });
  el.editor.addEventListener("dragleave", () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) el.editor.classList.remove("dragging");
  });
  el.editor.addEventListener("drop", (event) => {
    if (!event.dataTransfer.files.length) return;
    event.preventDefault();
    dragDepth = 0;
    el.editor.classList.remove("dragging");
    readFile(event.dataTransfer.files[0]);
  });

  // -- the live preview --------------------------------------------------------------------

  function schedulePreview(delay = 400) {
    clearTimeout(state.timer);
    state.previewed = null;
    updatePublish();
    state.timer = setTimeout(runPreview, delay);
  }

  function clearPreview() {
    marks = new Map();
    renderGutter();
    renderBands();
    showProblem(null);
    el.summary.textContent = "";
    el.preview.replaceChildren(h("li", { className: "placeholder",
      textContent: t(
        "The programmes read from the text appear here as you type, next to the line each came from; lines that were skipped or look doubtful are marked.",
      ) }));
  }

  async function runPreview() {
    const body = el.text.value;
    const format = el.format.value;
    if (!ready()) return;
    if (!body.trim()) { clearPreview(); return; }
    if (state.controller) state.controller.abort();
    const controller = new AbortController();
    state.controller = controller;
    const seq = ++state.seq;
    el.summary.textContent = t("Reading…");
    let result;
    try {
      result = await api("PUT", `${dayPath()}?dry_run=true`, {
        body, headers: { "Content-Type": `${format}; charset=utf-8` }, auth: true, signal: controller.signal,
      });
    } catch (error) {
      if (error.name !== "AbortError" && seq === state.seq) {
        showProblem(t("The server could not be reached ({error}).", { error: error.message }));
        el.summary.textContent = "";
      }
      return;
    }
    if (seq !== state.seq) return;
    if (result.ok) {
      showProblem(null);
      renderPreview(result.data.programmes, result.data.diagnostics);
      state.previewed = `${format}\n${body}`;
      state.programmes = result.data.programmes.length;
      if (!state.busy) {
        const channel = el.channel.selectedOptions[0]?.dataset.name ?? el.channel.value;
        const said = { programmes: tn("{n} programme", state.programmes), channel, day: dayLabel(el.day.value) };
        setStatus(state.current
          ? t("Ready to publish {programmes} to {channel} for {day}, replacing revision {n}.", { ...said, n: state.current })
          : t("Ready to publish {programmes} to {channel} for {day}.", said));
      }
    } else {
      handleProblem(result);
      if (result.status === 422 && Array.isArray(result.data?.diagnostics)) renderPreview([], result.data.diagnostics);
    }
    updatePublish();
  }

  function renderPreview(programmes, diagnostics) {
    marks = new Map();
    for (const p of programmes) if (p.line) marks.set(p.line, "has-prog");
    for (const d of diagnostics) {
      const before = marks.get(d.line);
      const rank = before && before.startsWith("sev-") ? SEVERITY[before.slice(4)] : 0;
      if (SEVERITY[d.severity] > rank) marks.set(d.line, `sev-${d.severity}`);
    }
    renderGutter();
    renderBands();

    const items = [
      ...programmes.map((p, i) => ({ line: p.line ?? 0, order: 0, i, p })),
      ...diagnostics.map((d, i) => ({ line: d.line, order: 1, i, d })),
    ].sort((a, b) => a.line - b.line || a.order - b.order || a.i - b.i);

    const rows = [];
    let lastDay = el.day.value;
    for (const item of items) {
      if (item.p) {
        const day = item.p.start.slice(0, 10);
        if (day !== lastDay) rows.push(h("li", { className: "daysep", textContent: dayLabel(day) }));
        lastDay = day;
        rows.push(h("li", { className: "prog-row", dataset: { line: item.line } },
          h("span", { className: "lno", textContent: item.line || "" }),
          h("div", { className: "body" }, programmeLine(item.p),
            item.p.stop_estimated && h("span", { className: "est", textContent: t("end assumed") }))));
      } else {
        const d = item.d;
        rows.push(h("li", { className: `diag sev-${d.severity}`, dataset: { line: d.line }, title: d.message },
          h("span", { className: "lno", textContent: d.line }),
          h("div", { className: "body" },
            h("span", { className: "sev", textContent: SEVERITY_NAME[d.severity] ?? d.severity }),
            h("span", { className: "msg", textContent: d.message }))));
      }
    }
    if (!rows.length) rows.push(h("li", { className: "placeholder", textContent: t("Nothing was read from the text.") }));
    el.preview.replaceChildren(...rows);

    const count = (s) => diagnostics.filter((d) => d.severity === s).length;
    const parts = [tn("{n} programme", programmes.length)];
    if (count("error")) parts.push(tn("{n} error", count("error")));
    if (count("warning")) parts.push(tn("{n} warning", count("warning")));
    if (count("info")) parts.push(tn("{n} skipped", count("info")));
    el.summary.textContent = parts.join(" · ");
  }

  el.preview.addEventListener("click", (event) => {
    const row = event.target.closest("li[data-line]");
    if (row && Number(row.dataset.line) > 0) goToLine(Number(row.dataset.line));
  });
  el.showInfo.addEventListener("change", () => el.preview.classList.toggle("hide-info", !el.showInfo.checked));

  function showProblem(message, kind = "error") {
    el.problem.hidden = !message;
    el.problem.className = `problem ${kind === "warning" ? "warning" : ""}`;
    el.problem.textContent = message || "";
  }

  // What an error answer means to an operator; true when it was dealt with.
  function handleProblem(result) {
    const detail = detailOf(result);
    if (result.status === 401) {
      signOut(t("The token was not accepted: {detail}. Sign in again.", { detail }));
    } else if (result.status === 403) {
      showProblem(t("This token may not publish to {channel}: {detail}", { channel: el.channel.value, detail }));
    } else if (result.status === 422) {
      showProblem(t("Nothing could be published: {detail}", { detail }));
      el.summary.textContent = "";
    } else {
      showProblem(`${result.status}: ${detail}`);
      el.summary.textContent = "";
    }
  }

  // -- publishing ---------------------------------------------------------------------------

  function updatePublish() {
    const fresh = state.previewed === `${el.format.value}\n${el.text.value}`;
    el.publish.disabled = state.busy || !ready() || !fresh || state.programmes === 0;
  }

  function setStatus(message, kind = "", ...extra) {
    el.status.className = `status ${kind}`;
    el.status.replaceChildren(message, ...extra);
  }

  el.publish.addEventListener("click", async () => {
    if (el.publish.disabled) return;
    state.busy = true;
    updatePublish();
    setStatus(t("Publishing…"));
    const headers = { "Content-Type": `${el.format.value}; charset=utf-8` };
    if (state.etag) headers["If-Match"] = state.etag;
    let result;
    try {
      result = await api("PUT", dayPath(), { body: el.text.value, headers, auth: true });
    } catch (error) {
      setStatus(t("The server could not be reached ({error}); nothing was published.", { error: error.message }), "bad");
      state.busy = false;
      updatePublish();
      return;
    }
    state.busy = false;
    if (result.ok) {
      const number = result.data.revision ? result.data.revision.number : "?";
      const day = el.day.value;
      setStatus(`${t("Published revision {n} · {programmes}.", {
        n: number, programmes: tn("{n} programme", result.data.programmes.length) })} `, "ok",
        h("a", { href: `/?day=${day}`, textContent: t("See it in the guide") }), " · ",
        h("a", { href: `/channel/${encodeURIComponent(el.channel.value)}?day=${day}`, textContent: t("channel page") }));
      state.previewed = null; // publishing the same text again takes an edit (or another channel or day)
      await loadDay();
      await loadHistory();
    } else if (result.status === 412) {
      const reload = h("button", { type: "button", className: "button small", textContent: t("Reload") });
      reload.addEventListener("click", async () => {
        await refreshDay();
        setStatus(t("Reloaded: you now see the latest version of the day. Publish again to replace it."));
        updatePublish();
      });
      setStatus(t("Someone else published this day in between; reload to see their version before you publish."),
        "warn", reload);
    } else {
      handleProblem(result);
      setStatus(t("Not published: {detail}", { detail: detailOf(result) }), "bad");
    }
    updatePublish();
  });

  // -- history: revisions, comparing, rolling back --------------------------------------------

  async function loadHistory() {
    const result = await api("GET", `${dayPath()}/revisions`, { auth: true });
    if (!result.ok) {
      el.revisions.replaceChildren(h("li", { className: "empty-note", textContent: result.status === 404
        ? t("No history: nothing has been published for this day.") : detailOf(result) }));
      return;
    }
    const revisions = [...result.data].sort((a, b) => b.number - a.number);
    if (!revisions.length) {
      el.revisions.replaceChildren(h("li", { className: "empty-note", textContent: t("Nothing has been published for this day yet.") }));
      return;
    }
    el.revisions.replaceChildren(...revisions.map((r) => {
      const warnings = (r.diagnostics || []).filter((d) => d.severity !== "info").length;
      const current = r.number === state.current;
      const tools = [];
      // A merge is made from its sources' revisions: those are what can be rolled back to.
      if (!current && state.current !== null && r.source !== "merged") {
        const compare = h("button", { type: "button", className: "button small", textContent: t("Compare with current") });
        compare.addEventListener("click", () => showDiff(r.number, state.current));
        const rollback = h("button", { type: "button", className: "button small danger", textContent: t("Roll back to this") });
        rollback.addEventListener("click", () => rollBack(r.number, rollback));
        tools.push(compare, rollback);
      }
      return h("li", { dataset: { revision: r.number } },
        h("span", { className: "rno" }, t("Revision {n}", { n: r.number }),
          current && h("span", { className: "current-tag", textContent: t("current") })),
        h("span", { className: "rmeta", textContent: [r.author || t("author unknown"), r.source, when(r.created),
          warnings ? tn("{n} warning", warnings) : null].filter(Boolean).join(" · ") }),
        h("span", { className: "rtools" }, tools));
    }));
  }

  function diffItem(kind, p, extra = []) {
    return h("li", { className: kind }, programmeLine(p), extra);
  }

  async function showDiff(from, to) {
    el.diff.hidden = false;
    el.diff.replaceChildren(h("p", { className: "muted", textContent: t("Comparing…") }));
    const result = await api("GET", `${dayPath()}/diff?from=${from}&to=${to}`);
    if (!result.ok) {
      el.diff.replaceChildren(h("p", { className: "error-text", textContent: result.status === 404 && !result.data?.field
        ? t("Comparing revisions is not available here ({detail}).", { detail: detailOf(result) }) : detailOf(result) }));
      return;
    }
    const { added = [], removed = [], changed = [] } = result.data;
    const parts = [h("h3", { textContent: t("Revision {from} → revision {to} (current)", { from, to }) })];
    if (!added.length && !removed.length && !changed.length) {
      parts.push(h("p", { className: "muted", textContent: t("The two revisions have the same programmes.") }));
    }
    if (added.length) {
      parts.push(h("p", { className: "muted small", textContent: t("Added in {n}", { n: to }) }),
        h("ul", {}, added.map((p) => diffItem("added", p))));
    }
    if (removed.length) {
      parts.push(h("p", { className: "muted small", textContent: t("Removed in {n}", { n: to }) }),
        h("ul", {}, removed.map((p) => diffItem("removed", p))));
    }
    if (changed.length) {
      parts.push(h("p", { className: "muted small", textContent: t("Changed") }),
        h("ul", {}, changed.map((c) => h("li", { className: "changed" },
          programmeLine(c.before), h("span", { className: "arrow", textContent: "→" }), programmeLine(c.after),
          (c.changes || []).map((kind) => h("span", { className: "tag", textContent: CHANGE_NAME[kind] ?? kind }))))));
    }
    el.diff.replaceChildren(...parts);
  }

  async function rollBack(number, button) {
    if (!button.classList.contains("armed")) {
      button.classList.add("armed");
      button.textContent = t("Confirm: roll back to {n}", { n: number });
      setTimeout(() => {
        button.classList.remove("armed");
        button.textContent = t("Roll back to this");
      }, 5000);
      return;
    }
    button.disabled = true;
    const headers = state.etag ? { "If-Match": state.etag } : {};
    const result = await api("POST", `${dayPath()}/revisions/${number}/rollback`, { headers, auth: true });
    button.disabled = false;
    button.classList.remove("armed");
    button.textContent = t("Roll back to this");
    if (result.ok) {
      const made = result.data.revision ? result.data.revision.number : "?";
      setStatus(t("Rolled back: revision {made} now has the programmes of revision {n}.", { made, n: number }), "ok");
      el.diff.hidden = true;
      await loadDay();
      await loadHistory();
    } else if (result.status === 412) {
      setStatus(t("Someone else published this day in between; reload before rolling back."), "warn");
      await refreshDay();
    } else if (result.status === 401) {
      handleProblem(result);
    } else {
      setStatus(t("Not rolled back: {detail}", { detail: detailOf(result) }), "bad");
    }
  }

  // -- start -----------------------------------------------------------------------------

  el.day.value = root.dataset.day;
  renderGutter();
  if (state.token) showWorkspace();
  else showSignin("");
})();

// The operators' page, second part: a document naming several channels (any format, sent as its raw bytes
// with the file's type) is previewed per channel and day, then published in one step; and the selected
// channel's aliases, the other names a document may print for it. Uses the token operator.js signed in with.
(() => {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const el = {
    section: $("documents"), file: $("doc-file"), drop: $("doc-drop"), skip: $("doc-skip"), problem: $("doc-problem"),
    unknown: $("doc-unknown"), preview: $("doc-preview"), bar: $("doc-bar"), status: $("doc-status"),
    publish: $("doc-publish"),
    channel: $("channel"), aliasList: $("alias-list"), aliasForm: $("alias-form"), aliasText: $("alias-text"),
    aliasError: $("alias-error"),
  };
  if (!el.section) return;

  const TOKEN_KEY = "epg.operator.token";
  const state = { file: null, previewed: false, busy: false };

  const h = (tag, { dataset = {}, ...props } = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    Object.assign(node.dataset, dataset);
    for (const child of children.flat(Infinity)) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  };
  const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const hm = (iso) => iso.slice(11, 16);
  const dayLabel = (isoDay) => new Date(`${isoDay}T12:00:00Z`).toLocaleDateString("en-GB", {
    weekday: "short", day: "numeric", month: "short", timeZone: "UTC",
  });

  async function api(method, path, { body, headers = {} } = {}) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const sent = { Accept: "application/json, application/problem+json", ...headers };
    if (token) sent.Authorization = `Bearer ${token}`;
    const response = await fetch(path, { method, body, headers: sent, cache: "no-cache" });
    const data = (response.headers.get("content-type") || "").includes("json")
      ? await response.json().catch(() => null) : null;
    return { status: response.status, ok: response.ok, data };
  }
  const detailOf = (result) => (result.data && result.data.detail) || `error ${result.status}`;

  function setStatus(message, kind = "") {
    el.status.className = `status ${kind}`;
    el.status.textContent = message;
  }
  function showProblem(message) {
    el.problem.hidden = !message;
    el.problem.textContent = message || "";
  }

  // -- a document: chosen or dropped, previewed, published --------------------------------------

  function documentPath(dryRun) {
    const params = new URLSearchParams();
    if (dryRun) params.set("dry_run", "true");
    if (el.skip.checked) params.set("skip_unknown", "true");
    const day = $("day")?.value;
    // The day picked above dates a document that names none (a document's own day headers win).
    if (day && /^\d{4}-\d{2}-\d{2}$/.test(day)) params.set("date", day);
    return `/api/documents?${params}`;
  }

  async function send(dryRun) {
    return api("POST", documentPath(dryRun), {
      body: state.file, headers: { "Content-Type": state.file.type || "application/octet-stream" },
    });
  }

  async function preview() {
    if (!state.file) return;
    state.previewed = false;
    updatePublish();
    showProblem(null);
    el.unknown.hidden = true;
    setStatus(`Reading ${state.file.name}…`);
    let result;
    try {
      result = await send(true);
    } catch (error) {
      setStatus(`The server could not be reached (${error.message}).`, "bad");
      return;
    }
    if (result.ok) {
      renderPreview(result.data);
      const known = result.data.channels.filter((c) => c.channel);
      const count = known.reduce((n, c) => n + c.days.reduce((m, d) => m + d.programmes.length, 0), 0);
      state.previewed = known.length > 0;
      setStatus(known.length
        ? `Ready to publish ${plural(count, "programme")} on ${plural(known.length, "channel")}`
          + `${result.data.skipped.length ? `; ${plural(result.data.skipped.length, "channel")} skipped` : ""}.`
        : "None of the channels in this document is known: add them or their names first.", known.length ? "" : "warn");
    } else {
      el.preview.replaceChildren();
      if (result.status === 422 && Array.isArray(result.data?.unknown_channels)) showUnknown(result.data);
      else showProblem(`${result.status === 403 ? "Not allowed" : "Nothing could be read"}: ${detailOf(result)}`);
      setStatus("Not ready to publish.", "bad");
    }
    updatePublish();
  }

  function showUnknown(problem) {
    const commands = problem.detail.split("\n").slice(1);
    const skip = h("button", { type: "button", className: "button small", textContent: "Skip these channels" });
    skip.addEventListener("click", () => { el.skip.checked = true; preview(); });
    el.unknown.replaceChildren(
      h("p", { textContent: `This document names ${plural(problem.unknown_channels.length, "channel")} epg does `
        + "not know: add each (or add its name to a channel below), or skip them." }),
      h("ul", {}, problem.unknown_channels.map((name, i) => h("li", { dataset: { unknown: name } },
        h("strong", { textContent: name }), commands[i] ? [" — ", h("code", { textContent: commands[i].trim() })] : null))),
      skip);
    el.unknown.hidden = false;
  }

  function diagRow(d) {
    return h("li", { className: `diag sev-${d.severity}`, title: d.message },
      h("span", { className: "lno", textContent: d.line }),
      h("div", { className: "body" }, h("span", { className: "sev", textContent: d.severity }),
        h("span", { className: "msg", textContent: d.message })));
  }

  function programmeRow(p) {
    return h("li", { className: "prog-row" }, h("span", { className: "lno", textContent: p.line || "" }),
      h("div", { className: "body" }, h("time", { dateTime: p.start, textContent: `${hm(p.start)}–${hm(p.stop)}` }),
        h("span", { className: "ptitle", textContent: p.title }),
        p.sub_title && h("span", { className: "psub", textContent: p.sub_title }),
        p.age_rating && h("span", { className: "age", textContent: p.age_rating }),
        p.stop_estimated && h("span", { className: "est", textContent: "end assumed" })));
  }

  function renderPreview(body) {
    el.preview.replaceChildren(...body.channels.map((c) => {
      const rows = [];
      for (const day of c.days) {
        rows.push(h("li", { className: "daysep", textContent: dayLabel(day.date)
          + (day.revision ? ` · revision ${day.revision.number}` : "") }));
        const items = [...day.programmes.map((p) => ({ line: p.line ?? 0, order: 0, p })),
          ...day.diagnostics.map((d) => ({ line: d.line, order: 1, d }))]
          .sort((a, b) => a.line - b.line || a.order - b.order);
        for (const item of items) rows.push(item.p ? programmeRow(item.p) : diagRow(item.d));
      }
      const match = c.channel
        ? h("span", { className: "match", textContent: `→ ${c.channel.name} (${c.channel.id})` })
        : h("span", { className: "match unknown", textContent: "unknown channel: skipped" });
      const programmes = c.days.reduce((n, d) => n + d.programmes.length, 0);
      return h("section", { className: `docchannel ${c.channel ? "" : "skipped"}`, dataset: { printed: c.name } },
        h("header", {}, h("h3", { textContent: c.name }), match,
          h("span", { className: "muted small", textContent: `${plural(programmes, "programme")} · `
            + `${plural(c.days.length, "day")}` })),
        h("ol", { className: "preview" }, rows));
    }));
  }

  function updatePublish() {
    el.publish.disabled = state.busy || !state.previewed;
  }

  function take(file) {
    state.file = file;
    el.bar.hidden = false; // the publish button shows once there is a document to publish
    el.drop.textContent = `${file.name} (${file.type || "unknown type"}, ${file.size} bytes)`;
    preview();
  }

  el.file.addEventListener("change", () => { if (el.file.files[0]) take(el.file.files[0]); el.file.value = ""; });
  el.skip.addEventListener("change", () => preview());
  for (const target of [el.drop, el.section]) {
    target.addEventListener("dragover", (event) => {
      if ([...event.dataTransfer.types].includes("Files")) { event.preventDefault(); el.drop.classList.add("dragging"); }
    });
    target.addEventListener("dragleave", () => el.drop.classList.remove("dragging"));
    target.addEventListener("drop", (event) => {
      if (!event.dataTransfer.files.length) return;
      event.preventDefault();
      el.drop.classList.remove("dragging");
      take(event.dataTransfer.files[0]);
    });
  }

  el.publish.addEventListener("click", async () => {
    if (el.publish.disabled) return;
    state.busy = true;
    updatePublish();
    setStatus("Publishing…");
    let result;
    try {
      result = await send(false);
    } catch (error) {
      result = { ok: false, status: 0, data: { detail: error.message } };
    }
    state.busy = false;
    if (result.ok) {
      renderPreview(result.data);
      const published = result.data.channels.filter((c) => c.status === "published");
      setStatus(result.data.stored
        ? `Published ${published.map((c) => c.channel.id).join(", ")} (${plural(
          published.reduce((n, c) => n + c.days.length, 0), "day")}).`
        : (result.data.diagnostics[0]?.message || "Nothing published."), "ok");
      state.previewed = false; // the same document again would publish nothing
    } else {
      setStatus(`Not published: ${detailOf(result)}`, "bad");
    }
    updatePublish();
  });

  // -- the selected channel's aliases ------------------------------------------------------------

  async function channelOf(id) {
    const result = await api("GET", `/api/channels/${encodeURIComponent(id)}`);
    return result.ok ? result.data : null;
  }

  async function showAliases() {
    const id = el.channel.value;
    if (!id) return;
    const channel = await channelOf(id);
    if (!channel || el.channel.value !== id) return;
    el.aliasList.replaceChildren(...(channel.aliases.length ? channel.aliases.map((alias) => {
      const remove = h("button", { type: "button", className: "linkish", textContent: "×",
        title: `Remove ${alias}`, ariaLabel: `Remove ${alias}` });
      remove.addEventListener("click", () => saveAliases(channel.aliases.filter((a) => a !== alias)));
      return h("li", {}, alias, remove);
    }) : [h("li", { className: "empty-note", textContent: "None yet." })]));
  }

  async function saveAliases(aliases) {
    const id = el.channel.value;
    const channel = await channelOf(id);
    if (!channel) return;
    const result = await api("PUT", `/api/channels/${encodeURIComponent(id)}`, {
      body: JSON.stringify({ ...channel, aliases }), headers: { "Content-Type": "application/json" },
    });
    el.aliasError.hidden = result.ok;
    el.aliasError.textContent = result.ok ? "" : detailOf(result);
    await showAliases();
    if (result.ok && state.file) preview(); // a new name may match a channel the preview did not know
  }

  el.aliasForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = el.aliasText.value.trim();
    if (!text) return;
    const channel = await channelOf(el.channel.value);
    if (!channel) return;
    await saveAliases([...channel.aliases, text]);
    if (el.aliasError.hidden) el.aliasText.value = "";
  });
  el.channel.addEventListener("change", showAliases);
  // operator.js fills the channel list once signed in: show the aliases as soon as a channel is there.
  new MutationObserver(showAliases).observe(el.channel, { childList: true });
})();

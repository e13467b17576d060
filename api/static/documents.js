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

  const { t, tn, dayLabel, h } = window.epgMessages;
  const hm = (iso) => iso.slice(11, 16);
  const SEVERITY_NAME = { info: t("info"), warning: t("warning"), error: t("error") };

  async function api(method, path, { body, headers = {} } = {}) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const sent = { Accept: "application/json, application/problem+json", ...headers };
    if (token) sent.Authorization = `Bearer ${token}`;
    const response = await fetch(path, { method, body, headers: sent, cache: "no-cache" });
    const data = (response.headers.get("content-type") || "").includes("json")
      ? await response.json().catch(() => null) : null;
    return { status: response.status, ok: response.ok, data };
  }
  const detailOf = (result) => (result.data && result.data.detail) || t("error {status}", { status: result.status });

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
    setStatus(t("Reading {name}…", { name: state.file.name }));
    let result;
    try {
      result = await send(true);
    } catch (error) {
      setStatus(t("The server could not be reached ({error}).", { error: error.message }), "bad");
      return;
    }
    if (result.ok) {
      renderPreview(result.data);
      const known = result.data.channels.filter((c) => c.channel);
      const count = known.reduce((n, c) => n + c.days.reduce((m, d) => m + d.programmes.length, 0), 0);
      state.previewed = known.length > 0;
      const said = { programmes: tn("{n} programme", count), channels: tn("{n} channel", known.length),
        skipped: tn("{n} channel skipped", result.data.skipped.length) };
      setStatus(!known.length ? t("None of the channels in this document is known: add them or their names first.")
        : result.data.skipped.length ? t("Ready to publish {programmes} on {channels}; {skipped}.", said)
          : t("Ready to publish {programmes} on {channels}.", said), known.length ? "" : "warn");
    } else {
      el.preview.replaceChildren();
      if (result.status === 422 && Array.isArray(result.data?.unknown_channels)) showUnknown(result.data);
      else {
        const detail = detailOf(result);
        showProblem(result.status === 403 ? t("Not allowed: {detail}", { detail }) : t("Nothing could be read: {detail}", { detail }));
      }
      setStatus(t("Not ready to publish."), "bad");
    }
    updatePublish();
  }

  function showUnknown(problem) {
    const commands = problem.detail.split("\n").slice(1);
    const skip = h("button", { type: "button", className: "button small", textContent: t("Skip these channels") });
    skip.addEventListener("click", () => { el.skip.checked = true; preview(); });
    el.unknown.replaceChildren(
      h("p", { textContent: t(
        "This document names {channels} epg does not know: add each (or add its name to a channel below), or skip them.", { channels: tn("{n} channel", problem.unknown_channels.length),
        count: problem.unknown_channels.length }) }),
      h("ul", {}, problem.unknown_channels.map((name, i) => h("li", { dataset: { unknown: name } },
        h("strong", { textContent: name }), commands[i] ? [" — ", h("code", { textContent: commands[i].trim() })] : null))),
      skip);
    el.unknown.hidden = false;
  }

  function diagRow(d) {
    return h("li", { className: `diag sev-${d.severity}`, title: d.message },
      h("span", { className: "lno", textContent: d.line }),
      h("div", { className: "body" }, h("span", { className: "sev", textContent: SEVERITY_NAME[d.severity] ?? d.severity }),
        h("span", { className: "msg", textContent: d.message })));
  }

  function programmeRow(p) {
    return h("li", { className: "prog-row" }, h("span", { className: "lno", textContent: p.line || "" }),
      h("div", { className: "body" }, h("time", { dateTime: p.start, textContent: `${hm(p.start)}–${hm(p.stop)}` }),
        h("span", { className: "ptitle", textContent: p.title }),
        p.sub_title && h("span", { className: "psub", textContent: p.sub_title }),
        p.age_rating && h("span", { className: "age", textContent: p.age_rating }),
        p.stop_estimated && h("span", { className: "est", textContent: t("end assumed") })));
  }

  function renderPreview(body) {
    el.preview.replaceChildren(...body.channels.map((c) => {
      const rows = [];
      for (const day of c.days) {
        rows.push(h("li", { className: "daysep", textContent: day.revision
          ? t("{day} · revision {n}", { day: dayLabel(day.date), n: day.revision.number }) : dayLabel(day.date) }));
        const items = [...day.programmes.map((p) => ({ line: p.line ?? 0, order: 0, p })),
          ...day.diagnostics.map((d) => ({ line: d.line, order: 1, d }))]
          .sort((a, b) => a.line - b.line || a.order - b.order);
        for (const item of items) rows.push(item.p ? programmeRow(item.p) : diagRow(item.d));
      }
      const match = c.channel
        ? h("span", { className: "match", textContent: `→ ${c.channel.name} (${c.channel.id})` })
        : h("span", { className: "match unknown", textContent: t("unknown channel: skipped") });
      const programmes = c.days.reduce((n, d) => n + d.programmes.length, 0);
      return h("section", { className: `docchannel ${c.channel ? "" : "skipped"}`, dataset: { printed: c.name } },
        h("header", {}, h("h3", { textContent: c.name }), match,
          h("span", { className: "muted small",
            textContent: `${tn("{n} programme", programmes)} · ${tn("{n} day", c.days.length)}` })),
        h("ol", { className: "preview" }, rows));
    }));
  }

  function updatePublish() {
    el.publish.disabled = state.busy || !state.previewed;
  }

  function take(file) {
    state.file = file;
    el.bar.hidden = false; // the publish button shows once there is a document to publish
    el.drop.textContent = `${file.name} (${file.type || t("unknown type")}, ${tn("{n} byte", file.size)})`;
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
    setStatus(t("Publishing…"));
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
        ? t("Published {channels} ({days}).", { channels: published.map((c) => c.channel.id).join(", "),
          days: tn("{n} day", published.reduce((n, c) => n + c.days.length, 0)) })
        : (result.data.diagnostics[0]?.message || t("Nothing published.")), "ok");
      state.previewed = false; // the same document again would publish nothing
    } else {
      setStatus(t("Not published: {detail}", { detail: detailOf(result) }), "bad");
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
        title: t("Remove {alias}", { alias }), ariaLabel: t("Remove {alias}", { alias }) });
      remove.addEventListener("click", () => saveAliases(channel.aliases.filter((a) => a !== alias)));
      return h("li", {}, alias, remove);
    }) : [h("li", { className: "empty-note", textContent: t("None yet.") })]));
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

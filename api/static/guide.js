// The guide and channel pages read fine without this file. It adds:
// scrolling to "now", keeping the now line moving, the day list going on its own,
// and programme details in a dialog instead of a new page.
(() => {
  "use strict";

  // The day list: go as soon as a day is picked (the Go button stays for readers without this file).
  for (const select of document.querySelectorAll(".pick select")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }

  const guide = document.getElementById("guide");
  const nowline = guide && document.getElementById("now");

  // Scroll the grid so now sits a third of the way in, unless a fragment asks otherwise.
  if (guide && nowline && !location.hash) {
    const side = guide.querySelector(".chan")?.offsetWidth ?? 0;
    const lane = guide.clientWidth - side;
    guide.scrollLeft = Math.max(0, nowline.offsetLeft - side - lane / 3);
  }
  // The channel page is not scrolled: its name and feeds stay in view, and the day list marks what is on now.

  // Keep the now line and the blocks' past/now/later in step with the clock the server used.
  if (guide && nowline) {
    const startedAt = performance.now();
    const offset0 = parseFloat(nowline.style.getPropertyValue("--s"));
    const total = parseFloat(guide.style.getPropertyValue("--minutes"));
    const label = nowline.querySelector("span");
    // The server's wall clock in the guide's zone, as minutes of the day (from "YYYY-MM-DDTHH:MM:SS+hh:mm").
    const [h, m, s] = (guide.dataset.now ?? "").slice(11, 19).split(":").map(Number);
    const base = h * 60 + m + (s || 0) / 60;
    const two = (n) => String(n).padStart(2, "0");
    const tick = () => {
      const elapsed = (performance.now() - startedAt) / 60000;
      const at = offset0 + elapsed;
      if (at >= total) { nowline.hidden = true; return; }
      nowline.style.setProperty("--s", at.toFixed(2));
      if (label && Number.isFinite(base)) {
        const minutes = Math.floor(base + elapsed) % 1440;
        label.textContent = `${two(Math.floor(minutes / 60))}:${two(minutes % 60)}`;
      }
      for (const block of guide.querySelectorAll(".prog")) {
        const from = parseFloat(block.style.getPropertyValue("--s"));
        const until = from + parseFloat(block.style.getPropertyValue("--d"));
        const state = until <= at ? "past" : from <= at ? "now" : "later";
        if (!block.classList.contains(state)) {
          block.classList.remove("past", "now", "later");
          block.classList.add(state);
        }
      }
    };
    setInterval(tick, 30000);
  }

  // Programme details in a dialog; the link still works as a page of its own.
  const dialog = document.getElementById("details");
  if (guide && dialog && typeof dialog.showModal === "function") {
    const body = dialog.querySelector(".dialog-body");
    guide.addEventListener("click", async (event) => {
      const link = event.target.closest(".prog a[href^='/programme/']");
      if (!link || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
      event.preventDefault();
      try {
        const response = await fetch(link.href, { headers: { Accept: "text/html" } });
        if (!response.ok) throw new Error(String(response.status));
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const article = doc.querySelector("article.details");
        if (!article) throw new Error("no details");
        body.replaceChildren(document.importNode(article, true));
        const open = document.createElement("p");
        open.className = "small muted";
        open.style.margin = "14px 0 0";
        const pageLink = Object.assign(document.createElement("a"), { href: link.href, textContent: "Open as a page" });
        open.append(pageLink);
        body.querySelector("article").append(open);
        dialog.showModal();
        dialog.querySelector(".button.primary")?.focus();
      } catch {
        location.href = link.href;
      }
    });
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
  }
})();

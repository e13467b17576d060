// What operator.js and documents.js share: the page's words in its language, t("English text", {name})
// and tn("{n} programme", n) look them up in the translations the page embeds (#messages, built from
// api/i18n.py's SCRIPT_MESSAGES); dates are formatted in <html lang>. A missing message shows in English.
window.epgMessages = (() => {
  "use strict";

  const lang = document.documentElement.lang || "en";
  const locale = lang === "en" ? "en-GB" : lang; // "Fri 7 Jan", as the server-rendered pages write it
  const source = document.getElementById("messages");
  const messages = source ? JSON.parse(source.textContent) : {};
  const rules = new Intl.PluralRules(locale);

  const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
  const t = (key, vars = {}) => fill(messages[key] ?? key, vars);
  // Russian has one, few and many (1 передача, 2 передачи, 5 передач): the form is the count's category.
  const tn = (key, n, vars = {}) => fill(messages[`${key}|${rules.select(n)}`] ?? messages[`${key}|other`] ?? key,
    { ...vars, n });

  const days = new Intl.DateTimeFormat(locale, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" });
  const moments = new Intl.DateTimeFormat(locale, {
    day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
  });
  const dayLabel = (isoDay) => days.format(new Date(`${isoDay}T12:00:00Z`));
  const when = (iso) => moments.format(new Date(iso));

  // h("li", {className: "x", dataset: {line: 3}}, child, …): an element with properties, data and children.
  const h = (tag, { dataset = {}, ...props } = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    Object.assign(node.dataset, dataset);
    for (const child of children.flat(Infinity)) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  };

  return Object.freeze({ t, tn, dayLabel, when, h });
})();

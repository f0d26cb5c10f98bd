// Leerrecht: small progressive enhancements. Every page works without JavaScript.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// A table wider than its box scrolls inside .lr-table-wrap; keyboard users must be able to
// scroll it too (WCAG 2.1.1, axe "scrollable-region-focusable"): make such a wrapper a
// focusable, named region. Runs on load and after every htmx swap.
function lrFocusableScrollers(root) {
  (root || document).querySelectorAll(".lr-table-wrap").forEach((wrap) => {
    if (wrap.scrollWidth <= wrap.clientWidth || wrap.hasAttribute("tabindex")) return;
    wrap.setAttribute("tabindex", "0");
    wrap.setAttribute("role", "region");
    const caption = wrap.querySelector("caption");
    wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tabel");
  });
}
document.addEventListener("DOMContentLoaded", () => lrFocusableScrollers(document));
document.addEventListener("htmx:afterSwap", (event) => lrFocusableScrollers(event.target));

// "Afdrukken" buttons (case file, Inspectie form) work only with JavaScript, so they
// stay hidden without it; the browser's own print command always works.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll(".lr-print-button[hidden]").forEach((p) => p.removeAttribute("hidden"));
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-lr-print]")) window.print();
});

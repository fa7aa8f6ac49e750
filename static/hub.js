import { initAll } from "./build/govuk-frontend.min.js";

initAll();

// A table wider than the screen scrolls inside its own box, not the whole page. The box is a
// named, focusable region only while it scrolls, so keyboard users can scroll it too.
const boxes = [];
for (const table of document.querySelectorAll("main table.govuk-table")) {
  const box = document.createElement("div");
  box.className = "hub-table-scroll";
  table.parentNode.insertBefore(box, table);
  box.appendChild(table);
  boxes.push([box, table.caption ? table.caption.textContent.trim() : "Table"]);
}
function markScrollable() {
  for (const [box, name] of boxes) {
    if (box.scrollWidth > box.clientWidth) {
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", `${name} (scrolls sideways)`);
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
markScrollable();
window.addEventListener("resize", markScrollable);

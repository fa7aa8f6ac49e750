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

// Sign-up: a work email at the domain of exactly one agency chooses that agency, while none is chosen.
const email = document.querySelector("#id_email");
const agency = document.querySelector("#id_agency");
if (email && agency && agency.querySelector("option[data-domains]")) {
  email.addEventListener("change", () => {
    const domain = email.value.trim().toLowerCase().split("@").pop();
    if (agency.value || !domain) return;
    const matches = [...agency.querySelectorAll("option[data-domains]")].filter((option) =>
      option.dataset.domains.split(" ").some((d) => domain === d || domain.endsWith("." + d)));
    if (matches.length === 1) agency.value = matches[0].value;
  });
}

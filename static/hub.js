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

// Sign-up on a network: the home partnership question shows, with the agency's partnerships only, when the chosen
// agency works with more than one; otherwise it hides and forgets any answer.
const question = document.querySelector("#home-partnership-question");
if (agency && question && agency.querySelector("option[data-partnerships]")) {
  const ask = () => {
    const chosen = agency.selectedOptions[0];
    const slugs = chosen && chosen.dataset.partnerships ? chosen.dataset.partnerships.split(" ") : [];
    for (const radio of question.querySelectorAll("input[type=radio]")) {
      const offered = slugs.includes(radio.value);
      radio.closest(".govuk-radios__item").hidden = !offered;
      if (!offered) radio.checked = false;
    }
    question.hidden = slugs.length < 2;
  };
  agency.addEventListener("change", ask);
  if (email) email.addEventListener("change", ask); // after the agency is chosen from the email, above
  if (question.hidden) ask();
}

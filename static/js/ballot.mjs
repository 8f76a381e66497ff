// Keeps the ballot's running total up to date as projects are ticked or points typed.
// The server checks every limit again; without JavaScript the total shows the saved ballot.
const ballot = document.querySelector("[data-ballot]");
const total = document.getElementById("ballot-total");

function pounds(value) {
  return new Intl.NumberFormat(document.documentElement.lang || "en-GB", {
    style: "currency",
    currency: "GBP",
    currencyDisplay: "narrowSymbol",
    maximumFractionDigits: 0,
  }).format(value);
}

function update() {
  const inputs = [...ballot.querySelectorAll("[data-cost]")];
  if (ballot.dataset.ballot === "points") {
    const used = inputs.reduce((sum, input) => sum + (parseInt(input.value, 10) || 0), 0);
    total.textContent = total.dataset.pointsText.replace("{n}", String(used));
    return;
  }
  const ticked = inputs.filter((input) => input.checked);
  const cost = ticked.reduce((sum, input) => sum + Number(input.dataset.cost), 0);
  const over = total.dataset.overText && cost > Number(ballot.dataset.pot);
  total.textContent = total.dataset.projectsText
    .replace("{n}", String(ticked.length))
    .replace("{cost}", pounds(cost)) + (over ? ` ${total.dataset.overText}` : "");
}

if (ballot && total) {
  ballot.addEventListener("input", update);
  ballot.addEventListener("change", update);
}

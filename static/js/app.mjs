// Starts GOV.UK Frontend's components (password reveal, service navigation menu, …).
// Every page works without this file; it only enhances.
import { initAll } from "/static/build/govuk/govuk-frontend.min.js";

initAll();

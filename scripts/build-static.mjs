// Builds everything the browser loads into static/build/ from pinned npm packages,
// so that no page needs a CDN. Run by `npm run build` (the Makefile calls it).
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const out = join(root, "static", "build");

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "govuk"), { recursive: true });

const govuk = join(modules, "govuk-frontend", "dist", "govuk");
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images"), join(out, "govuk", "assets", "images"), {
  recursive: true,
});

const css = sass.compile(join(root, "static", "scss", "main.scss"), {
  loadPaths: [modules],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "main.css"), css.css);

const leaflet = join(modules, "leaflet", "dist");
mkdirSync(join(out, "leaflet"), { recursive: true });
for (const file of ["leaflet.js", "leaflet.css"]) {
  cpSync(join(leaflet, file), join(out, "leaflet", file));
}
cpSync(join(leaflet, "images"), join(out, "leaflet", "images"), { recursive: true });
const cluster = join(modules, "leaflet.markercluster", "dist");
for (const file of ["leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"]) {
  cpSync(join(cluster, file), join(out, "leaflet", file));
}

// axe-core is only used by the browser tests, which inject it into the page.
cpSync(join(modules, "axe-core", "axe.min.js"), join(out, "axe.min.js"));
console.log(`static build written to ${out}`);

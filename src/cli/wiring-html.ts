import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ESLint } from "eslint";
import type { templatePictures } from "./wiring-formats.js";

/**
 * `--format html`: one self-contained page (no network when viewed) with each template's wiring drawn
 * by Cytoscape.js in layers (invokers and sources, functions, roles and destinations) by its dagre
 * layout, both bundled into the page with their licences, and the template's findings below it. A
 * node or finding links to its line (`./file#L12`, as code hosts and editors read it). The page's
 * Content-Security-Policy lets only its own three scripts run and lets it load nothing.
 */
export function formatWiringHtml(pictures: ReturnType<typeof templatePictures>, results: ESLint.LintResult[], cwd: string): string {
  const require = createRequire(import.meta.url);
  const cytoscape = readFileSync(require.resolve("cytoscape/dist/cytoscape.min.js"), "utf8");
  // The layered layout: cytoscape-dagre, which bundles dagre and graphlib; their licences go with it.
  // (Its package exports only its entry: the licence and the minified build are found beside it.)
  const dagreDist = path.dirname(require.resolve("cytoscape-dagre"));
  const dagreLicence = readFileSync(path.join(dagreDist, "..", "LICENSE"), "utf8");
  const dagreScript = readFileSync(path.join(dagreDist, "cytoscape-dagre.min.js"), "utf8");
  const dagre = `/*\ncytoscape-dagre:\n${dagreLicence.trim()}\n\n${DAGRE_NOTICE}\n*/\n${dagreScript}`;
  const findingsByFile = new Map(results.map((result) => [path.relative(cwd, result.filePath) || result.filePath, result.messages]));
  const templates = pictures.map((entry) => ({
    ...entry,
    findings: (findingsByFile.get(entry.file) ?? []).map(({ ruleId, message, line, column, severity }) => ({
      ruleId,
      message,
      line,
      column,
      severity,
    })),
  }));
  // Handler code is no graph: its findings are listed after the templates, by file.
  const pictured = new Set(pictures.map((entry) => entry.file));
  const handlers = [...findingsByFile]
    .filter(([file, messages]) => !pictured.has(file) && messages.length > 0)
    .map(([file, messages]) => ({
      file,
      findings: messages.map(({ ruleId, message, line, column, severity }) => ({ ruleId, message, line, column, severity })),
    }));
  // The data goes into a script element: `<` is escaped so that no text of a template can end it.
  const data = JSON.stringify(templates).replace(/</gu, "\\u003c");
  const handlerData = JSON.stringify(handlers).replace(/</gu, "\\u003c");
  const viewer = `const WIRING = ${data};\nconst HANDLERS = ${handlerData};\n${VIEWER}`;
  const policy = [
    "default-src 'none'",
    `script-src ${[cytoscape, dagre, viewer].map(scriptHash).join(" ")}`,
    "style-src 'unsafe-inline'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<title>Lambda IAM wiring</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Lambda IAM wiring</h1>
<p class="legend"><span class="proven">proven</span> <span class="missing">missing (the rule that reports it)</span> <span class="unknown">unknown (why)</span></p>
<main id="templates"></main>
<script>${cytoscape}</script>
<script>${dagre}</script>
<script>${viewer}</script>
</body>
</html>
`;
}

/** dagre and graphlib (github.com/dagrejs/dagre, /graphlib: LICENSE), which cytoscape-dagre's build bundles. */
const DAGRE_NOTICE = `dagre and graphlib (bundled in cytoscape-dagre):
Copyright (c) 2012-2014 Chris Pettitt

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.`;

/** A script's CSP source expression: the hash of exactly its text. */
function scriptHash(script: string): string {
  return `'sha256-${createHash("sha256").update(script, "utf8").digest("base64")}'`;
}

const STYLE = `body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #1f2328; }
section { border-top: 1px solid #d0d7de; padding-top: 1em; margin-top: 1.5em; }
.graph { width: 100%; height: 520px; border: 1px solid #d0d7de; border-radius: 6px; }
.findings { max-width: 46em; padding-left: 1.2em; }
.findings li { margin-bottom: .5em; }
.legend span { margin-right: 1.2em; padding: .1em .5em; border-radius: 4px; }
.legend .proven { border: 2px solid #57606a; } .legend .missing { border: 2px solid #d1242f; color: #d1242f; }
.legend .unknown { border: 2px dashed #8c959f; }
.details { min-height: 1.5em; color: #57606a; }`;

/** Draws each template's graph and lists its findings; runs in the page. */
const VIEWER = `cytoscape.use(cytoscapeDagre);
const shapes = { function: "round-rectangle", role: "ellipse", source: "barrel", invoker: "hexagon", destination: "rhomboid" };
const colors = { function: "#fff1e5", role: "#ddf4ff", source: "#dafbe1", invoker: "#fbefff", destination: "#fff8c5" };
const rendered = [];
// A relative path, each part encoded: a name such as "javascript:..." cannot be read as a URL scheme.
// A link that would still leave the page's own protocol gets no href.
const link = (file, line) => {
  const a = document.createElement("a");
  a.href = "./" + file.split(/[\\\\/]/u).map(encodeURIComponent).join("/") + "#L" + line;
  if (a.protocol !== location.protocol) a.removeAttribute("href");
  a.textContent = file + ":" + line;
  return a;
};
// A file's findings, each linking to its line.
const findingList = ({ file, findings }) => {
  const list = document.createElement("ul");
  list.className = "findings";
  for (const finding of findings) {
    const item = document.createElement("li");
    item.append(link(file, finding.line), " " + (finding.ruleId ?? "") + ": " + finding.message);
    list.append(item);
  }
  return list;
};
WIRING.forEach((template, index) => {
  const section = document.createElement("section");
  const title = document.createElement("h2");
  title.textContent = template.file;
  section.append(title);
  if (template.error) {
    const note = document.createElement("p");
    note.textContent = "Not drawn: " + template.error;
    section.append(note);
    document.getElementById("templates").append(section);
    return;
  }
  const row = document.createElement("div");
  const graph = document.createElement("div");
  graph.className = "graph";
  graph.id = "graph-" + index;
  const side = document.createElement("div");
  const details = document.createElement("p");
  details.className = "details";
  details.textContent = "Select a node or an arrow.";
  const list = findingList(template);
  if (template.findings.length === 0) list.append(Object.assign(document.createElement("li"), { textContent: "No findings." }));
  side.append(details, list);
  row.append(graph, side);
  section.append(row);
  document.getElementById("templates").append(section);
  const elements = [
    ...template.picture.nodes.map((node) => ({ data: { id: node.id, label: node.label, kind: node.kind, line: node.line } })),
    ...template.picture.edges.map((edge, i) => ({
      data: { id: "e" + i, source: edge.from, target: edge.to, label: edge.status === "missing" ? "✗ " + edge.rule : edge.status === "unknown" ? "? " + edge.reason : "", needs: edge.needs },
      classes: edge.status,
    })),
  ];
  const cy = cytoscape({
    container: graph,
    elements,
    // Layers from left to right: invokers and sources, functions, then roles and destinations.
    layout: { name: "dagre", rankDir: "LR", nodeSep: 24, rankSep: 160, edgeSep: 12, fit: false },
    style: [
      { selector: "node", style: { label: "data(label)", shape: (node) => shapes[node.data("kind")], "background-color": (node) => colors[node.data("kind")], "border-width": 1, "border-color": "#57606a", "text-valign": "center", "font-size": 11, width: "label", height: 34, padding: "10px", "text-wrap": "wrap", "text-max-width": 160 } },
      { selector: "edge", style: { "curve-style": "bezier", "target-arrow-shape": "triangle", width: 2, "line-color": "#57606a", "target-arrow-color": "#57606a", label: "data(label)", "font-size": 10, "text-rotation": "autorotate", "text-background-color": "#ffffff", "text-background-opacity": 1 } },
      { selector: "edge.missing", style: { "line-color": "#d1242f", "target-arrow-color": "#d1242f", color: "#d1242f", width: 3 } },
      { selector: "edge.unknown", style: { "line-style": "dashed", "line-color": "#8c959f", "target-arrow-color": "#8c959f" } },
    ],
  });
  // As tall as the layers need, so that labels keep their size: the graph is shrunk only to fit the width.
  const box = cy.elements().boundingBox();
  graph.style.height = Math.min(6000, Math.max(320, box.h + 60)) + "px";
  cy.resize();
  cy.fit(undefined, 24);
  if (cy.zoom() > 1) { cy.zoom(1); cy.center(); }
  cy.on("tap", "node", (event) => { details.replaceChildren(event.target.data("label") + " ", link(template.file, event.target.data("line"))); });
  cy.on("tap", "edge", (event) => { details.textContent = event.target.data("needs") + (event.target.data("label") ? " " + event.target.data("label") : ""); });
  // Filters: functions whose name holds the text, and arrows of one status, with what they join.
  const search = Object.assign(document.createElement("input"), { type: "search", placeholder: "Filter by function", className: "search" });
  const status = document.createElement("select");
  status.className = "status";
  for (const [value, text] of [["", "every arrow"], ["missing", "missing arrows"], ["unknown", "unknown arrows"], ["proven", "proven arrows"]]) status.append(new Option(text, value));
  const apply = () => {
    const text = search.value.trim().toLowerCase();
    cy.batch(() => {
      const functions = cy.nodes('[kind = "function"]').filter((node) => !text || node.data("label").toLowerCase().includes(text));
      let edges = functions.connectedEdges();
      if (status.value) edges = edges.filter("." + status.value);
      const shown = edges.union(edges.connectedNodes()).union(status.value ? cy.collection() : functions);
      cy.elements().style("display", "element");
      cy.elements().not(shown).style("display", "none");
    });
  };
  search.addEventListener("input", apply);
  status.addEventListener("change", apply);
  section.insertBefore(Object.assign(document.createElement("p"), { className: "controls" }), row).append(search, " ", status);
  rendered.push(cy);
});
HANDLERS.forEach((handler) => {
  const section = document.createElement("section");
  section.className = "handler";
  const title = document.createElement("h2");
  title.textContent = handler.file;
  section.append(title, findingList(handler));
  document.getElementById("templates").append(section);
});
window.wiring = rendered;`;

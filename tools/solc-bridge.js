#!/usr/bin/env node
// A solc command-line stand-in over solc-js (WebAssembly), for py-solc-x (brownie) and Slither.
// It answers the two forms they use:
//   --version             prints the compiler version line
//   --standard-json       reads Standard JSON input from stdin, prints Standard JSON output
// Imports resolve against the project root and node_modules (OpenZeppelin from npm).
"use strict";
const fs = require("fs");
const path = require("path");

const projectRoot = path.resolve(__dirname, "..");
const solc = require(path.join(projectRoot, "node_modules", "solc"));

const args = process.argv.slice(2);

function readImport(importPath) {
  const candidates = [
    path.resolve(process.cwd(), importPath),
    path.resolve(projectRoot, importPath),
    path.resolve(projectRoot, "node_modules", importPath),
  ];
  for (const candidate of candidates) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return { contents: fs.readFileSync(candidate, "utf8") };
    }
  }
  return { error: `File not found: ${importPath}` };
}

if (args.includes("--version")) {
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`);
} else if (args.includes("--standard-json")) {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  for (const source of Object.values(input.sources || {})) {
    if (source.content === undefined && Array.isArray(source.urls)) {
      const found = source.urls.map(readImport).find((r) => r.contents !== undefined);
      if (found) {
        source.content = found.contents;
        delete source.urls;
      }
    }
  }
  // No process.exit here: it would cut a large output short while stdout (a pipe) is still draining.
  process.stdout.write(solc.compile(JSON.stringify(input), { import: readImport }));
} else {
  process.stderr.write("solc-bridge: only --version and --standard-json are supported\n");
  process.exitCode = 2;
}

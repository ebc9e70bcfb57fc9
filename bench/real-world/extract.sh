#!/usr/bin/env bash
# extract.sh <git-dir> <commit> <dest>: writes the commit's files into <dest> from a bare git directory, skipping the
# blobs the snapshot lacks (git archive would stop at the first missing one). Never run the extracted code.
set -euo pipefail
git_dir=$1 commit=$2 dest=$3
mkdir -p "$dest"
git --git-dir="$git_dir" ls-tree -r -z --full-tree "$commit" |
  node -e '
    const { spawn } = require("node:child_process");
    const fs = require("node:fs"); const path = require("node:path");
    const [gitDir, dest] = process.argv.slice(1);
    const chunks = []; process.stdin.on("data", (c) => chunks.push(c));
    process.stdin.on("end", () => {
      const entries = Buffer.concat(chunks).toString("utf8").split("\0").filter(Boolean).map((l) => {
        const tab = l.indexOf("\t"); const [mode, type, sha] = l.slice(0, tab).split(" ");
        return { mode, type, sha, file: l.slice(tab + 1) };
      }).filter((e) => e.type === "blob" && e.mode !== "120000");
      const cat = spawn("git", ["--git-dir=" + gitDir, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "inherit"] });
      let buf = Buffer.alloc(0), i = 0, missing = 0, written = 0;
      cat.stdout.on("data", (d) => {
        buf = Buffer.concat([buf, d]);
        for (;;) {
          const nl = buf.indexOf(10); if (nl < 0) return;
          const head = buf.slice(0, nl).toString();
          if (head.endsWith(" missing")) { missing++; i++; buf = buf.slice(nl + 1); continue; }
          const size = Number(head.split(" ")[2]);
          if (buf.length < nl + 1 + size + 1) return;
          const e = entries[i++]; const out = path.join(dest, e.file);
          if (!path.resolve(out).startsWith(path.resolve(dest) + path.sep)) throw new Error("path escapes: " + e.file);
          fs.mkdirSync(path.dirname(out), { recursive: true });
          fs.writeFileSync(out, buf.slice(nl + 1, nl + 1 + size)); written++;
          buf = buf.slice(nl + 1 + size + 1);
        }
      });
      cat.on("close", () => console.error(`extracted ${written} files, ${missing} missing blobs skipped`));
      for (const e of entries) cat.stdin.write(e.sha + "\n");
      cat.stdin.end();
    });
  ' "$git_dir" "$dest"

// Preloaded (node --import) into a CLI process under test: records the path of every file or directory
// the process opens or reads through node:fs, and writes the list to FILE_ACCESS_LOG when it exits.
// Metadata calls (stat, realpath) are not recorded: they read no content.
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
import process from "node:process";

const opened = new Set();
const writeFileSync = fs.writeFileSync;
const record = (target) => {
  if (typeof target === "string" || Buffer.isBuffer(target)) opened.add(path.resolve(String(target)));
  else if (target instanceof URL && target.protocol === "file:") opened.add(target.pathname);
};
const wrap = (object, names) => {
  for (const name of names) {
    const original = object[name];
    object[name] = function (target, ...rest) {
      record(target);
      return original.call(this, target, ...rest);
    };
  }
};
wrap(fs, ["openSync", "readFileSync", "readdirSync", "opendirSync", "createReadStream", "open", "readFile", "readdir", "opendir"]);
wrap(fs.promises, ["open", "readFile", "readdir", "opendir"]);
syncBuiltinESMExports();
process.on("exit", () => writeFileSync(process.env.FILE_ACCESS_LOG, JSON.stringify([...opened])));

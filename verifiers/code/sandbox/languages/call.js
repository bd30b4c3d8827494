// arbiter's JavaScript call wrapper (verifiers/code/sandbox/languages), run as
// `node -e <this> PROGRAM NAME` for a function-call test: runs the candidate's program as a
// script (so its top-level `var`/`function`/`let`/`const` are visible, LeetCode style), reads a
// JSON array of arguments from stdin, calls NAME (a global function, else a method of
// `new Solution()`), awaits a returned promise, and writes {"return": JSON} (or {"error": ...})
// to fd 3, the harness's result record. The candidate shares this process, so it could write
// fd 3 itself: it never learns the expected value, so forging gains nothing.
'use strict';
const fs = require('fs');
const vm = require('vm');

function finish(code, record) {
  try {
    fs.writeSync(3, JSON.stringify(record));
  } catch (e) {
    // the harness reads a missing record as "did not return"
  }
  process.exit(code);  // stdout and stderr are pipes: written synchronously on Linux
}

function describe(e) {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : `thrown: ${String(e)}`;
  return text.slice(0, 1000);
}

async function main() {
  const [program, name] = process.argv.slice(1);
  if (!/^[A-Za-z_$][\w$]*$/.test(name || '')) throw new Error(`bad function name ${name}`);
  globalThis.require = require;
  globalThis.module = module;
  globalThis.exports = module.exports;
  vm.runInThisContext(fs.readFileSync(program, 'utf8'), {filename: 'solution.js'});
  let fn = vm.runInThisContext(`typeof ${name} === 'function' ? ${name} : undefined`);
  if (fn === undefined && typeof module.exports === 'object' && module.exports !== null &&
      typeof module.exports[name] === 'function') {
    fn = module.exports[name];
  }
  if (fn === undefined) {
    const Solution = vm.runInThisContext(`typeof Solution === 'function' ? Solution : undefined`);
    if (Solution !== undefined) {
      const instance = new Solution();
      if (typeof instance[name] === 'function') fn = instance[name].bind(instance);
    }
  }
  if (fn === undefined) throw new ReferenceError(`no function named ${name}`);
  const args = JSON.parse(fs.readFileSync(0, 'utf8') || '[]');
  if (!Array.isArray(args)) throw new TypeError('the arguments are not a JSON array');
  let value = fn(...args);
  if (value instanceof Promise) value = await value;
  let text;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch (e) {
    finish(1, {error: `unserialisable return value: ${describe(e)}`});
  }
  finish(0, {return: text});
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  finish(1, {error: describe(e)});
});

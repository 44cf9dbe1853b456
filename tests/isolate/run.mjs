// Runs the patternkit isolate module in V8 (Node.js), as an edge runtime would run it: no
// imports from the host, strings through the module's own memory.
//
//   node tests/isolate/run.mjs path/to/patternkit_isolate.wasm

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const path = process.argv[2];
const { instance, module } = await WebAssembly.instantiate(readFileSync(path), {});
assert.deepEqual(WebAssembly.Module.imports(module), [], "the module needs nothing from its host");

const wasm = instance.exports;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Writes `text` into the module's memory; its pointer and length.
function put(text) {
  const bytes = encoder.encode(text);
  const ptr = wasm.alloc(bytes.length);
  new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
  return [ptr, bytes.length];
}

// Calls an export that takes a string and writes one to `OUT`.
function call(name, text) {
  const len = text === undefined ? wasm[name]() : wasm[name](...put(text));
  return decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.OUT.value, len));
}

const checks = [
  ["factory: names, aliases, case", () => {
    assert.equal(wasm.channel_kind(...put("email")), 0);
    assert.equal(wasm.channel_kind(...put("TEXT")), 1);
    assert.equal(wasm.channel_kind(...put("push-notification")), 2);
    assert.equal(wasm.channel_kind(...put("fax")), -1);
  }],
  ["factory: the error's message", () => {
    assert.equal(
      call("channel_error", "emial"),
      'unknown `Channel` kind "emial"; expected one of "email", "sms", "text", ' +
        '"push-notification"; did you mean "email"?',
    );
    assert.equal(call("channel_error", "sms"), "sms");
  }],
  ["factory: trait objects", () => {
    assert.equal(wasm.price(...put("flat")), 500n);
    assert.equal(wasm.price(...put("discounted")), 380n);
    assert.equal(wasm.price(...put("free")), 0n);
  }],
  ["state machine: transitions and a rejection", () => {
    assert.equal(call("door", "oclu"), "Closed");
    assert.equal(call("door", "ocl"), "Locked");
    assert.equal(call("door", "lo"), "state `Locked` does not accept event `Open`");
    assert.match(call("door_diagram"), /^stateDiagram-v2\n\s+\[\*\] --> Closed/);
  }],
  ["CQRS: a command through the compile-time bus", () => {
    assert.equal(wasm.bus_add(40n, 2n), 42n);
  }],
  ["DI: the compile-time container, singletons and transients", () => {
    assert.equal(call("greet", "isolate"), "hello, isolate");
  }],
];

for (const [name, check] of checks) {
  check();
  console.log(`ok: ${name}`);
}
console.log(`isolate: ${checks.length} checks passed in V8 ${process.versions.v8}`);

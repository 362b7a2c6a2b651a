// Headless Debian Chromium through playwright-core, with the flags this machine needs.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Lets `memoryUsed` find the page's wasm memories: wraps `WebAssembly.instantiate` and
 * `instantiateStreaming` in every page of `context` to note each instance's exported memory.
 * (Chromium 156's renderer crashes on CDP's `Runtime.queryObjects` once a wasm module runs.)
 */
export function trackWasmMemories(context) {
  return context.addInitScript(() => {
    const memories = new Set();
    globalThis.__wasmMemories = memories;
    const note = (result) => {
      const instance = result instanceof WebAssembly.Instance ? result : result.instance;
      for (const value of Object.values(instance.exports)) {
        if (value instanceof WebAssembly.Memory) memories.add(value);
      }
      return result;
    };
    for (const name of ['instantiate', 'instantiateStreaming']) {
      const original = WebAssembly[name];
      WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(note);
    }
  });
}

/** A page's JS heap and its wasm memories, in bytes, after a garbage collection (CDP). */
export async function memoryUsed(session) {
  await session.send('HeapProfiler.collectGarbage');
  const { usedSize } = await session.send('Runtime.getHeapUsage');
  const { result } = await session.send('Runtime.evaluate', {
    returnByValue: true,
    expression: '[...globalThis.__wasmMemories].reduce((sum, m) => sum + m.buffer.byteLength, 0)',
  });
  if (typeof result.value !== 'number') throw new Error('memoryUsed: the page\'s context has no trackWasmMemories');
  return { jsHeap: usedSize, wasm: result.value };
}

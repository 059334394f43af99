/**
 * The onnxruntime worker's code, as a plain-JavaScript string run with `new Worker(code, { eval: true })`.
 *
 * Why a string: Node 20 workers cannot load TypeScript (loader hooks such as tsx are not applied
 * inside workers), so a .ts worker file would run from dist/ only, leaving tests and `npm run bench`
 * on a different path than production. This small, logic-free relay runs the same everywhere:
 * every decision (provider order, session options, error wording) is made on the main thread and
 * arrives as data in workerData; messages follow worker-protocol.ts.
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
// Named before onnxruntime starts its intra-op threads, which inherit the name (thread-name.ts).
try {
  require('node:fs').writeFileSync('/proc/thread-self/comm', workerData.threadName);
} catch {}
const ort = require(workerData.ortPath);
const post = (m, transfer) => parentPort.postMessage(m, transfer || []);
const text = (e) => (e instanceof Error ? e.message : String(e));
const shapes = (meta) => Object.fromEntries(meta.map((m) => [m.name, m.isTensor ? [...m.shape] : []]));

async function main() {
  let session;
  let provider;
  for (const a of workerData.attempts) {
    try {
      session = await ort.InferenceSession.create(workerData.modelPath, a.options);
      provider = a.provider;
      break;
    } catch (e) {
      post({ type: 'attempt-failed', provider: a.provider, message: text(e) });
    }
  }
  if (!session) {
    post({ type: 'open-failed' });
    parentPort.close();
    return;
  }
  post({
    type: 'ready',
    provider,
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    inputShapes: shapes(session.inputMetadata),
    outputShapes: shapes(session.outputMetadata),
  });
  const inputName = session.inputNames[0];
  // Shared input slots (shared-slots.ts): the main thread writes a run's input there; it is copied
  // into this thread's own buffer (onnxruntime-node refuses shared memory) just before the run. Runs
  // go one after another (run() blocks this thread anyway), so one such buffer serves every slot.
  const slots = new Map();
  let local = new Float32Array(0);
  let queue = Promise.resolve();
  parentPort.on('message', (req) => {
    if (req.type === 'slot') slots.set(req.slot, new Float32Array(req.buffer));
    else if (req.type === 'forget') slots.delete(req.slot);
    else queue = queue.then(() => (req.type === 'release' ? release() : run(req)));
  });
  async function release() {
    await session.release();
    post({ type: 'released' });
    parentPort.close();
  }
  async function run(req) {
    try {
      let input = req.input;
      if (req.slot !== undefined) {
        const shared = slots.get(req.slot);
        if (!shared) throw new Error('input slot ' + req.slot + ' is unknown');
        if (local.length < req.length) local = new Float32Array(req.length);
        input = new Float32Array(local.buffer, 0, req.length);
        input.set(shared.subarray(0, req.length));
      }
      const res = await session.run({ [inputName]: new ort.Tensor('float32', input, req.dims) });
      const outputs = {};
      const transfer = [];
      for (const [name, t] of Object.entries(res)) {
        if (t.type !== 'float32') throw new Error('output ' + name + ' is ' + t.type + ', expected float32');
        // Hand the buffer over without a copy when the tensor owns all of it.
        const whole = t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength && t.data.buffer instanceof ArrayBuffer;
        const data = whole ? t.data : t.data.slice();
        transfer.push(data.buffer);
        outputs[name] = { data, dims: [...t.dims] };
      }
      post({ type: 'result', id: req.id, outputs }, transfer);
    } catch (e) {
      post({ type: 'run-failed', id: req.id, message: text(e) });
    }
  }
}
main().catch((e) => {
  post({ type: 'attempt-failed', provider: 'cpu', message: text(e) });
  post({ type: 'open-failed' });
  parentPort.close();
});
`;

/**
 * Detector defaults in one object (habit 8), shared by the config section and `Detector.create`.
 *
 * CPU settings, measured on the 2-core development box (AMD EPYC, AVX2, no AVX-512; reproduce with
 * `npx tsx test/detect/bench-detector.ts`; the box was shared, so see the load noted):
 * - spinning off: with onnxruntime's default spin-waiting, idle intra-op threads burnt 30-50 ms of
 *   CPU per 200 ms of idle time, and with the cores shared (ffmpeg decoding, other processes)
 *   inference was 1.3-2x slower (fp32 median 307 vs 237 ms/frame at load ~2, 511 vs 341 at load
 *   5, 774 vs 511 at load 12). Spinning only wins when the cores are free: best runs 84 vs 92 ms.
 *   Idle box, 2 threads, spinning: fp32 78 ms median (72 min), int8 80 (77).
 * - threads 0 = onnxruntime's default, one per physical core (2 here). When the cores are busy
 *   anyway, 1 thread is as fast in wall time and cheaper in CPU; set `threads` per site.
 * - graph optimisation 'all' (onnxruntime's NCHWc layouts for AVX2): single-thread CPU per fp32
 *   frame 147-175 ms vs 190-238 ms with 'basic'/'extended'/'disabled'.
 * - fp32 is cheaper than int8 here (single thread, 'all': ~150-175 vs ~190-200 CPU-ms/frame), but
 *   the 44 vs 66 ms/frame of ../shared/data/SOURCES.md did not reproduce on this CPU: one fp32
 *   frame single-threaded took 128 ms at best, so two threads cannot go much below ~65 ms.
 * - inference runs on a worker thread (`worker`): onnxruntime-node's run() is synchronous and
 *   would stop the event loop, and with it ffmpeg pipe reads, for the whole inference. Cost of
 *   the input copy to the worker: within noise (best runs 93 vs 92 ms).
 */
export const DETECTOR_DEFAULTS = Object.freeze({
  model: 'yolov8n_fp32',
  providers: Object.freeze(['cpu'] as const),
  /** 0 = onnxruntime's default: one intra-op thread per physical core. */
  threads: 0,
  /** Idle intra-op threads do not spin-wait: the same cores decode video. */
  spinning: false,
  conf_threshold: 0.25,
  iou_threshold: 0.45,
  classes: Object.freeze(['person']),
  /**
   * Inference on a worker thread: onnxruntime-node's run() is synchronous and would block the
   * event loop (ffmpeg pipe reads, timers) for the whole inference.
   */
  worker: true,
  /** Boxes kept per frame after NMS (Ultralytics' max_det). */
  max_detections: 300,
  max_queue: 8,
});

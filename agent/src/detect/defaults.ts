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
 * - Re-measured 2026-12-01 on the current box (2 vCPUs of an Intel Xeon with AVX-512 VNNI and AMX;
 *   `npx tsx agent/bench/ort-settings.ts --runs 15`, configurations interleaved with a rotating
 *   order, load 0.7-1.4), ms/frame median wall (process CPU):
 *     yolov8n_fp32  2 threads 65 (117), 1 thread 84 (84)
 *     yolov8n_int8  2 threads 97 (160), 1 thread 125 (130): 1.5x slower than fp32 even with VNNI.
 *       Its dynamic quantisation runs ConvInteger + DynamicQuantizeLinear per layer, which
 *       onnxruntime's CPU provider does not optimise (maintainers, microsoft/onnxruntime#12854:
 *       "use static quantization for CNN based models"), so int8 stays off the CPU default.
 *     yolox_nano    2 threads 15 (26), 1 thread 16 (16): 4x cheaper, but its pooled F1 on the
 *       labelled set is 0.915 against fp32's 0.934 (manifest), outside the 1-point rule.
 *   Session settings against today's (2 threads, graph 'all', sequential, CPU arena on), load 1.3:
 *   graph 'extended' and executionMode 'parallel' were slower for every model; enableCpuMemArena
 *   false made no difference once the order rotated (an apparent gain was the position in the
 *   round). An OSNet ReID worker running beside the detector (1 or 2 threads) slowed fp32 from
 *   79 to 82-84 ms: no oversubscription penalty worth a per-site thread split.
 *   End to end (`npm run bench -- --seconds 40 --clips gop1,sub360 --variants full,motion-only
 *   --json [--model M | --threads 1]`, configurations in turn, second pass at load 2-3), sampled
 *   frames/s 1080p GOP 1 s full / motion-only: fp32 4.9 / 8.5, int8 5.0 / 7.1, fp32 1 thread
 *   4.1 / 7.0, yolox_nano 6.7 / 17.7. With appearance on, ReID (15-24 ms an embedding) caps all.
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
  /** Detector sessions behind the agent's queue (detector.sessions). */
  sessions: 1,
  /**
   * 'auto' fits the input to a 16:9 picture (640x384 for YOLOv8n instead of 640x640) when the
   * model's graph allows the derivation (models/derive.ts): the letterbox's padding rows, 44 % of a
   * 16:9 picture's square input, are not computed, and people stay at the same scale. 16:9 is the
   * shape of nearly every IP camera's main and sub stream (an anamorphic 704x576 substream is
   * stretched back to its main picture's shape in ingest); a camera taller than 16:9 would be shrunk,
   * so doctor warns about it and `floorsense setup` writes a WxH that fits the tallest camera.
   * Measured 2026-12-01 against 'native': detector alone 0.44-0.61 of the time (input-speed.ts);
   * on the labelled set (agent/bench/labelled-ab.ts, det-recall.ts) detector recall at 0.33 pooled
   * .896 -> .891 (the three retail clips identical, the wide street clip 216 -> 213 of 258), tracked
   * output IDF1 .887 -> .879 and recall .854 -> .844 (again the street clip alone, a 1080p wide
   * camera that README's rule sends to tiles, where auto means native), the checkout clip's till
   * service kept since the till rule of scene/observations.ts (atCounter).
   */
  input: 'auto',
  /**
   * 'auto' since 2026-12-02: int8 where it was measured to pay (models/precision.ts: the cpu provider
   * first, a VNNI x86 CPU, a model with a calibrated int8 variant), else fp32. 'int8' runs the static
   * mixed-precision int8 model derived from the fp32 file (models/quantize.ts; the stem and the class
   * heads' last two convs stay float): 0.62-0.70 of fp32's CPU per 640x384 frame, median 0.64 over
   * eight interleaved runs (`npx tsx agent/bench/input-speed.ts --inputs 640x384,640x384+int8
   * --rounds 60`, load 6-9), 0.68-0.71 in the 4-camera pipeline. On the labelled set at the auto
   * input: detector recall .891 for both; tracked pooled IDF1 .879 -> .888, recall .844 for both,
   * MOTA .801 -> .799; per clip the aisle clip gains a false positive (MOTA .917 -> .875, IDF1 .957 ->
   * .936) and checkout HOTA .842 -> .838, while the street clip gains (IDF1 .807 -> .836) (`npx tsx
   * agent/bench/labelled-ab.ts --variants 'input=auto,precision=fp32;input=auto,precision=int8'`).
   * The labelled floors are per precision (test/fixtures/labels/baseline.json figures_int8).
   */
  precision: 'auto' as 'auto' | 'fp32' | 'int8',
});

/** The picture shape 'auto' fits the detector input to. */
export const AUTO_INPUT_ASPECT = Object.freeze({ width: 16, height: 9 });

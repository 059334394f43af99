/**
 * Detection evaluation: COCO-style AP50 / AP50-95 (pycocotools' greedy matching and 101-point
 * interpolation) and YOLO-format label files.
 */
export {
  evaluateDetections,
  averagePrecision,
  boxIouXyxy,
  IOU_THRESHOLDS,
  RECALL_POINTS,
  type GtBox,
  type PredBox,
  type Xyxy,
  type DetEvalOptions,
  type DetMetrics,
  type ClassResult,
} from './ap.js';
export { parseYoloLabels, readYoloLabelFile, labelToXyxy, type YoloLabel } from './labels.js';
export { listLabelledImages, readDatasetLabels, collectDetections, type LabelledImage, type DetectDeps } from './dataset.js';
export { formatDetTable } from './table.js';
export {
  sizeRecall,
  poolRows,
  rates,
  bestF1Threshold,
  formatSizeRecallTable,
  binLabels,
  DEFAULT_BIN_EDGES,
  type SizeRecallOptions,
  type ThresholdRow,
  type BinCounts,
} from './size-recall.js';
export { detectionAgreement, type Agreement, type AgreementOptions } from './agreement.js';

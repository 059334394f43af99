#!/usr/bin/env bash
# GPU store-day check (issue 13), prepared for a lent GPU machine with no network; NOT run in the
# session that wrote it (no GPU was lent). Prints e2e camera-hours per wall-hour for 4 and 12
# archive cameras through one agent with the detector on onnxruntime-node's WebGPU provider,
# appearance on, as one JSON line each (agent/bench/store-day.ts), in well under 5 minutes.
#
# What it expects in the working tree (../shared/GPU.md says how to carry node and the Vulkan
# loader; this script adds the FloorSense side):
#   - node on PATH, or NODE=/path/to/node; node_modules carried (onnxruntime-node with its
#     bin/napi-v6/linux/x64, tsx, zod, pino, better-sqlite3 built for that node, ...);
#   - ffmpeg/ffprobe on PATH, or FFMPEG_DIR holding them (static builds are fine);
#   - FLOORSENSE_MODELS holding yolov8n_fp32.onnx and osnet_x0_25_msmt17.onnx;
#   - out/bench-cache/street_1080p_300s_gop1s.mp4 (made by `npm run bench` on the development box,
#     ~60 MB; the 360p one is 13 MB): each camera's export is a stream copy cut out of it, so nothing is encoded here;
#     FLOORSENSE_SHARED_DATA pointing at the shared data (the script checks the street clip exists);
#   - optionally VULKAN_DEBS, a folder of the .deb files GPU.md lists, unpacked into / first.
# Usage: bash agent/bench/gpu/store-webgpu.sh [seconds per camera, default 60]
set -euo pipefail
cd "$(dirname "$0")/../../.."
SECONDS_PER_CAMERA="${1:-60}"
NODE="${NODE:-node}"
if [ -n "${FFMPEG_DIR:-}" ]; then export PATH="$FFMPEG_DIR:$PATH"; fi
command -v ffmpeg >/dev/null || { echo "store-webgpu: ffmpeg not found (put it on PATH or set FFMPEG_DIR)" >&2; exit 2; }
command -v "$NODE" >/dev/null || { echo "store-webgpu: node not found (set NODE)" >&2; exit 2; }
: "${FLOORSENSE_MODELS:?set FLOORSENSE_MODELS to the folder holding yolov8n_fp32.onnx and osnet_x0_25_msmt17.onnx}"
if [ -n "${VULKAN_DEBS:-}" ]; then
  for f in "$VULKAN_DEBS"/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd"; break; fi
done
echo "store-webgpu: VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}, $(nproc) cores, $("$NODE" --version)" >&2
for cams in 4 12; do
  # A provider that cannot start falls back to cpu with a warning on stderr: read it before the figure.
  timeout 280 "$NODE" --import tsx agent/bench/store-day.ts --cameras "$cams" --seconds "$SECONDS_PER_CAMERA" --providers webgpu --json
done

#!/bin/bash
# The labelled clips at the product's 1 fps under both detector precisions, as baseline.json's
# figures_1fps / figures_int8_1fps were measured: analyze --fps 1 with the clip's config and
# detector.precision P, eval mot on the labels' every other frame (--stride <source fps>), eval events.
# One JSON line per clip and precision. Usage: bash agent/bench/labelled-1fps.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-out/labelled-1fps}
data=${FLOORSENSE_SHARED_DATA:-../shared/data}
for prec in int8 fp32; do
  for c in checkout_counter_cashier:video/checkout_counter_cashier.mp4:config/stores/checkout-demo.yaml \
    store_aisle_shoppers:video/store_aisle_shoppers.gif: street_elevated_pedestrians:video/street_elevated_pedestrians.mp4:; do
    IFS=: read -r name vid cfg <<< "$c"
    dir=$out/$prec/$name
    rm -rf "$dir" && mkdir -p "$dir"
    # The clip's config (or a bare one) with detector.precision set, through the repository's own yaml package.
    node --input-type=module -e "
      import { readFileSync, writeFileSync } from 'node:fs';
      import { parse, stringify } from 'yaml';
      const [cfg, prec, dst] = process.argv.slice(1);
      const d = cfg ? parse(readFileSync(cfg, 'utf8')) : { store: { id: 'labelled' } };
      d.detector = { ...(d.detector ?? {}), precision: prec };
      writeFileSync(dst, stringify(d));
    " "$cfg" "$prec" "$dir/config.yaml"
    node bin/floorsense.js analyze "$data/$vid" --fps 1 --no-preview --out "$dir" --config "$dir/config.yaml" > /dev/null 2>&1
    sfps=$(node -e "console.log(Math.round(JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).source_fps))" "$dir/summary.json")
    zones=()
    [ -n "$cfg" ] && zones=(--config "$dir/config.yaml")
    mot=$(node bin/floorsense.js eval mot --gt "test/fixtures/labels/$name/gt.txt" --pred "$dir/$name.txt" --stride "$sfps" --json)
    ev=$(node bin/floorsense.js eval events --gt "test/fixtures/labels/$name" --pred "$dir" "${zones[@]}" --json)
    echo "{\"precision\":\"$prec\",\"clip\":\"$name\",\"mot\":$mot,\"events\":$ev}"
  done
done

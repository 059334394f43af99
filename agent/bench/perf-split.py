#!/usr/bin/env python3
"""Where the agent's CPU samples go, by thread and by kind, from a `perf record -g` file.

    W=out/bench-store/sub360-4x30s   # written by npm run bench:store -- --cli ... (store.yaml)
    rm -f $W/store.db*; MALLOC_ARENA_MAX=2 perf record -F 300 -g -o out/perf.data -- \\
      node --perf-basic-prof bin/floorsense.js run --once --config $W/store.yaml
    python3 agent/bench/perf-split.py out/perf.data

Threads: the onnxruntime workers (`ort:<model>`, named by runtime/thread-name.ts), the agent's main
thread (the lowest tid named `node`), Node's other threads (`node/platform`: V8's GC and JIT
helpers), ffmpeg, ffprobe. Kinds, from each sample's call chain: gc, compile (V8's JIT and parser),
structured clone, the JS function on top (named by --perf-basic-prof), memcpy, else the leaf symbol.
"""
import collections
import re
import subprocess
import sys


def samples(path):
    out = subprocess.run(['perf', 'script', '-i', path, '-F', 'comm,tid,ip,sym'], capture_output=True, text=True, check=True).stdout
    cur = None
    for line in out.split('\n'):
        if not line.strip():
            if cur:
                yield cur
            cur = None
        elif not line.startswith('\t'):
            if cur:
                yield cur
            parts = line.split()
            cur = (' '.join(parts[:-1]), int(parts[-1]), [])
        elif cur:
            cur[2].append(line.strip().split(' ', 1)[-1])
    if cur:
        yield cur


def kind(chain):
    s = ' '.join(chain)
    leaf = chain[0] if chain else ''
    if re.search(r'Marking|Sweeper|Scaveng|MarkCompact|Heap::|Evacuat|GCTracer|ArrayBufferSweeper|MinorMC|MemoryAllocator', s):
        return 'gc'
    if re.search(r'compiler::|Compile|Parser|Sparkplug|Baseline|Maglev|turboshaft|parsing::', s):
        return 'compile'
    if re.search(r'ValueSerializer|ValueDeserializer|Message::Serialize|Message::Deserialize', s):
        return 'structured clone'
    if leaf.startswith('JS:'):
        return 'js:' + re.sub(r'file://\S*?/(dist|agent|node_modules)/', r'\1/', re.sub(r'^JS:[*^~]?', '', leaf))[:70]
    if 'memmove' in leaf or 'memcpy' in leaf:
        return 'memcpy'
    return 'other:' + leaf[:60]


def main(path, top=40):
    all_ = list(samples(path))
    node_tids = [t for c, t, _ in all_ if c == 'node']
    main_tid = min(node_tids) if node_tids else -1
    by_thread = collections.Counter()
    by_kind = collections.Counter()
    for comm, tid, chain in all_:
        who = comm if comm != 'node' else ('node/main' if tid == main_tid else 'node/platform')
        by_thread[who] += 1
        if comm in ('node', 'rollup') or comm.startswith('ort:'):
            by_kind[(who, kind(chain))] += 1
    n = len(all_) or 1
    print(f'{len(all_)} samples')
    for who, c in by_thread.most_common():
        print(f'{c / n * 100:6.1f} %  {who}')
    print()
    for (who, k), c in by_kind.most_common(top):
        print(f'{c / n * 100:6.2f} %  {who:18} {k}')


if __name__ == '__main__':
    main(sys.argv[1])

"""
Run a published tracker (SORT or OC-SORT) from its own reference repository, unmodified, on a
MOTChallenge det.txt and write MOT rows that `floorsense eval mot` scores. Nothing of theirs is
copied here: the repository path is an argument and its modules are imported from there.

    python3 agent/bench/peers/run_peer.py sort   /path/to/abewley+sort   det.txt out.txt [--stride N]
    python3 agent/bench/peers/run_peer.py ocsort /path/to/OC_SORT        det.txt out.txt [--stride N]

Default parameters of each reference run script (SORT: max_age 1, min_hits 3, iou 0.3; OC-SORT
tools/run_ocsort_public.py / utils/args.py: det_thresh 0.6, max_age 30, min_hits 3, iou 0.3,
delta_t 3, inertia 0.2, asso iou). A stride keeps frames (f - 1) % N == 0 and feeds them as
consecutive frames, as a shop camera sampled every Nth frame would.

Both import filterpy (not in Debian, and PyPI is unreachable here): see shim_filterpy. SORT's plotting imports (matplotlib, skimage) are unused
when it is imported as a module and are stubbed.
"""
import argparse, os, sys, types
from collections import defaultdict
import numpy as np

p = argparse.ArgumentParser()
p.add_argument('tracker', choices=['sort', 'ocsort'])
p.add_argument('repo')
p.add_argument('det')
p.add_argument('out')
p.add_argument('--stride', type=int, default=1)
p.add_argument('--ocsort-repo', default=None, help='OC-SORT repo (for the Kalman class SORT needs)')
a = p.parse_args()

rows = np.loadtxt(a.det, delimiter=',', ndmin=2)
by_frame = defaultdict(list)
for r in rows:
    f = int(r[0])
    if (f - 1) % a.stride == 0 and r[4] > 0 and r[5] > 0:
        by_frame[f].append([r[2], r[3], r[2] + r[4], r[3] + r[5], r[6]])
last = int(rows[:, 0].max()) if len(rows) else 0

def shim_filterpy(ocsort_repo):
    """filterpy is not installable here. OC-SORT's kalmanfilter.py needs only filterpy.common.reshape_z
    on its update path (logpdf / pretty_str serve likelihood and printing); SORT needs the
    KalmanFilter class, for which OC-SORT's KalmanFilterNew (a port of filterpy's) stands in."""
    def reshape_z(z, dim_z, ndim):  # our own few lines with filterpy's documented behaviour
        z = np.atleast_2d(z)
        if z.shape[1] == dim_z:
            z = z.T
        if ndim == 1:
            z = z[:, 0]
        if ndim == 0:
            z = z[0, 0]
        return z
    def unavailable(*_a, **_k):
        raise RuntimeError('filterpy function not available in this shim')
    mods = {n: types.ModuleType(n) for n in ['filterpy', 'filterpy.stats', 'filterpy.common', 'filterpy.kalman']}
    mods['filterpy.stats'].logpdf = unavailable
    mods['filterpy.common'].pretty_str = lambda *x, **k: ''
    mods['filterpy.common'].reshape_z = reshape_z
    mods['filterpy.common'].Q_discrete_white_noise = unavailable
    mods['filterpy.common'].Saver = unavailable
    sys.modules.update(mods)
    sys.path.insert(0, ocsort_repo)
    from trackers.ocsort_tracker.kalmanfilter import KalmanFilterNew
    mods['filterpy.kalman'].KalmanFilter = KalmanFilterNew

if a.tracker == 'sort':
    shim_filterpy(a.ocsort_repo or os.environ['OCSORT_REPO'])
    for m in ['matplotlib', 'matplotlib.pyplot', 'matplotlib.patches', 'skimage']:
        mod = types.ModuleType(m); mod.use = lambda *x, **k: None; mod.io = None; sys.modules[m] = mod
    sys.path.insert(0, a.repo)
    import sort as sortmod
    trk = sortmod.Sort(max_age=1, min_hits=3, iou_threshold=0.3)
    step = lambda d: trk.update(d)
else:
    shim_filterpy(a.repo)
    from trackers.ocsort_tracker.ocsort import OCSort
    trk = OCSort(det_thresh=0.6, max_age=30, min_hits=3, iou_threshold=0.3, delta_t=3, asso_func='iou', inertia=0.2)
    step = lambda d: trk.update(d, (1, 1), (1, 1))

out = []
for f in range(1, last + 1, a.stride):
    d = np.array(by_frame.get(f, []), dtype=float).reshape(-1, 5)
    res = step(d)
    for t in res:
        x1, y1, x2, y2, tid = t[:5]
        out.append(f'{f},{int(tid)},{x1:.2f},{y1:.2f},{x2 - x1:.2f},{y2 - y1:.2f},1,-1,-1,-1')
with open(a.out, 'w') as fh:
    fh.write('\n'.join(out) + '\n')
print(f'{a.tracker}: {len(out)} boxes from {sum(len(v) for v in by_frame.values())} detections, stride {a.stride}')

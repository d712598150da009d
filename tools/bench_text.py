#!/usr/bin/env python3
"""How reading a large text scales, and how fast the ladder's best rungs train on it.

1. Loading: the standard library's own `.py` files, cut to 1, 5 and 20 MB, read with `read_corpus` at character and
   word level, each in a fresh Python process: seconds, and peak memory (the process's maximum resident set, less what
   it held before reading).
2. Training throughput: `gru7` and `tfm` at their own sizes, on the 20 MB text at character level, at one and two
   threads: characters (targets) per second over `--batches` training batches, after a few batches of warm-up.

Usage: python tools/bench_text.py [--sizes 1,5,20] [--batches 60] [--out nbs/data/bench_text.json]
Run it on a quiet machine (under the CPU lock where several people share one); it takes a few minutes.
"""
import argparse, json, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

LOAD = '''
import resource, sys, time, json
sys.path.insert(0, {root!r})
from rnn_from_scratch.corpus import read_corpus
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
c = read_corpus({path!r}, level={level!r})
secs = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(dict(seconds=secs, peak_mb=(peak - before) / 1024, tokens=len(c.train) + len(c.valid), vocab=len(c.vocab), dtype=str(c.train.dtype))))
'''

THROUGHPUT = '''
import sys, time, json, torch
sys.path.insert(0, {root!r})
torch.set_num_threads({threads})
from fastai.callback.core import Callback, CancelFitException
from rnn_from_scratch.corpus import read_corpus
from rnn_from_scratch.ladder import rung_learner
class Clock(Callback):
    "Time `n` training batches after `warm` of warm-up, then stop."
    def __init__(self, warm, n): self.warm, self.n, self.i = warm, n, 0
    def before_batch(self):
        if self.i == self.warm: self.t = time.perf_counter()
    def after_batch(self):
        if not self.training: return
        self.i += 1
        if self.i == self.warm + self.n: self.secs = time.perf_counter() - self.t; raise CancelFitException()
c = read_corpus({path!r}, level='char')
learn = rung_learner({rung!r}, 0, corpus=c)
clock = Clock(5, {batches})
with learn.no_bar(), learn.no_logging(): learn.fit(1, 1e-3, cbs=clock)
x, _ = learn.dls.one_batch()
print(json.dumps(dict(tokens_per_s={batches} * x.numel() / clock.secs, batch=list(x.shape), seconds=clock.secs)))
'''

def py(code:str)->dict:
    "Run `code` in a fresh Python; the JSON it prints last."
    r = subprocess.run([sys.executable, '-W', 'ignore', '-c', code], capture_output=True, text=True)
    if r.returncode: raise SystemExit(r.stderr[-2000:])
    return json.loads(r.stdout.strip().splitlines()[-1])

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--sizes', default='1,5,20', help='text sizes in MB')
    ap.add_argument('--batches', type=int, default=60, help='training batches timed per throughput run')
    ap.add_argument('--out', default=str(ROOT/'nbs'/'data'/'bench_text.json'))
    a = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import torch
    from rnn_from_scratch.corpus import python_source_text
    sizes = [float(s) for s in a.sizes.split(',')]
    out = dict(torch=torch.__version__, python=sys.version.split()[0], load=[], throughput=[])
    with tempfile.TemporaryDirectory() as tmp:
        files = {}
        for mb in sizes:
            f = Path(tmp)/f'stdlib_{mb:g}MB.py.txt'
            f.write_text(python_source_text(int(mb * 1_000_000)))
            files[mb] = f
            for level in ('char', 'word'):
                r = dict(mb=mb, level=level) | py(LOAD.format(root=str(ROOT), path=str(f), level=level))
                print(json.dumps(r)); out['load'].append(r)
        big = files[max(sizes)]
        for rung in ('gru7', 'tfm'):
            for threads in (1, 2):
                r = dict(rung=rung, threads=threads, mb=max(sizes)) | py(THROUGHPUT.format(root=str(ROOT), path=str(big), rung=rung, threads=threads, batches=a.batches))
                print(json.dumps(r)); out['throughput'].append(r)
    Path(a.out).write_text(json.dumps(out, indent=2) + '\n')
    print(f"wrote {a.out}")

if __name__ == '__main__': main()

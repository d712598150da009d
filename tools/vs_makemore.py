#!/usr/bin/env python3
"""Our best character-level rung beside makemore's GRU and Transformer, on makemore's `names.txt` and makemore's own split,
each trained for the same wall-clock budget on this machine, one after another.

It runs karpathy/makemore's `makemore.py` as it is (its code is not part of this repository: give its path), from a
temporary folder, with `torch.utils.tensorboard` replaced by a stub that writes nothing where tensorboard is not
installed. Each run's number of steps (or epochs, for ours) is set from short calibration runs (makemore: 600 and 1,200 steps; ours: two epochs) so that it lasts about
`--budget` seconds. Reported for each: the test loss per character in nats (every character of every test name and its
end-of-name token), both as makemore prints it (the mean over its 10 test batches, at its last evaluation) and exactly
(the sum over all test characters divided by their number, computed here from the model makemore saved, which is its
best on the test set); and the training throughput in characters (targets) per second of wall-clock time.

Usage: python tools/vs_makemore.py --makemore PATH/makemore.py [--budget 300] [--out nbs/data/vs_makemore.json]
Run it on a quiet machine (under the CPU lock where several people share one); it takes about 4.5 x budget.
Without makemore.py or names.txt it says so in one line and exits 0.
"""
import argparse, json, math, os, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STUB = '''import sys, types, runpy
try: import tensorboard  # noqa: F401
except ImportError:
    m = types.ModuleType('torch.utils.tensorboard')
    class SummaryWriter:
        def __init__(self, *a, **k): pass
        def add_scalar(self, *a, **k): pass
        def flush(self): pass
    m.SummaryWriter = SummaryWriter
    sys.modules['torch.utils.tensorboard'] = m
sys.argv = ['makemore.py'] + sys.argv[1:]
runpy.run_path('makemore.py', run_name='__main__')
'''

def run_makemore(mm:Path, names:Path, kind:str, steps:int, work:Path)->dict:
    "Run makemore.py for `steps` steps in `work`; its wall-clock seconds and the test losses it printed."
    work.mkdir(parents=True, exist_ok=True)
    shutil.copy(mm, work/'makemore.py'); shutil.copy(names, work/'names.txt')
    (work/'run.py').write_text(STUB)
    t = time.perf_counter()
    r = subprocess.run([sys.executable, 'run.py', '-i', 'names.txt', '-o', 'out', '--type', kind, '--max-steps', str(steps)],
                       cwd=work, capture_output=True, text=True)
    secs = time.perf_counter() - t
    if r.returncode: raise SystemExit(f"makemore --type {kind} failed:\n{r.stderr[-2000:]}")
    tests = [(int(s), float(tl)) for s, tl in re.findall(r'step (\d+) train loss: [\d.]+ test loss: ([\d.]+)', r.stdout)]
    params = re.search(r'model #params: (\d+)', r.stdout)
    return dict(seconds=secs, tests=tests, params=int(params.group(1)) if params else None, stdout=r.stdout)

def exact_makemore_loss(work:Path, kind:str)->float:
    "The exact test loss per character of the model makemore saved in `work/out`, on makemore's own test split."
    import importlib.util, torch, torch.nn.functional as F
    sys.path.insert(0, str(work))
    exec(STUB.split("sys.argv")[0])  # the tensorboard stub, if needed
    spec = importlib.util.spec_from_file_location('makemore_run', work/'makemore.py')
    mm = importlib.util.module_from_spec(spec); spec.loader.exec_module(mm)
    torch.manual_seed(3407)  # as makemore.py does before it splits
    import io, contextlib
    with contextlib.redirect_stdout(io.StringIO()): train, test = mm.create_datasets(str(work/'names.txt'))
    cfg = mm.ModelConfig(vocab_size=train.get_vocab_size(), block_size=train.get_output_length(), n_layer=4, n_head=4, n_embd=64, n_embd2=64)
    with contextlib.redirect_stdout(io.StringIO()): model = mm.Transformer(cfg) if kind == 'transformer' else mm.RNN(cfg, cell_type=kind)
    model.load_state_dict(torch.load(work/'out'/'model.pt', map_location='cpu', weights_only=True)); model.eval()
    X, Y = map(torch.stack, zip(*[test[i] for i in range(len(test))]))
    with torch.no_grad(): logits, _ = model(X)
    nll = F.cross_entropy(logits.view(-1, logits.size(-1)), Y.view(-1), ignore_index=-1, reduction='sum')
    return float(nll / (Y != -1).sum())

def makemore_side(mm, names, kind, budget, tmp, train_targets_per_name):
    "Calibrate, then run makemore `kind` for about `budget` seconds."
    t1, t2 = (run_makemore(mm, names, kind, n, tmp/f'{kind}_cal{n}')['seconds'] for n in (600, 1200))
    per_step = (t2 - t1) / 600  # seconds per step, evaluations and samples included, without the start-up
    steps = max(600, int((budget - (t1 - 600 * per_step)) / per_step))
    res = run_makemore(mm, names, kind, steps, tmp/kind)
    last_step, last = res['tests'][-1]
    counts = re.findall(r'(\d+) samples that are (in train|in test|new):', res['stdout'])[-3:]  # its last sample of 10 names
    return dict(model=f'makemore --type {kind}', steps=steps, seconds=res['seconds'], params=res['params'],
                test_loss_printed=last, test_loss_printed_step=last_step, test_loss_best_printed=min(t for _, t in res['tests']),
                test_loss=exact_makemore_loss(tmp/kind, kind),
                tokens_per_s=steps * 32 * train_targets_per_name / res['seconds'], last_samples={k: int(n) for n, k in counts})

def ours(names, rung, budget, hp):
    "Calibrate with one epoch, then train `rung` with `hp` for about `budget` seconds on makemore's split; its exact test loss."
    sys.path.insert(0, str(ROOT))
    from rnn_from_scratch.corpus import read_items, makemore_split, items_corpus, stream_loss, sample_lines, novelty
    from rnn_from_scratch.ladder import fit_rung
    tr, te = makemore_split(read_items(names))
    corpus = items_corpus(tr, te, name='names.txt')
    o = fit_rung(rung, 0, quiet=True, corpus=corpus, **(hp | dict(epochs=2)))
    epochs = max(1, int(budget / (o['seconds'] / 2)))
    o = fit_rung(rung, 0, quiet=True, corpus=corpus, **(hp | dict(epochs=epochs)))
    learn = o['learn']
    per_epoch = len(learn.dls.train) * learn.dls.train.bs * len(learn.dls.train_ds[0][0])
    samples = sample_lines(learn.model, corpus, 200, temperature=1., seed=0)
    return dict(model=f"rnn_from_scratch {rung} " + ' '.join(f'{k}={v}' for k, v in hp.items()), epochs=epochs,
                seconds=o['seconds'], params=o['params'], test_loss=stream_loss(learn.model, corpus.valid),
                valid_loss_batches=o['loss'], tokens_per_s=epochs * per_epoch / o['seconds'],
                new_share=novelty(samples, tr), new_share_vs_all=novelty(samples, tr + te), samples=samples[:24])

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--makemore', default=os.environ.get('MAKEMORE'), help="path of makemore.py (default: $MAKEMORE)")
    ap.add_argument('--names', default=str(ROOT/'rnn_from_scratch'/'data'/'names.txt'))
    ap.add_argument('--budget', type=float, default=300., help='seconds of training for each model')
    ap.add_argument('--rung', default='gru7')
    ap.add_argument('--hp', default='n_hidden=256,sl=32,bs=32', help='our rung\'s overrides, e.g. n_hidden=256,sl=64,bs=64,lr=0.005')
    ap.add_argument('--only', default='ours,gru,transformer')
    ap.add_argument('--out', default=str(ROOT/'nbs'/'data'/'vs_makemore.json'))
    ap.add_argument('--keep', action='store_true', help='keep the runs of other models already in --out')
    a = ap.parse_args(argv)
    names = Path(a.names)
    if not names.is_file(): print(f"vs_makemore: skipped: no {names}"); return
    if not a.makemore or not Path(a.makemore).is_file(): print("vs_makemore: skipped: makemore.py not found (give --makemore PATH)"); return
    import torch
    words = [w.strip() for w in names.read_text().splitlines() if w.strip()]
    per_name = sum(len(w) + 1 for w in words) / len(words)
    hp = {k: (float(v) if k == 'lr' else int(v)) for k, v in (kv.split('=') for kv in a.hp.split(',') if kv)}
    out = dict(budget_s=a.budget, threads=torch.get_num_threads(), torch=torch.__version__, names=len(words), runs=[])
    with tempfile.TemporaryDirectory() as tmp:
        for what in a.only.split(','):
            r = ours(names, a.rung, a.budget, hp) if what == 'ours' else makemore_side(Path(a.makemore), names, what, a.budget, Path(tmp), per_name)
            print(json.dumps(r)); out['runs'].append(r)
    if Path(a.out).exists() and a.keep:  # keep the other models' runs of an earlier run
        new = {r['model'] for r in out['runs']}
        out['runs'] = [r for r in json.loads(Path(a.out).read_text())['runs'] if r['model'] not in new] + out['runs']
    Path(a.out).write_text(json.dumps(out, indent=2) + '\n')
    print(f"wrote {a.out}")

if __name__ == '__main__': main()

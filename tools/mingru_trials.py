#!/usr/bin/env python3
"""What was tried to bring the `mingru` rung to its aim: each variant trained once on seed 0 at one torch thread, scored as
the ladder scores a sequence rung, and written to `nbs/mingru_trials.json`, which page 08d_mingru shows.

Each row is the rung (`mingru_model`, `mingru_learner`, 25 epochs at 3e-3) with one change. Besides accuracy, losses and
count accuracy, each row records how often the thousands word of a validation number (8,001..9,999) is wrong, and what the
model writes, greedily, after the prompt `nine thousand three hundred five .`.

Usage: python tools/mingru_trials.py [--jobs 2] [--only NAME_PART] [--out nbs/mingru_trials.json]
Each trial takes about two minutes per 25 epochs at one thread; `--jobs` trials run at once (one per core). Results depend on the torch
version and the thread count; the file records both.
"""
import argparse, json, sys, time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROMPT = 'nine thousand three hundred five .'
TRIALS = [  # name, MinGRULM keywords (over the rung's), mingru_learner keywords, fit_rung overrides, linear candidate
    ('no convolution (k=1)', dict(conv=1), {}, {}, False),
    ('the rung: convolution k=4', {}, {}, {}, False),
    ('convolution k=8', dict(conv=8), {}, {}, False),
    ('dropout 0.1', dict(p=0.1), {}, {}, False),
    ('3 blocks, minGRU 64, MLP 128', dict(n_layers=3, expand=1, n_ff=128), {}, {}, False),
    ('weight decay 1.0', {}, dict(wd=1.0), {}, False),
    ('weight decay 0.01', {}, dict(wd=0.01), {}, False),
    ('learning rate 1e-2', {}, {}, dict(lr=1e-2), False),
    ('50 epochs', {}, {}, dict(epochs=50), False),
    ('100 epochs', {}, {}, dict(epochs=100), False),
    ('200 epochs', {}, {}, dict(epochs=200), False),
    ('sequences of 64 tokens', {}, {}, dict(sl=64), False),
    ("unbroken streams (gru7's batches)", {}, dict(fresh=False), {}, False),
    ('candidate without g (linear space, doubling scan)', {}, {}, {}, True),
]
RUNG = dict(n_hidden=64, n_layers=2, expand=2, n_ff=192, p=0.3, conv=4)  # mingru_model's settings (checked below)

def run(trial):
    "Train one trial on seed 0 at one thread; return its record."
    name, mkw, lkw, hp, linear = trial
    import torch
    from functools import partial
    from rnn_from_scratch.mingru import MinGRU, MinGRULM, mingru_model, mingru_learner, scan_doubling
    from rnn_from_scratch.ladder import register_rung, fit_rung, get_rung, n_params
    from rnn_from_scratch.data import sequence_dls
    from rnn_from_scratch.evaluate import ladder_extras
    from rnn_from_scratch.generate import generate
    torch.set_num_threads(1)
    assert n_params(MinGRULM(30, **RUNG)) == n_params(mingru_model(30)), 'RUNG no longer matches mingru_model'
    class LinearMinGRU(MinGRU):
        "minGRU whose candidate is the linear map itself (no g, so the state can be negative), run by the doubling scan."
        def forward(self, x, h0=None):
            k, c = self.lin(x).chunk(2, dim=-1)
            h = scan_doubling(torch.sigmoid(-k), torch.sigmoid(k) * c, h0)
            return h, h[:, -1]
    def model(vocab_sz):
        m = MinGRULM(vocab_sz, **(RUNG | mkw))
        if linear:
            for b in m.blocks: b.rnn.__class__ = LinearMinGRU
        return m
    rung = get_rung('mingru')
    register_rung('mingru_trial', model, partial(mingru_learner, **lkw), rung.data, epochs=rung.epochs, lr=rung.lr, kind='seq')
    t = time.time()
    o = fit_rung('mingru_trial', 0, quiet=True, **hp)
    learn = o.pop('learn')
    ex = ladder_extras(get_rung('mingru_trial'), learn)
    ep = ex['error_profile']
    writes = generate(learn.model, list(learn.dls.vocab), PROMPT, 12).split(' . ')[0] + ' .'
    rec = dict(trial=name, params=o['params'], accuracy=o['accuracy'], train_loss=o['train_loss'], loss=o['loss'],
               count_1=ex['count_1'], count_1_from_8001_9999=ex['count_1_from_8001_9999'],
               thousands_word_8xxx=ep['thousands_word_8xxx'], thousands_word_9xxx=ep['thousands_word_9xxx'],
               writes_after=writes, seconds=round(time.time() - t))
    print(json.dumps(rec), flush=True)
    return rec

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--jobs', type=int, default=2, help='trials at once (one core each)')
    ap.add_argument('--only', default=None, help="run only the trials whose name contains this; the file's other rows are kept")
    ap.add_argument('--out', default=str(ROOT/'nbs'/'mingru_trials.json'), help='the JSON file to write')
    a = ap.parse_args()
    trials = [t for t in TRIALS if a.only is None or a.only in t[0]]
    if not trials: sys.exit(f"mingru_trials: no trial name contains {a.only!r}")
    with ProcessPoolExecutor(a.jobs, mp_context=get_context('fork')) as ex: new = {r['trial']: r for r in ex.map(run, trials)}
    import torch
    out = Path(a.out)
    old = json.loads(out.read_text()) if a.only and out.exists() else {}
    if old and old.get('torch') != torch.__version__: sys.exit(f"mingru_trials: {out} was written with torch {old.get('torch')}, this is {torch.__version__}: run every trial")
    kept = {r['trial']: r for r in old.get('rows', [])}
    rows = [new.get(t[0], kept.get(t[0])) for t in TRIALS if t[0] in new or t[0] in kept]
    out.write_text(json.dumps(dict(seed=0, threads=1, torch=torch.__version__, prompt=PROMPT, rows=rows), indent=1) + '\n')
    print(f"wrote {len(new)} new and {len(rows) - len(new)} kept trials to {out}")

if __name__ == '__main__': main()

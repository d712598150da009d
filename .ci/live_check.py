#!/usr/bin/env python3
"""Check the live page ("Try it", nbs/13_try_it.ipynb) and the home page's widget as a reader uses them, in headless Chromium,
and check that the committed weights belong to the committed recipes. The steps run in this order:

1. The committed models (`rnn_from_scratch/live_models/*.json`): each within the budget of 1 MB of page weight, its data
   matching its hash, and its recipe stamp equal to its rung's recipe now (a changed recipe with old weights fails here,
   without training anything).
2. The stored widgets of `nbs/13_try_it.ipynb` and `nbs/index.ipynb` hold exactly the committed models and the library's
   JavaScript (run the pages again after exporting).
3. The stand-in render of both pages, as `.ci/docs_check.py` makes it (`nbdev-proc-nbs`, then nbconvert HTML), opened from
   file:// URLs in Chromium (Playwright's Python package with Debian's `chromium`):
   a. Try it: for each model and each prompt, type it, press Write, read the page: every row's logits within PARITY_TOL
      of PyTorch's on the same rounded weights, the greedy text equal to `generate(..., temperature=0)`, every row with
      five next words and a state strip; and the continuation of each check prompt equal to what the checkpoint's own
      model wrote at export (`rnn-generate` from the same checkpoint);
   b. bad input: an unknown word is named and the page keeps working; an empty prompt; a prompt longer than tfm's window
      is explained, and still read as PyTorch reads it;
   c. sampling: the same seed gives the same text;
   d. the home page's compact widget, with the same parity check;
   e. two widgets inserted as JupyterLab inserts a cell's output (innerHTML, then its scripts cloned) both run, apart.
4. The check can fail: with one weight matrix transposed in the JavaScript (the GRU's state-to-gates matrix, the
   attention's output projection), the parity check of 3a fails.
5. With --retrain RUNGS: train seed 0 of those rungs again (`rnn-ladder --save`, with the thread count the export
   recorded), export it and compare it with the committed model (`compare_retrained`: bit for bit where torch and threads
   are the recorded ones, else validation accuracy within RETRAIN_TOL).

Usage: python .ci/live_check.py [--retrain lm7] [--out _live_check]
       python .ci/live_check.py --plant "p['rnn.weight_hh_l' + l]"   (a weight matrix read transposed: it must fail)
"""
import argparse, json, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT/'.ci'))
import docs_check  # the stand-in render: nbdev-proc-nbs, then nbconvert HTML
from rnn_from_scratch.live import (LIVE_RUNGS, BUDGET, PARITY_TOL, PARITY_PROMPTS, JS_ALL, load_live, page_weight, stale_recipes,
                                   in_browser, write_in, parity, transposed, export_model, compare_retrained, browser_missing, live_html)
import rnn_from_scratch.live as live

PAGES = {'13_try_it': 'nbs/13_try_it.ipynb', 'index': 'nbs/index.ipynb'}
errors = []

def check(ok, what):
    "Record a failed check (and go on, to report every failure at once)."
    print(f"   {'ok  ' if ok else 'FAIL'} {what}", flush=True)
    if not ok: errors.append(what)
    return ok

def stored_widgets(nb:Path)->list:
    "The data and the script of every stored widget output of notebook `nb`."
    res = []
    for c in json.loads(nb.read_text())['cells']:
        for o in c.get('outputs', []):
            h = o.get('data', {}).get('text/html', '')
            h = ''.join(h) if isinstance(h, list) else h
            if 'data-rnn-live=' not in h: continue
            data = json.loads(re.search(r'<script type="application/json" class="rl-data">(.*?)</script>', h, re.S).group(1))
            res.append((data, h))
    return res

def committed(entries):
    print("1. the committed models", flush=True)
    for r, e in entries.items():
        import hashlib
        check(page_weight(e) <= BUDGET, f"{r}: {page_weight(e):,} bytes of page weight, within the budget of {BUDGET:,}")
        check(hashlib.sha256(e['data'].encode()).hexdigest() == e['data_sha256'], f"{r}: its weights match their hash")
        check(all(c['checkpoint'] == c['rounded'] for c in e['checks']), f"{r}: rounding to float16 left the greedy text of the checkpoint unchanged")
    stale = stale_recipes(entries)
    check(not stale, "every committed model was exported from its rung's recipe as it is now" + (
        f": {'; '.join(stale)}. Export them again: rnn-ladder --rungs {','.join(LIVE_RUNGS)} --seeds 0 --threads 2 --save ckpts --quiet "
        "&& python -m rnn_from_scratch.live ckpts, then run nbs/13_try_it.ipynb and nbs/index.ipynb again" if stale else ''))

def stored(entries):
    print("2. the pages' stored widgets", flush=True)
    for name, nb in PAGES.items():
        ws = stored_widgets(ROOT/nb)
        if not check(len(ws) >= 1, f"{nb} stores a widget"): continue
        for data, h in ws:
            for r, m in data['models'].items():
                check(m['data_sha256'] == entries[r]['data_sha256'], f"{nb}: its widget's {r} is the committed one (else run the page again)")
            check(all(getattr(live, n) in h for n in JS_ALL), f"{nb}: its widget runs the library's JavaScript (else run the page again)")
    ws = stored_widgets(ROOT/PAGES['13_try_it'])
    if ws: check(list(ws[0][0]['models']) == list(LIVE_RUNGS), f"the Try-it page's widget offers {', '.join(LIVE_RUNGS)}")

def render(out:Path)->dict:
    "The stand-in render of both pages, as docs_check makes it: name -> HTML file."
    r = docs_check.sh(['nbdev-proc-nbs', '--force', '--file-re', r'^(13_try_it|index)\.ipynb$'], cwd=ROOT)
    if r.returncode or 'Traceback' in r.stdout + r.stderr: docs_check.fail(f"nbdev-proc-nbs:\n{(r.stdout + r.stderr)[-4000:]}")
    return docs_check.render(out)

def rows_ok(reading, m):
    "Every row shows five next words and a state strip: one cell per unit (RNN) or per token of the window (tfm)."
    for row in reading['rows']:
        want = m['config']['n_hidden'] if m['config']['arch'] != 'tfm' else None
        if len(row['top']) != 5 or (want is not None and row['cells'] != want) or (want is None and not 1 <= row['cells'] <= m['config']['ctx']): return False
    return bool(reading['rows'])

def try_it_page(url, entries, n_words):
    print(f"3a-c. the Try-it page, as a reader uses it ({url.rsplit('/', 1)[-1]})", flush=True)
    def use(page):
        root, out = page.locator('.rnn-live').first, {}
        page.wait_for_function("r => r.dataset.state == 'done'", arg=root.element_handle(), timeout=60_000)  # the run at opening
        out['initial'] = root.locator('.rl-written').inner_text()
        out['runs'] = {r: [(p, write_in(root, r, p, n_words)) for p in PARITY_PROMPTS] for r in entries}
        out['checks'] = {r: [(c['prompt'], write_in(root, r, c['prompt'], c['n_words'])) for c in entries[r]['checks']] for r in entries}
        out['unknown'] = write_in(root, 'gru1', 'eight thousand one . one million One', n_words)
        out['after_unknown'] = write_in(root, 'gru1', 'eight thousand one .', n_words)
        out['empty'] = write_in(root, 'lm7', '   ', n_words)
        out['after_empty'] = write_in(root, 'lm7', 'one .', n_words)
        out['long'] = write_in(root, 'tfm', PARITY_PROMPTS[-1], n_words)
        out['sample'] = [write_in(root, 'gru1', 'eight thousand one .', n_words, temperature=1.5, seed=s) for s in (3, 3, 4)]
        return out
    out, js_errors = in_browser(use, url)
    check(not js_errors, f"no JavaScript errors ({js_errors[:3]})")
    check(bool(out['initial'].split()), f"the page writes when it opens: {out['initial'][:60]}...")
    for r, rs in out['runs'].items():
        ps = [parity(rd, entries[r], p, n_words) for p, rd in rs]
        worst, sworst = max(x['max_diff'] for x in ps), max(x['state_diff'] for x in ps)
        check(worst < PARITY_TOL, f"{r}: {len(rs)} prompts x {n_words} words: largest |page logit - PyTorch logit| {worst:.1e} < {PARITY_TOL:g}")
        check(sworst < PARITY_TOL, f"{r}: the strips show PyTorch's {'attention' if r == 'tfm' else 'state'}: largest difference {sworst:.1e}")
        check(all(x['tokens'] and x['text'] for x in ps), f"{r}: tokens and greedy text equal to generate(..., temperature=0)")
        check(all(rows_ok(rd, entries[r]) for _, rd in rs), f"{r}: every row shows the top-5 and the state strip")
    for r, rs in out['checks'].items():
        for (p, rd), c in zip(rs, entries[r]['checks']):
            check(rd['written'] == c['checkpoint'], f"{r}: '{p}' -> '{rd['written'][:48]}...' as the checkpoint wrote it (rnn-generate)")
    for r in ('gru1', 'tfm'):  # the models that count: from 8,001 they write 8,002, 8,003 and on
        rd = dict(out['checks'][r])['eight thousand one .']
        check(rd['written'].startswith('eight thousand two . eight thousand three . eight thousand four .'),
              f"{r}: 'eight thousand one .' -> '{rd['written'][:48]}...' counts on")
    u = out['unknown']
    check(u['state'] == 'error' and '"million"' in u['message'] and '"One"' in u['message'] and not u['rows'],
          f"an unknown word is named: {u['message'][:90]}...")
    check(out['after_unknown']['state'] == 'done' and parity(out['after_unknown'], entries['gru1'], 'eight thousand one .', n_words)['text'],
          "after it the page keeps working")
    check(out['empty']['state'] == 'error' and 'prompt' in out['empty']['message'], f"an empty prompt: {out['empty']['message']}")
    check(out['after_empty']['state'] == 'done', "after it the page keeps working")
    lg, n = out['long'], len(PARITY_PROMPTS[-1].split())
    check(lg['state'] == 'done' and f'{n} words' in lg['message'] and 'at most 32' in lg['message'],
          f"a prompt of {n} words for tfm is explained: {lg['message'][:100]}...")
    check(parity(lg, entries['tfm'], PARITY_PROMPTS[-1], n_words)['text'], "and read as PyTorch reads it")
    s = out['sample']
    check(s[0]['written'] == s[1]['written'] and s[0]['state'] == 'done', f"temperature 1.5, seed 3, twice: the same text ({s[0]['written'][:50]}...)")
    print(f"      (seed 4: {s[2]['written'][:60]}...)")

def index_page(url, entries, n_words):
    print(f"3d. the home page's widget ({url.rsplit('/', 1)[-1]})", flush=True)
    def use(page):
        roots = page.locator('.rnn-live')
        rungs = roots.first.get_attribute('data-rnn-live').split(',')
        return rungs, [(p, write_in(roots.first, None, p, n_words)) for p in PARITY_PROMPTS[:2]]
    (rungs, rs), js_errors = in_browser(use, url)
    check(not js_errors and len(rungs) == 1, f"one model ({rungs}), no JavaScript errors")
    ps = [parity(rd, entries[rungs[0]], p, n_words) for p, rd in rs]
    check(all(x['max_diff'] < PARITY_TOL and x['state_diff'] < PARITY_TOL and x['text'] for x in ps),
          f"{rungs[0]}: logits within {max(x['max_diff'] for x in ps):.1e} and state within {max(x['state_diff'] for x in ps):.1e} of PyTorch's, greedy text equal")

def jupyter_like(out:Path, entries):
    print("3e. two widgets inserted as JupyterLab inserts outputs", flush=True)
    one = live_html([entries['gru1']], 'eight thousand one .', 8)
    page = out/'jupyter_like.html'
    page.write_text(f"""<!doctype html><html><head><meta charset="utf-8"></head><body><div id="nb"></div>
<script>
function insert(html) {{  // JupyterLab's renderHTML: innerHTML into a detached host, then each script cloned in place
  const host = document.createElement('div'); host.innerHTML = html;
  for (const s of Array.from(host.getElementsByTagName('script'))) {{
    const c = document.createElement('script');
    for (const a of Array.from(s.attributes)) c.setAttribute(a.name, a.value);
    c.textContent = s.textContent; s.parentNode.replaceChild(c, s);
  }}
  document.getElementById('nb').appendChild(host);
}}
const out = {json.dumps(one).replace('</', '<' + chr(92) + '/')};  // with every closing tag escaped, so that none ends this script
insert(out); insert(out);
</script></body></html>""")
    def use(page):
        roots = page.locator('.rnn-live')
        for i in range(2): page.wait_for_function("r => r.dataset.state == 'done'", arg=roots.nth(i).element_handle(), timeout=60_000)
        first = roots.nth(0).locator('.rl-written').inner_text()
        second = write_in(roots.nth(1), None, 'nine thousand', 8)
        return roots.count(), first, roots.nth(0).locator('.rl-written').inner_text(), second
    (n, first, first_after, second), js_errors = in_browser(use, page.as_uri())
    check(n == 2 and not js_errors and first.split(), f"both ran: {first}")
    check(first_after == first and second['state'] == 'done' and parity(second, entries['gru1'], 'nine thousand', 8)['text'],
          "writing in the second leaves the first as it was")

def can_fail(html:Path, out:Path, entries):
    print("4. the check can fail: one weight matrix transposed in the JavaScript", flush=True)
    for r, w in (('gru1', "p['rnn.weight_hh_l' + l]"), ('tfm', "p[pre + 'proj.weight']")):
        bad = out/f'transposed_{r}.html'
        bad.write_text(transposed(html.read_text(), w))
        (rd,), _ = in_browser(lambda page: [write_in(page.locator('.rnn-live').first, r, 'eight thousand one .', 12)], bad.as_uri())
        x = parity(rd, entries[r], 'eight thousand one .', 12)
        print(f"      {r}, {w} transposed: largest logit difference {x['max_diff']:.2f}; page wrote '{x['written']}', PyTorch '{x['expected']}'")
        check(x['max_diff'] > PARITY_TOL and not x['text'], f"{r}: the parity check fails on it")

def retrain(rungs, entries):
    print(f"5. retraining {', '.join(rungs)} (seed 0) from the recipe", flush=True)
    with tempfile.TemporaryDirectory() as d:
        for r in rungs:
            s = entries[r]['source']
            cmd = ['rnn-ladder', '--rungs', r, '--seeds', str(s['seed']), '--threads', str(s['threads'] or 1), '--save', d, '--quiet']
            t = time.time(); p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
            if not check(p.returncode == 0, f"{' '.join(cmd)} ({time.time() - t:.0f} s)"): print(p.stdout[-2000:], p.stderr[-2000:]); continue
            ok, why = compare_retrained(entries[r], export_model(Path(d)/f"{r}_seed{s['seed']}.pth"))
            check(ok, why)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--retrain', default='', help='comma-separated rungs to train again and compare (e.g. lm7)')
    ap.add_argument('--out', default=str(ROOT/'_live_check'), help='folder for the rendered pages')
    ap.add_argument('--words', type=int, default=30, help='words to write after each prompt')
    ap.add_argument('--plant', default='', help="show that this check fails: read this weight matrix transposed in the rendered pages' JavaScript, e.g. \"p['rnn.weight_hh_l' + l]\"")
    a = ap.parse_args()
    out = Path(a.out).resolve(); shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
    entries = {r: load_live(r) for r in LIVE_RUNGS}
    committed(entries)
    stored(entries)
    if why := browser_missing():
        if 'Chromium' in why: docs_check.chromium()  # installs Debian's chromium with apt-get
        if why := browser_missing(): docs_check.fail(f"cannot check the page in a browser: {why}")
    pages = render(out)
    if a.plant:
        for p in pages.values(): p.write_text(transposed(p.read_text(), a.plant))
        print(f"PLANTED: the rendered pages read {a.plant} transposed; the checks below must fail", flush=True)
    try_it_page(pages['13_try_it'].as_uri(), entries, a.words)
    index_page(pages['index'].as_uri(), entries, a.words)
    jupyter_like(out, entries)
    if not a.plant: can_fail(pages['13_try_it'], out, entries)  # (planted, the pages are already wrong)
    if a.retrain: retrain([r.strip() for r in a.retrain.split(',') if r.strip()], entries)
    if errors: print(f"live_check FAILED: {len(errors)} check(s):\n" + '\n'.join(errors)); sys.exit(1)
    print("live_check passed")

if __name__ == '__main__': main()

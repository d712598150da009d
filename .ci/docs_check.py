#!/usr/bin/env python3
"""Check the docs as a reader sees them, without Quarto.

1. `nbdev-proc-nbs` processes every notebook cleanly (it runs the show_doc cells, as the docs build does).
2. Each processed page renders to HTML offline with nbconvert.
   Before that, the processed pages are read as Quarto would render them: each tutorial page must show the source of
   the classes it teaches (`class X` with its `def forward`), and every training output must be fastai's epoch table
   (HTML), not console progress text; no output but an image may exceed 20 KB.
3. Headless Chromium (Debian's `chromium`, installed with apt-get when missing) loads chosen pages and checks
   that they show what they should: `api` (show_doc API tables), `table` (a DataFrame of results), `plot` (an image).
   Screenshots of the home page and of one model page go to the artifact folder (not committed).

Usage: python .ci/docs_check.py [--pages 00a_ladder:api,table,plot ...] [--shots index,00a_ladder] [--out _docs_check]
"""
import argparse, json, os, re, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ['00a_ladder:api,table,plot', '00_data:api', '06_lstm:api', '10_results:table,plot']
DEFAULT_SHOTS = ['index', '06_lstm']

def sh(cmd, **kw):
    "Run `cmd`, echo it, and return the CompletedProcess."
    print('+', ' '.join(map(str, cmd)), flush=True)
    return subprocess.run(cmd, text=True, capture_output=True, **kw)

def fail(msg):
    print(f"docs_check FAILED: {msg}", flush=True)
    sys.exit(1)

def chromium()->str:
    "Path of a Chromium binary, installing Debian's package with apt-get when none is found."
    for name in ('chromium', 'chromium-browser', 'google-chrome'):
        if p := shutil.which(name): return p
    sudo = [] if os.geteuid() == 0 else ['sudo', '-n']
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    for cmd in (sudo + ['apt-get', 'update'], sudo + ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium']):
        r = sh(cmd, env=env)
        if r.returncode: fail(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    if p := shutil.which('chromium'): return p
    fail("apt-get installed chromium but no `chromium` binary is on PATH")

def proc_nbs(glob:str=''):
    "Step 1: run nbdev-proc-nbs; fail on a non-zero exit or a traceback."
    cmd = ['nbdev-proc-nbs', '--force'] + (['--file-glob', glob] if glob else [])
    r = sh(cmd, cwd=ROOT)
    out = r.stdout + r.stderr
    if r.returncode or 'Traceback' in out or 'Error in notebook' in out: fail(f"nbdev-proc-nbs:\n{out[-4000:]}")
    print("1. nbdev-proc-nbs ran cleanly")

_CELL_KEYS = {'cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source', 'attachments'}

def _clean_node(p:Path):
    "A processed notebook as an nbformat node, without the bookkeeping keys nbdev adds to cells (e.g. `has_sd`)."
    import nbformat
    nb = json.loads(p.read_text())
    for c in nb['cells']:
        for k in set(c) - _CELL_KEYS: del c[k]
        c['metadata'] = {k:v for k,v in c.get('metadata', {}).items() if k != 'execution'}  # execnb's timings are floats
        if c['cell_type'] == 'markdown': c.pop('outputs', None); c.pop('execution_count', None)
    return nbformat.reads(json.dumps(nb), as_version=4)  # reads joins multi-line sources, as nbconvert expects

def render(out:Path)->dict:
    "Step 2: render every processed notebook to HTML with nbconvert; return name -> html path."
    import nbformat
    from nbconvert import HTMLExporter
    proc = ROOT/'_proc'
    nbs = sorted(p for p in proc.rglob('*.ipynb') if not p.name.startswith('_') and '.ipynb_checkpoints' not in p.parts)
    if not nbs: fail(f"no processed notebooks under {proc}")
    exp, pages = HTMLExporter(template_name='classic'), {}
    for p in nbs:
        try: html, _ = exp.from_notebook_node(_clean_node(p))
        except Exception as e: fail(f"nbconvert could not render {p}: {type(e).__name__}: {e}")
        dst = out/(p.stem + '.html'); dst.write_text(html); pages[p.stem] = dst
    print(f"2. rendered {len(pages)} page(s) to HTML in {out}: {', '.join(pages)}")
    return pages

CHECKS = {
    # show_doc renders a heading for the symbol, its signature and a parameter table (Type/Default/Details)
    # nbdev 3's show_doc renders a "[source]" link to GitHub, an <h3> with the name, and the signature with its docments
    'api': lambda dom: bool(re.search(r'<a[^>]+href="https://github\.com/[^"]+\.py#L\d+"[^>]*>\s*source\s*</a>', dom)
                            and re.search(r'<h3[^>]*>', dom)),
    # a pandas DataFrame output
    'table': lambda dom: 'class="dataframe' in dom,
    # a matplotlib figure (PNG or SVG) in an output
    'plot': lambda dom: bool(re.search(r'<img[^>]+src="data:image/(png|svg)', dom)) or '<svg' in dom,
}

# page -> classes whose source (with `def forward`) the page must show
TAUGHT = {'01_first_model': ['MostFrequent', 'LMModel1'], '02_loop': ['LMModel2'], '03_stateful': ['LMModel3'],
          '04_multi_output': ['LMModel4'], '05_rnn_gru': ['LMModel5', 'GRUCell'],
          '06_lstm': ['LSTMCell', 'FusedLSTMCell', 'StackedLSTM', 'LMModel6'], '07_regularized': ['Dropout', 'LMModel7'],
          '08_awd_lstm': ['LockedDropout', 'EmbeddingDropout', 'WeightDropout', 'AWDLSTM', 'AWDLM']}
# a training cell (the baseline has 0 epochs, so no epoch table)
TRAINS = re.compile(r'\bfit_rung\(|\.fit_one_cycle\(|\.fit\(')
PROGRESS = re.compile(r"\r|\|[█ ]{5,}\||^\[\d+, [\d.]+, [\d.]+.*'\d\d:\d\d'\]", re.M)

def page_checks(taught:dict=TAUGHT):
    "Step 1b: the processed pages show the taught classes' source, and training outputs are tables, not progress text."
    proc, errs = ROOT/'_proc', []
    for p in sorted(proc.glob('[0-9]*.ipynb')):
        cells = json.loads(p.read_text())['cells']
        code = [''.join(c['source']) for c in cells if c['cell_type'] == 'code']
        for cls in taught.get(p.stem, []):
            cell = next((s for s in code if re.search(rf'^class {cls}\b', s, re.M)), None)
            if cell is None: errs.append(f"{p.stem}: the source of class {cls} is not on the page (use #| exports)")
            elif 'def forward' not in cell: errs.append(f"{p.stem}: class {cls} is shown without its forward")
        for c in cells:
            if c['cell_type'] != 'code': continue
            src, outs = ''.join(c['source']), c.get('outputs', [])
            for o in outs:
                text = ''.join(o.get('text', '')) if o.get('output_type') == 'stream' else ''
                if PROGRESS.search(text): errs.append(f"{p.stem}: progress text instead of a table in the output of {src[:60]!r}")
                big = {k: v for k, v in o.get('data', {}).items() if not k.startswith('image/')}
                if len(text) + len(json.dumps(big)) > 20_000: errs.append(f"{p.stem}: an output over 20 KB in {src[:60]!r}")
            if TRAINS.search(src) and 'quiet=True' not in src and 'baseline' not in src and outs and not any('<table' in ''.join(o.get('data', {}).get('text/html', '')) for o in outs):
                errs.append(f"{p.stem}: the training cell {src[:60]!r} stores no epoch table")
    missing = [n for n in taught if not (proc/f'{n}.ipynb').exists()]
    if missing: errs.append(f"no processed page for {missing}")
    if errs: fail('\n'.join(errs))
    print(f"1b. {sum(map(len, taught.values()))} taught classes shown with their forward; training outputs are tables")

def browser_checks(browser:str, pages:dict, specs:list, shots:list, out:Path):
    "Step 3: load pages in headless Chromium, check their DOM, and take screenshots."
    base = [browser, '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--hide-scrollbars',
            f'--user-data-dir={out/"chrome-profile"}']
    errs = []
    for spec in specs:
        name, _, what = spec.partition(':')
        if name not in pages: errs.append(f"page {name!r} was not rendered (have: {', '.join(pages)})"); continue
        r = sh(base + ['--virtual-time-budget=5000', '--dump-dom', pages[name].as_uri()])
        dom = r.stdout
        if r.returncode or '<body' not in dom: errs.append(f"chromium could not load {name}: rc={r.returncode} {r.stderr[-500:]}"); continue
        (out/f'{name}.dom.html').write_text(dom)
        for c in filter(None, what.split(',')):
            if c not in CHECKS: raise ValueError(f"unknown check {c!r} in {spec!r}; known: {', '.join(CHECKS)}")
            ok = CHECKS[c](dom)
            print(f"   {name}: {c} {'present' if ok else 'MISSING'}")
            if not ok: errs.append(f"{name}: no {c} found in the page as Chromium rendered it")
    taken = []
    for name in shots:
        if name not in pages: print(f"   (no page {name!r} to screenshot)"); continue
        png = out/f'{name}.png'
        r = sh(base + ['--window-size=1280,2400', f'--screenshot={png}', pages[name].as_uri()])
        if r.returncode or not png.exists() or png.stat().st_size < 1000: errs.append(f"screenshot of {name} failed: {r.stderr[-500:]}")
        else: taken.append(str(png))
    if errs: fail('\n'.join(errs))
    print(f"3. Chromium checked {len(specs)} page(s); screenshots: {', '.join(taken) or 'none'}")

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--pages', nargs='*', default=DEFAULT_PAGES, help='NAME:check,check with checks from: ' + ', '.join(CHECKS))
    ap.add_argument('--shots', default=','.join(DEFAULT_SHOTS), help='pages to screenshot (the ones that exist)')
    ap.add_argument('--out', default=str(ROOT/'_docs_check'), help='artifact folder (HTML, DOM dumps, screenshots)')
    ap.add_argument('--proc-glob', default='', help='only process notebooks matching this glob (debugging)')
    a = ap.parse_args(argv)
    out = Path(a.out); shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
    browser = chromium()
    proc_nbs(a.proc_glob)
    if not a.proc_glob: page_checks()
    pages = render(out)
    browser_checks(browser, pages, a.pages, [s for s in a.shots.split(',') if s], out)
    print("docs_check passed")

if __name__ == '__main__': main()

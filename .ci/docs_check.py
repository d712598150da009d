#!/usr/bin/env python3
"""Check the docs as a reader sees them, without Quarto. The steps run in this order:

1. The source notebooks are read as a reader meets them: no stored output shows a machine or temporary path, a failed
   download or a CUDA/profiler warning, and every decimal figure in a markdown cell is one that the notebook prints
   (or a hyperparameter its code holds, or a figure of the book or the dataset): a hand-typed figure cannot drift
   from the run beside it (`--figures NB...` runs this check alone). No visible cell mixes imports with other code:
   nbdev-proc-nbs executes every cell that holds an import, so such a cell would train, or fail, while the docs build.
2. `nbdev-proc-nbs` processes every notebook cleanly (it runs the show_doc cells, as the docs build does).
3. The processed pages are read as Quarto would render them: each page shows the source of the classes it teaches
   (`class X` with its `def forward`), every training output is fastai's epoch table (HTML), not console progress
   text, no output but an image exceeds 20 KB, and every model page shows a picture drawn by the library.
   What a page teaches comes from the library itself: the classes of `rnn_from_scratch.models` and the pages that
   register the ladder's rungs, so adding a rung or a model adds its checks without editing this file.
4. Each processed page renders to HTML offline with nbconvert. Every equation of the prose ($...$ and $$...$$) parses with
   KaTeX (from npm, installed into a cache folder when missing): Quarto renders the site's equations with MathJax,
   and KaTeX is the offline check that each one is well formed (`--equations` runs this check alone).
5. Headless Chromium (Debian's `chromium`, installed with apt-get when missing) loads chosen pages and checks
   that they show what they should: `api` (show_doc API tables), `table` (a DataFrame of results), `plot` (an image).
   Screenshots of the home page and of one model page go to the artifact folder (not committed).

Usage: python .ci/docs_check.py [--pages 00a_ladder:api,table,plot ...] [--shots index,00a_ladder] [--out _docs_check]
       python .ci/docs_check.py --figures nbs/10_results.ipynb ...   (only step 1, on these notebooks)
"""
import argparse, json, os, re, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ['00a_ladder:api,table,plot', '00_data:api', '06_lstm:api,plot', '08b_transformer:api,plot', '08c_inside:plot', '10_results:table,plot']
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
    "Step 2: run nbdev-proc-nbs; fail on a non-zero exit or a traceback."
    cmd = ['nbdev-proc-nbs', '--force'] + (['--file-glob', glob] if glob else [])
    r = sh(cmd, cwd=ROOT)
    out = r.stdout + r.stderr
    if r.returncode or 'Traceback' in out or 'Error in notebook' in out: fail(f"nbdev-proc-nbs:\n{out[-4000:]}")
    print("2. nbdev-proc-nbs ran cleanly")

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
    "Step 4: render every processed notebook to HTML with nbconvert; return name -> html path."
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
    print(f"4. rendered {len(pages)} page(s) to HTML in {out}: {', '.join(pages)}")
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

def module_notebook(module:str)->str:
    "The notebook (stem) a module of the library is exported from, read from the module's 'File to edit' header."
    import importlib, re as _re
    src = Path(importlib.import_module(module).__file__).read_text()
    return Path(_re.search(r'File to edit: (\S+\.ipynb)', src).group(1)).stem

def taught()->dict:
    "page -> the classes of `rnn_from_scratch.models` defined there, each to be shown with its `forward` (or, for a class that inherits `forward`, the first method it defines: NAME.method)."
    import inspect, rnn_from_scratch.models as models
    res = {}
    for name in models.__all__:
        o = getattr(models, name)
        if not inspect.isclass(o): continue
        meth = 'forward' if 'forward' in vars(o) else next((k for k, v in vars(o).items() if inspect.isfunction(v) and not k.startswith('_')), '__init__')
        res.setdefault(module_notebook(o.__module__), []).append(name if meth == 'forward' else f'{name}.{meth}')
    return res

# Pages that use the models without defining a rung; they must show a picture too.
USING_PAGES = ['04a_generate', '08c_inside', '09_models', '09a_checkpoint']

def model_pages()->list:
    "Pages that must show a picture drawn by the library: the pages of the library's rungs and of the models, and `USING_PAGES`."
    from rnn_from_scratch.ladder import get_rung, rung_names
    import rnn_from_scratch.models
    pages = {module_notebook(get_rung(n).model.__module__) for n in rung_names(library=True)} | set(taught())
    return sorted(pages | set(USING_PAGES))

# a training cell (the baseline has 0 epochs, so no epoch table)
TRAINS = re.compile(r'\bfit_rung\(|\.fit_one_cycle\(|\.fit\(\s*\d')
PROGRESS = re.compile(r"\r|\|[█ ]{5,}\||^\[\d+, [\d.]+, [\d.]+.*'\d\d:\d\d'\]", re.M)

# Model pages must show a picture: an image output of a cell that calls a drawing function (draw_*) of the library.
DRAWS = re.compile(r'\bdraw_\w+\(')

def library_draws()->set:
    "The names of the library's drawing functions (`draw_*`), from nbdev's index of exported symbols."
    import importlib
    syms = importlib.import_module('rnn_from_scratch._modidx').d['syms']
    return {q.split('.')[-1] for mod in syms.values() for q in mod if q.split('.')[-1].startswith('draw_')}

def diagram_problems(p:Path)->list:
    "Why the processed page `p` shows no diagram drawn by the library (empty if it shows one)."
    cells = json.loads(p.read_text())['cells']
    code = [c for c in cells if c['cell_type'] == 'code']
    lib = library_draws()
    if not any(re.search(r'from rnn_from_scratch\.\w+ import [^\n]*\bdraw_\w+|^def draw_\w+\(', ''.join(c['source']), re.M)
               or set(re.findall(r'\b(draw_\w+)\(', ''.join(c['source']))) & lib for c in code):
        return [f"{p.stem}: the page neither imports, defines nor calls a drawing function (draw_*) of rnn_from_scratch"]
    drawn = [c for c in code if DRAWS.search(''.join(c['source']))]
    if not drawn: return [f"{p.stem}: no cell calls a draw_* function of rnn_from_scratch.draw"]
    if not any('image/png' in o.get('data', {}) for c in drawn for o in c.get('outputs', [])):
        return [f"{p.stem}: no draw_* cell has a stored PNG output (run the page and store its outputs)"]
    return []

def page_checks(taught:dict=None):
    "Step 3: the processed pages show the taught classes' source, and training outputs are tables, not progress text."
    taught, pages = taught if taught is not None else globals()['taught'](), model_pages()
    proc, errs = ROOT/'_proc', []
    for p in sorted(proc.glob('[0-9]*.ipynb')):
        cells = json.loads(p.read_text())['cells']
        code = [''.join(c['source']) for c in cells if c['cell_type'] == 'code']
        for name in taught.get(p.stem, []):
            cls, meth = (name.split('.') + ['forward'])[:2]
            cell = next((s for s in code if re.search(rf'^class {cls}\b', s, re.M)), None)
            if cell is None: errs.append(f"{p.stem}: the source of class {cls} is not on the page (use #| exports)")
            elif f'def {meth}(' not in cell: errs.append(f"{p.stem}: class {cls} is shown without its {meth}")
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
    for n in pages:
        if (proc/f'{n}.ipynb').exists(): errs += diagram_problems(proc/f'{n}.ipynb')
        elif (ROOT/'nbs'/f'{n}.ipynb').exists(): errs.append(f"no processed page for {n}")
    missing = [n for n in taught if not (proc/f'{n}.ipynb').exists()]
    if missing: errs.append(f"no processed page for {missing}")
    if errs: fail('\n'.join(errs))
    print(f"3. {sum(map(len, taught.values()))} taught classes shown with their forward; training outputs are tables; "
          f"every model page ({len(pages)}) shows a picture drawn by the library")

# --- 1. stored outputs and figures in prose --------------------------------------------------------------------------
# What no stored output may show: a path under a home or temporary folder, a failed download, CUDA/profiler noise.
BAD_OUTPUT = {'an absolute path under a home or temporary folder': re.compile(r'(?<![\w.])(/root/|/home/\w|/tmp/|/var/folders/|/private/var/|[A-Z]:\\Users\\)'),
              'a failed download (URLError)': re.compile(r'URLError'), 'a CUDA_HOME warning': re.compile(r'CUDA_HOME'),
              'a profiler error': re.compile(r'gpuGetDeviceCount|ERROR:.*(CUPTI|kineto)', re.I)}
# A decimal figure: digits, a point, digits, maybe an exponent (3.6e-07); not part of a version string (2.8.4) or of a longer token.
DECIMAL = re.compile(r'(?<![\w.\-])(\d+\.\d+(?:e[-+]?\d+)?)(?![\d.]*\d)(\s*%)?')
NUMBER = re.compile(r'-?\d+(?:\.\d+)?(?:e[-+]?\d+)?', re.I)
# Figures that may stand in prose without an output: the book's (every `Rung.book` of the registry), fastai course-v3's
# 2-layer GRU, the dataset's baseline, and facts of arithmetic the pages use (ln 30).
OTHER_ALLOWED = {'0.755', '0.1517', '3.4'}

def allowed()->set:
    "The figures prose may quote without an output: `OTHER_ALLOWED` and the book's figure of every library rung, as 0.47 and 0.470."
    from rnn_from_scratch.ladder import get_rung, rung_names
    books = [get_rung(n).book for n in rung_names(library=True) if get_rung(n).book is not None]
    return OTHER_ALLOWED | {f'{b:.3f}' for b in books} | {f'{b:g}' for b in books}

def _texts(o)->list:
    "The text of a stored output: stream text, and every text-like representation of its data."
    if o.get('output_type') == 'stream': return [''.join(o.get('text', ''))]
    return [''.join(v) if isinstance(v, list) else str(v) for k, v in o.get('data', {}).items() if not k.startswith('image/')]

def _numbers(texts)->set:
    "Every number in `texts`, as floats (percentages of fractions too: 0.152 also counts as 15.2)."
    vals = set()
    for t in texts:
        for m in NUMBER.findall(t.replace(',', '')):
            try: v = float(m)
            except ValueError: continue
            vals |= {v, abs(v), v*100, abs(v)*100}
    return vals

def _matches(fig:str, vals:set)->bool:
    "True if some number in `vals`, rounded to as many decimals (or significant digits, for 3.6e-07) as `fig` shows, equals it."
    if 'e' in fig.lower():
        d = len(fig.lower().split('e')[0].split('.')[1])
        return any(f"{v:.{d}e}" == f"{float(fig):.{d}e}" for v in vals)
    d, f = len(fig.split('.')[1]), float(fig)
    return any(round(v, d) == f or abs(v - f) < 10**-(d+3) for v in vals)

def _strip_md(s:str)->str:
    "Markdown without links' targets, HTML comments and images (their URLs hold digits that are not figures)."
    s = re.sub(r'<!--.*?-->', ' ', s, flags=re.S)
    s = re.sub(r'\]\([^)]*\)', '] ', s)
    s = re.sub(r'arXiv:\S+', ' ', s)
    return re.sub(r'https?://\S+', ' ', s)

def mixes_imports(source:str)->bool:
    "True if a code cell's `source` has top-level imports beside other statements and is not exported."
    import ast
    if re.search(r'^#\|\s*(export|exports|exporti|exec_doc|default_exp)\b', source, re.M) or 'colab_cells: generated' in source: return False
    try: body = ast.parse('\n'.join('' if l.startswith(('#|', '%', '!')) else l for l in source.split('\n'))).body
    except SyntaxError: return False
    imp = [isinstance(n, (ast.Import, ast.ImportFrom)) for n in body]
    return any(imp) and not all(imp)

def notebook_problems(p:Path, allowed:set=None)->list:
    "What is wrong in notebook `p`: bad stored outputs, decimals in its markdown that no output (or code) holds, and mixed import cells."
    import json as _json
    cells, errs = _json.loads(p.read_text())['cells'], []
    allowed = allowed if allowed is not None else globals()['allowed']()
    for i, c in enumerate(cells):  # nbdev-proc-nbs executes every cell holding an import: such a cell would train, or fail, in the docs build
        if c['cell_type'] == 'code' and mixes_imports(''.join(c['source'])):
            errs.append(f"{p.name}: cell {i} mixes imports with other code (nbdev-proc-nbs would run it): {''.join(c['source'])[:80]!r}")
    outs = [t for c in cells for o in c.get('outputs', []) for t in _texts(o)]
    code = [''.join(c['source']) for c in cells if c['cell_type'] == 'code']
    for t in outs:
        for what, rx in BAD_OUTPUT.items():
            if m := rx.search(t): errs.append(f"{p.name}: a stored output shows {what}: ...{t[max(0, m.start()-60):m.end()+60]!r}...")
    vals = _numbers(outs + code)
    records = ROOT/'nbs'/'ladder_results.json'  # the home page's ladder table is written from the results page's records
    if p.name == 'index.ipynb' and records.exists(): vals |= _numbers([records.read_text()])
    for c in cells:
        if c['cell_type'] != 'markdown': continue
        for m in DECIMAL.finditer(_strip_md(''.join(c['source']))):
            fig = m.group(1)
            if fig in allowed or _matches(fig, vals): continue
            errs.append(f"{p.name}: the figure {fig} in the prose appears in none of the notebook's outputs: "
                        f"...{''.join(c['source'])[max(0, m.start()-50):m.end()+30]!r}...")
    return errs

def figure_checks(nbs:list=None):
    "Step 1 over `nbs` (default: every notebook in nbs/); fail listing every problem."
    nbs = [Path(n) for n in nbs] if nbs else sorted((ROOT/'nbs').glob('*.ipynb'))
    errs = [e for p in nbs for e in notebook_problems(p)]
    if errs: fail(f"{len(errs)} problem(s) in the notebooks' prose and outputs:\n" + '\n'.join(errs))
    print(f"1. {len(nbs)} notebook(s): no machine path or warning in the outputs, every figure in the prose is in an output")

# --- equations -------------------------------------------------------------------------------------------------------
CODE = re.compile(r'```.*?```|`[^`\n]*`', re.S)
DISPLAY = re.compile(r'\$\$(.+?)\$\$', re.S)
INLINE = re.compile(r'(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?![\w$])')

def equations(nbs:list=None)->list:
    "Every equation in the notebooks' markdown: `{where, tex, display}`, with code spans and blocks left out."
    items = []
    for p in (Path(n) for n in (nbs or sorted((ROOT/'nbs').glob('*.ipynb')))):
        for i, c in enumerate(json.loads(p.read_text())['cells']):
            if c['cell_type'] != 'markdown': continue
            src = CODE.sub(' ', ''.join(c['source']))
            for m in DISPLAY.finditer(src): items.append(dict(where=f'{p.name} cell {i}', tex=m.group(1).strip(), display=True))
            for m in INLINE.finditer(DISPLAY.sub(' ', src)): items.append(dict(where=f'{p.name} cell {i}', tex=m.group(1), display=False))
    return items

def katex_module()->str:
    "Path of npm's `katex` module, installed into a cache folder with npm when it is not there."
    cache = Path(os.environ.get('KATEX_CACHE', Path.home()/'.cache'/'rnn_from_scratch_katex'))
    mod = cache/'node_modules'/'katex'
    if not mod.exists():
        if not shutil.which('npm'): fail("npm is needed to install KaTeX for the equation check (apt-get install nodejs npm)")
        cache.mkdir(parents=True, exist_ok=True)
        r = sh(['npm', 'install', '--prefix', str(cache), '--no-audit', '--no-fund', 'katex@0'])
        if r.returncode or not mod.exists(): fail(f"npm could not install katex: {r.stdout[-1000:]} {r.stderr[-1000:]}")
    return str(mod)

def equation_checks(nbs:list=None):
    "Parse every equation of the prose with KaTeX; fail listing each one that does not parse."
    items = equations(nbs)
    if not shutil.which('node'): fail("node is needed for the equation check")
    r = subprocess.run(['node', str(ROOT/'.ci'/'katex_check.js')], input=json.dumps(items), text=True, capture_output=True,
                       env=dict(os.environ, KATEX_MODULE=katex_module()))
    if r.returncode: fail(f"equations that KaTeX cannot parse:\n{r.stdout[-4000:]}{r.stderr[-2000:]}")
    print(f"4b. {r.stdout.strip().splitlines()[-1]}")

def browser_checks(browser:str, pages:dict, specs:list, shots:list, out:Path):
    "Step 5: load pages in headless Chromium, check their DOM, and take screenshots."
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
    print(f"5. Chromium checked {len(specs)} page(s); screenshots: {', '.join(taken) or 'none'}")

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--pages', nargs='*', default=DEFAULT_PAGES, help='NAME:check,check with checks from: ' + ', '.join(CHECKS))
    ap.add_argument('--shots', default=','.join(DEFAULT_SHOTS), help='pages to screenshot (the ones that exist)')
    ap.add_argument('--out', default=str(ROOT/'_docs_check'), help='artifact folder (HTML, DOM dumps, screenshots)')
    ap.add_argument('--proc-glob', default='', help='only process notebooks matching this glob (debugging)')
    ap.add_argument('--equations', nargs='*', default=None, help='only parse the equations of the prose with KaTeX (of these notebooks; default all)')
    ap.add_argument('--figures', nargs='*', default=None, help='only run step 1 (outputs and figures) on these notebooks')
    a = ap.parse_args(argv)
    if a.figures is not None: figure_checks(a.figures); print("docs_check passed (figures only)"); return
    if a.equations is not None: equation_checks(a.equations); print("docs_check passed (equations only)"); return
    out = Path(a.out); shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
    browser = chromium()
    if not a.proc_glob: figure_checks()
    proc_nbs(a.proc_glob)
    if not a.proc_glob: page_checks()
    pages = render(out)
    equation_checks()
    browser_checks(browser, pages, a.pages, [s for s in a.shots.split(',') if s], out)
    print("docs_check passed")

if __name__ == '__main__': main()

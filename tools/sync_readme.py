#!/usr/bin/env python3
"""Keep README.md, nbs/index.ipynb and nbs/nbdev.yml in sync without Quarto.

`nbdev-readme` needs Quarto, which cannot be installed everywhere. This script does the same job offline:
1. refreshes the notebook table in `nbs/index.ipynb` (the markdown cell holding `<!-- notebooks -->`) from the
   notebooks' titles and summaries, with "Open in Colab" links derived from the GitHub owner/repo that
   `pyproject.toml` names in `[project.urls] Repository` (read through nbdev's config);
1b. writes the ladder table in `nbs/index.ipynb` (the markdown cell holding `<!-- ladder -->`) from the records that
   the results page saves, `nbs/ladder_results.json`, so that the home page's figures are the results page's;
2. refreshes `nbs/nbdev.yml` from the same config (nbdev's own `refresh_quarto_yml`);
3. writes README.md from `nbs/index.ipynb`: markdown cells as they are, code cells as Python blocks with their
   stored text outputs, `#| hide` cells left out.

Usage: `python tools/sync_readme.py` to update, `python tools/sync_readme.py --check` to exit 1 (and show a diff)
when any of the three files would change. CI runs the check."""
import sys, json, re, difflib
from pathlib import Path
from nbdev.config import get_config

ROOT = Path(__file__).resolve().parents[1]
MARK = '<!-- notebooks -->'
LADDER = '<!-- ladder -->'
RECORDS = ROOT/'nbs'/'ladder_results.json'

def colab_url(cfg, nb:Path)->str:
    "URL that opens notebook `nb` from the project's GitHub repo in Colab (the format of nbdev's `colab_link`)."
    return f'https://colab.research.google.com/github/{cfg.user}/{cfg.repo}/blob/{cfg.branch}/{cfg.nbs_path.name}/{nb.name}'

def doc_url(cfg, nb:Path)->str:
    "Address of notebook `nb`'s page on the docs site (absolute, so it works from README and the site alike)."
    from nbdev.config import nbpath2html
    return '/'.join(p.strip('/') for p in (cfg.doc_host, cfg.doc_baseurl, str(nbpath2html(nb.name))) if p.strip('/'))

def nb_title(nb:Path)->tuple:
    "(title, summary) from a notebook's `# Title` / `> summary` markdown cell."
    for c in json.loads(nb.read_text())['cells']:
        if c['cell_type'] != 'markdown': continue
        src = ''.join(c['source'])
        t = re.search(r'^# (.+)$', src, re.M)
        if t:
            s = re.search(r'^> (.+)$', src, re.M)
            return t.group(1).strip(), (s.group(1).strip() if s else '')
    raise ValueError(f'{nb} has no "# Title" markdown cell')

def notebook_table(cfg)->str:
    "Markdown table of the tutorial notebooks, in order, with Colab links."
    rows = [MARK, '| notebook | what it covers | run it |', '|---|---|---|']
    for nb in sorted(cfg.nbs_path.glob('[0-9]*.ipynb')):
        title, summary = nb_title(nb)
        rows.append(f'| [{title}]({doc_url(cfg, nb)}) | {summary} | [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(cfg, nb)}) |')
    return '\n'.join(rows)

def _src(c): return ''.join(c['source'])

RANGES = ('1_99', '100_999', '1000_7999', '8001_9999')  # evaluate.COUNT_RANGES, by name
LSTM_RUNGS = ('lm6', 'lm7', 'awd')

def worst_range(r:dict):
    "The lowest count accuracy after one number over the four ranges of prompts, or None for a record without them."
    vs = [r.get(f'count_1_from_{n}') for n in RANGES]
    return None if any(v is None for v in vs) else min(vs)

def lstm_sentence(records:list)->str:
    "The home page's sentence on the thousands word, written from the records; a `ValueError` if the records no longer support it."
    R = {r['rung']: r for r in records}
    th = {n: R[n]['error_profile']['thousands_word'] for n in LSTM_RUNGS if n in R and R[n].get('error_profile')}
    g7 = R.get('gru7', {}).get('error_profile', {}).get('thousands_word')
    if len(th) != len(LSTM_RUNGS) or g7 is None: raise ValueError(f"the records lack the error profile of {', '.join(LSTM_RUNGS)} or gru7")
    if min(th.values()) <= 0.5 or g7 >= 0.5:
        raise ValueError(f"the records no longer say that the LSTM rungs miss the thousands word and gru7 gets it: LSTM {th}, gru7 {g7:.3f}")
    return (f"The LSTM rungs fall short on one word: the thousands word of the validation numbers 8,001..9,999 (`eight`, `nine`), "
            f"a word that starts almost no training number. They miss it {min(th.values()):.3f} to {max(th.values()):.3f} of the time "
            f"({', '.join(f'`{n}` {v:.3f}' for n, v in th.items())}, median runs), where `gru7` misses {g7:.3f}. "
            "The page that looks inside the trained models shows that `lm7`'s state holds that word, and that its output layer does not use it.")

def ladder_table(records:list)->str:
    "Markdown table of the ladder's records (median accuracy with its range, count accuracy after 1 and 3 validation numbers and from anywhere, the book's figure), and its summary."
    f = lambda v: '–' if v is None else f'{v:.3f}'
    best = max((r for r in records if worst_range(r) is not None), key=lambda r: (worst_range(r), r['accuracy']), default=None)
    rows = [LADDER, '| rung | what it is | accuracy, median (min–max) | count after 1 / 3 numbers | count after 1, worst of 4 ranges | book |', '|---|---|---|---|---|---|']
    for r in records:
        acc = f"{f(r['accuracy'])} ({f(r['accuracy_min'])}–{f(r['accuracy_max'])})"
        cnt = '–' if r.get('count_1') is None else f"{f(r['count_1'])} / {f(r['count_3'])}"
        anywhere = f(worst_range(r))
        if best is not None and r['rung'] == best['rung']: acc, cnt, anywhere = f'**{acc}**', f'**{cnt}**', f'**{anywhere}**'
        rows.append(f"| `{r['rung']}` | {r.get('doc', '')} | {acc} | {cnt} | {anywhere} | {f(r.get('book'))} |")
    seeds, threads = records[0].get('seeds'), records[0].get('threads')
    rows.append('')
    rows.append(f"Medians over seeds {', '.join(map(str, seeds))}" + (f", {threads} torch thread{'s' if threads != 1 else ''}" if threads else '') +
                ", from the records the results page saves (`nbs/ladder_results.json`). The count from anywhere is the lowest, over prompts from "
                "1–99, 100–999, 1,000–7,999 and 8,001–9,999, of the count accuracy after one number; the first three ranges are in the training text." +
                (f" In bold, the rung that counts best from anywhere, `{best['rung']}`." if best else ''))
    rows.append('')
    rows.append(lstm_sentence(records))
    return '\n'.join(rows)

def _set_cell(nb:dict, mark:str, txt:str):
    "Replace the source of the one markdown cell holding `mark` with `txt`."
    cells = [c for c in nb['cells'] if c['cell_type'] == 'markdown' and mark in _src(c)]
    if len(cells) != 1: raise ValueError(f'index.ipynb needs exactly one markdown cell holding {mark!r}, found {len(cells)}')
    lines = txt.split('\n')
    cells[0]['source'] = [l+'\n' for l in lines[:-1]] + [lines[-1]]

def refresh_index(nb:dict, cfg)->dict:
    "The index notebook with its notebook table regenerated."
    _set_cell(nb, MARK, notebook_table(cfg))
    if RECORDS.exists(): _set_cell(nb, LADDER, ladder_table(json.loads(RECORDS.read_text())))
    return nb

def _outputs(c):
    res = []
    for o in c.get('outputs', []):
        if o.get('output_type') == 'stream':
            if o.get('name') != 'stderr': res.append(''.join(o['text']))  # warnings are noise in a README
        elif 'data' in o and 'text/plain' in o['data'] and 'text/html' not in o['data']: res.append(''.join(o['data']['text/plain']))
        elif 'data' in o and 'text/markdown' in o['data']: res.append(None); res.append(''.join(o['data']['text/markdown']))
    return res

def readme(nb:dict)->str:
    "README.md text rendered from the index notebook."
    parts = ['<!-- WARNING: generated from nbs/index.ipynb by tools/sync_readme.py; edit the notebook, not this file. -->']
    for c in nb['cells']:
        src = _src(c).strip()
        if not src: continue
        if c['cell_type'] == 'markdown': parts.append(src); continue
        if re.search(r'^#\|\s*(hide|include:\s*false|echo:\s*false|export)', src, re.M): continue  # echo: false: a picture, which a README cannot hold
        code = '\n'.join(l for l in src.split('\n') if not l.startswith('#|')).strip()
        lines = code.split('\n')
        if all(l.startswith('!') for l in lines): parts.append('```sh\n' + '\n'.join(l[1:] for l in lines) + '\n```')  # shell commands
        else: parts.append(f'```python\n{code}\n```')
        md_next = False
        for o in _outputs(c):
            if o is None: md_next = True; continue
            parts.append(o.strip() if md_next else f'```\n{o.rstrip()}\n```'); md_next = False
    return '\n\n'.join(parts) + '\n'

def main(check=False):
    import os; os.chdir(ROOT)
    cfg = get_config(ROOT)
    idx = cfg.nbs_path/'index.ipynb'
    old_idx = idx.read_text()
    nb = refresh_index(json.loads(old_idx), cfg)
    new_idx = json.dumps(nb, indent=1, ensure_ascii=False) + '\n'
    if json.loads(new_idx) == json.loads(old_idx): new_idx = old_idx  # keep nbdev-clean's exact formatting
    from nbdev.quarto import refresh_quarto_yml
    yml = cfg.nbs_path/'nbdev.yml'
    old_yml = yml.read_text() if yml.exists() else ''
    refresh_quarto_yml()
    new_yml = yml.read_text()
    if check: yml.write_text(old_yml)
    rd = ROOT/'README.md'
    old_rd = rd.read_text() if rd.exists() else ''
    new_rd = readme(nb)
    changed = []
    for name, old, new, f in (('nbs/index.ipynb', old_idx, new_idx, idx), ('nbs/nbdev.yml', old_yml, new_yml, yml), ('README.md', old_rd, new_rd, rd)):
        if old == new: continue
        changed.append(name)
        if check: sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True), name, name+' (expected)'))
        else:
            f.write_text(new)
            if f == idx:  # same formatting as nbdev-clean, so that CI's clean check stays quiet
                import subprocess; subprocess.run(['nbdev-clean', '--fname', str(idx)], check=True)
    if check and changed:
        print(f'\nout of sync: {", ".join(changed)}; run `python tools/sync_readme.py` and commit', file=sys.stderr); return 1
    print(('checked: in sync' if check else f'updated: {", ".join(changed) or "nothing to do"}'))
    return 0

if __name__ == '__main__': sys.exit(main(check='--check' in sys.argv[1:]))

#!/usr/bin/env python3
"""Fail when an exported function, class or public method of the library lacks a docstring.

The exported names are read from `_modidx.py` (`d['syms']`), so this checks exactly what nbdev exported:
every module-level function and class, and every public method (no leading `_`) that the class itself
defines, including methods added with fastcore's `@patch`. A method inherits no credit from a parent's
docstring: `inspect.getdoc` would borrow it, so `__doc__` is read from the function itself.
Usage: python .ci/check_docstrings.py [PACKAGE]   (default: rnn_from_scratch)
"""
import importlib, inspect, sys

def _own_doc(o):
    "The object's own docstring (not one inherited through the MRO), stripped."
    f = getattr(o, '__func__', o)
    f = getattr(f, 'fget', f)  # properties
    return (getattr(f, '__doc__', None) or '').strip()

def missing(pkg:str='rnn_from_scratch')->list:
    "Dotted names of exported functions, classes and public methods of `pkg` without a docstring."
    idx = importlib.import_module(f'{pkg}._modidx').d['syms']
    bad = []
    for modname, syms in idx.items():
        mod = importlib.import_module(modname)
        for qual in syms:
            name = qual[len(modname)+1:]
            parts = name.split('.')
            if any(p.startswith('_') for p in parts[1:]) or parts[0].startswith('_'): continue
            o = mod
            try:
                for p in parts: o = inspect.getattr_static(o, p)
            except AttributeError: bad.append(f'{qual} (exported but not found)'); continue
            if isinstance(o, (staticmethod, classmethod)): o = o.__func__
            if not (inspect.isfunction(o) or inspect.isclass(o) or isinstance(o, property) or callable(o)): continue
            if inspect.isclass(o): doc = (o.__dict__.get('__doc__') or '').strip()
            else: doc = _own_doc(o)
            if not doc: bad.append(qual)
    return bad

if __name__ == '__main__':
    pkg = sys.argv[1] if len(sys.argv) > 1 else 'rnn_from_scratch'
    bad = missing(pkg)
    n = sum(len(v) for v in importlib.import_module(f'{pkg}._modidx').d['syms'].values())
    if bad:
        print(f"{len(bad)} exported name(s) without a docstring:", *bad, sep='\n  ')
        sys.exit(1)
    print(f"docstrings: all {n} exported symbols of {pkg} documented")

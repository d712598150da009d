__version__ = "0.0.1"

import os, warnings
# fastai's import calls `torch.jit.script`, which recent torch deprecates with a FutureWarning; it says nothing about
# this package, so silence exactly that message (not FutureWarnings in general) before any module imports fastai.
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)

# nbdev-test runs notebooks in parallel worker processes, min(cores, 8) of them, and torch gives each as many threads as
# there are cores: on 2 cores, 2 workers x 2 threads oversubscribe the machine and every step waits. Under nbdev-test
# (it sets IN_TEST) each worker gets its share of the cores instead, unless the user set OMP_NUM_THREADS.
if 'IN_TEST' in os.environ and 'OMP_NUM_THREADS' not in os.environ:
    import torch
    _cpus = os.cpu_count() or 1
    torch.set_num_threads(max(1, _cpus // min(_cpus, 8)))

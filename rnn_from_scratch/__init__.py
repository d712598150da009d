__version__ = "0.0.1"

import warnings
# fastai's import calls `torch.jit.script`, which recent torch deprecates with a FutureWarning; it says nothing about
# this package, so silence exactly that message (not FutureWarnings in general) before any module imports fastai.
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)

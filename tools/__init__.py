"""The project's commands behind make and invoke: the strict build (``tools.build``), the safe
replacement of output/ (``tools.output``) and the development preview (``tools.devserver``).

The site's plugins (``plugins/stages``) are importable from here as ``stages``.
"""

import sys
from pathlib import Path

_PLUGINS = str(Path(__file__).resolve().parents[1] / "plugins")
if _PLUGINS not in sys.path:
    sys.path.insert(0, _PLUGINS)

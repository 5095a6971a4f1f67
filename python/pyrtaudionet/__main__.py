"""``python -m pyrtaudionet``: see :mod:`pyrtaudionet._cli`."""

import sys

from ._cli import main

sys.exit(main())

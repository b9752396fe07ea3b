"""Fill in the offsets of hand-labelled fixtures and check them.

    python evals/anchor.py evals/fixtures/NAME.json ...

Evidence and loaded spans may be written as their text alone ("..."), or as
{"text": "...", "within": "a longer passage"} when the text occurs more than once.
"""

import sys
from pathlib import Path

from digest.evals.fixtures import main

if __name__ == "__main__":
    sys.exit(main([Path(p) for p in sys.argv[1:]]))

"""The NLP core must not pull in the streaming stack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_no_faust_or_kafka_imported():
    code = (
        "import sys\n"
        "import streams.nlp, streams.nlp.extract, streams.nlp.stance\n"
        "import streams.nlp.taxonomy, streams.nlp.actors\n"
        "from streams.nlp import FastExtractor; FastExtractor()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'faust', 'kafka', 'aiokafka', 'mode'})\n"
        "print('imported:' + ','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "imported:"

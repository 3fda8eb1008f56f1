"""Generate `data/speech_verbs.generated.json`: every inflected form of each attribution verb.

    python -m streams.nlp.build_inflections           # write the file
    python -m streams.nlp.build_inflections --check   # exit 1 if the committed file differs

The forms come from lemminflect (`streams.nlp.speakers.inflect`). Reading them from this file instead
spares every extractor's start lemminflect's import, which imports spaCy, and its tables (~2 s of CPU,
in each worker and extraction process). A verb added to `data/speech_verbs.txt` and not yet here is
inflected at start as before; a test checks that the committed file matches what this writes.
"""

from __future__ import annotations

import json

from streams.nlp._text import DATA_DIR
from streams.nlp.generated import write_or_check
from streams.nlp.speakers import INFLECTIONS_FILE, inflect, load_verb_lemmas

GENERATED_PATH = DATA_DIR / INFLECTIONS_FILE


def build() -> dict[str, list[str]]:
    """Each lemma of `data/speech_verbs.txt` -> its inflected forms, sorted."""
    return {lemma: sorted(inflect(lemma)) for lemma in sorted(load_verb_lemmas())}


def render(forms: dict[str, list[str]]) -> str:
    """One lemma a line, so a changed verb is a one-line diff."""
    lines = [f"  {json.dumps(lemma)}: {json.dumps(each, ensure_ascii=False)}" for lemma, each in forms.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    return write_or_check(
        argv,
        description=__doc__.splitlines()[0],
        path=GENERATED_PATH,
        command="python -m streams.nlp.build_inflections",
        text=lambda: render(build()),
        summary=lambda text: f"{len(text)} bytes",
    )


if __name__ == "__main__":
    raise SystemExit(main())

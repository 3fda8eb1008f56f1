"""Generate `data/given_names.generated.tsv`: the given names whose gender is clear, from gender-guesser.

    python -m streams.nlp.build_given_names           # write the file
    python -m streams.nlp.build_given_names --check   # exit 1 if the committed file differs

Each line is `name<TAB>f` or `name<TAB>m`: the names gender-guesser's international list (lower-cased,
its spelling variants included) calls "female" or "male"; "mostly_*", "andy" and unknown names are not
there, so they tell no gender, as before. Building gender-guesser's `Detector` parses its 2 MB name
file (~1 s of CPU in every extraction process at start); this file is read in a few milliseconds. A
test checks that the committed file matches what this writes.
"""

from __future__ import annotations

from streams.nlp._text import DATA_DIR
from streams.nlp.generated import write_or_check
from streams.nlp.speakers import GIVEN_NAMES_FILE

GENERATED_PATH = DATA_DIR / GIVEN_NAMES_FILE
_GENDERS = {"female": "f", "male": "m"}


def build() -> dict[str, str]:
    """Each clearly female or male given name (lower case) -> "f" or "m", as gender-guesser tells it."""
    import gender_guesser.detector  # the build's source only: the runtime reads the generated file

    detector = gender_guesser.detector.Detector(case_sensitive=False)
    genders = ((name, _GENDERS.get(detector.get_gender(name))) for name in detector.names)
    return {name: gender for name, gender in sorted(genders) if gender}


def render(genders: dict[str, str]) -> str:
    """One name a line, sorted, so a changed name is a one-line diff."""
    return "".join(f"{name}\t{gender}\n" for name, gender in genders.items())


def main(argv: list[str] | None = None) -> int:
    return write_or_check(
        argv,
        description=__doc__.splitlines()[0],
        path=GENERATED_PATH,
        command="python -m streams.nlp.build_given_names",
        text=lambda: render(build()),
        summary=lambda text: f"{text.count(chr(10))} names",
    )


if __name__ == "__main__":
    raise SystemExit(main())

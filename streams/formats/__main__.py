"""`python -m streams.formats language [FILE.tsv]`: language detection accuracy and speed;
`python -m streams.formats read PATH...`: what the readers make of files (one line per article or error)."""

from __future__ import annotations

import sys

from streams.formats import FormatError, read_path
from streams.formats.language import measure


def main(argv: list[str]) -> int:
    if argv[:1] == ["language"]:
        measure(argv[1] if len(argv) > 1 else "tests/data/formats/language/snippets.tsv")
        return 0
    if argv[:1] == ["read"] and len(argv) > 1:
        failed = False
        for target in argv[1:]:
            for item in read_path(target, warn=lambda message: print("warning:", message, file=sys.stderr)):
                if isinstance(item, FormatError):
                    failed = True
                    print("error:", item)
                else:
                    print(
                        f"{item.format}\t{item.id}\t{item.published_at.isoformat()}\t{item.language or '-'}\t"
                        f"{item.place or '-'}\t{item.headline[:60]}"
                    )
        return 1 if failed else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The image's HEALTHCHECK: exit 0 if the worker's GET /health answers 200 within 5 s, else 1.

Standard library only (the slim image has no curl). /health stays open when a web token is set, so
no credentials are needed here. The address is the web port on loopback, or the bind address when
the server is bound to one specific address.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def url() -> str:
    port = os.environ.get("STANCEWIRE_WEB_PORT", "6066")
    bind = os.environ.get("STANCEWIRE_WEB_BIND", "0.0.0.0").strip()
    host = "127.0.0.1" if bind in ("", "0.0.0.0", "::", "[::]") else bind
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/health"


def main() -> int:
    try:
        with urllib.request.urlopen(url(), timeout=5) as response:  # noqa: S310 - a fixed http URL
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"health check failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

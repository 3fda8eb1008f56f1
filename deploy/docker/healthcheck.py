"""The image's HEALTHCHECK: exit 0 if the worker's GET /health answers 200 within 5 s, else 1.

With --live (the Kubernetes liveness and startup probes), any HTTP answer counts: a 503 (broker
unreachable, no partitions assigned) still shows a running event loop and web server, and a restart
would not cure it.

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


def main(argv: list[str]) -> int:
    live = "--live" in argv
    try:
        with urllib.request.urlopen(url(), timeout=5) as response:  # noqa: S310 - a fixed http URL
            return 0 if response.status == 200 else 1
    except urllib.error.HTTPError as exc:
        if live:
            return 0
        print(f"health check: {exc.code} {exc.read(500).decode(errors='replace')}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError, ValueError) as exc:
        print(f"health check failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

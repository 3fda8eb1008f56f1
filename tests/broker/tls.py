"""Certificates for the SASL_SSL tests, made with the machine's `openssl`: a CA, a broker certificate for
127.0.0.1 and localhost (in a PKCS#12 keystore for Kafka), a client certificate for mutual TLS, and a
second CA that signed nothing the broker has (a client trusting only it must fail)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Certificates", "make_certificates", "openssl_available"]

EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


@dataclass(frozen=True)
class Certificates:
    folder: Path
    ca: Path  # PEM, the CA that signed the broker's and the client's certificates
    other_ca: Path  # PEM, a CA that signed neither
    broker_keystore: Path  # PKCS#12: the broker's key and certificate chain
    keystore_password: str
    client_cert: Path  # PEM
    client_key: Path  # PEM, unencrypted


def openssl_available() -> bool:
    return shutil.which("openssl") is not None


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def _ca(folder: Path, name: str) -> None:
    _openssl(
        "req", "-x509", *EC, "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
        "-subj", f"/CN={name}", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder,
    )  # fmt: skip


def _signed(folder: Path, name: str, subject: str, extensions: str) -> None:
    (folder / f"{name}.ext").write_text(extensions)
    _openssl("req", "-new", *EC, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", subject, cwd=folder)
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=folder,
    )  # fmt: skip


def make_certificates(folder: Path, keystore_password: str = "keystore-pass") -> Certificates:
    folder.mkdir(parents=True, exist_ok=True)
    _ca(folder, "ca")
    _ca(folder, "other-ca")
    _signed(
        folder,
        "broker",
        "/CN=localhost",
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n",
    )
    _signed(folder, "client", "/CN=stancewire", "extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n")
    _openssl(
        "pkcs12", "-export", "-in", "broker.pem", "-inkey", "broker.key", "-certfile", "ca.pem",
        "-name", "broker", "-out", "broker.p12", "-passout", f"pass:{keystore_password}", cwd=folder,
    )  # fmt: skip
    return Certificates(
        folder=folder,
        ca=folder / "ca.pem",
        other_ca=folder / "other-ca.pem",
        broker_keystore=folder / "broker.p12",
        keystore_password=keystore_password,
        client_cert=folder / "client.pem",
        client_key=folder / "client.key",
    )
